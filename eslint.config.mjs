// Lint rules that keep workflow code deterministic and sandbox-safe, and promises awaited.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
// Libraries that do I/O or read the clock: never inside the workflow sandbox or pure domain code.
const ioLibraries = [
  '@temporalio/activity', '@temporalio/client', '@temporalio/worker', '@temporalio/testing',
  'better-sqlite3', 'fastify', 'nodemailer', 'smtp-server', 'mailparser', 'pino', 'prom-client',
  'commander', 'yaml', 'playwright-core', 'autocannon',
];
const sandboxRestriction = (extra = []) => ({
  paths: [...nodeBuiltins, ...ioLibraries].map((name) => ({ name, message: 'Not sandbox-safe: workflow and domain code must stay deterministic. Move the I/O into an activity or adapter.' })),
  patterns: [
    { group: ['**/adapters/**', '**/gateway/**', '**/approvals-server/**', '**/smtp-catcher/**', '**/cli/**', '**/workers/**', '**/config/**', '**/temporal/**'], message: 'Workflow and domain code may import only @temporalio/workflow, src/domain and types.' },
    ...extra,
  ],
});

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', '.cache/**', 'data/**', '.mlgate/**', 'bin/**', 'jest.config.js', 'jest.load.config.js', 'jest.scale-out.config.js', 'eslint.config.mjs', 'test-results/**', 'test/helpers/node-environment.js', 'test/scale-out/environment.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
      // Long lines hide what changed in a diff and run off a laptop screen: wrap code. A message or
      // SQL string may run over, since splitting prose mid-sentence makes it harder to grep for.
      'max-len': ['error', { code: 200, ignoreUrls: true, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreRegExpLiterals: true }],
    },
  },
  {
    files: ['src/workflows/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', sandboxRestriction([
        { group: ['**/activities', '**/activities/**'], allowTypeImports: true, message: 'Workflows import activities as types only (proxyActivities).' },
      ])],
    },
  },
  {
    // Activities do I/O through injected ports; they never reach up into workflows, the Temporal
    // client, servers or the composition root (STYLE.md 6).
    files: ['src/activities/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {
        paths: ['@temporalio/client', '@temporalio/worker'].map((name) => ({ name, message: 'Activities get what starts or signals workflows as an injected port (src/ports), wired in src/workers.' })),
        patterns: [
          { group: ['**/workflows', '**/workflows/**'], allowTypeImports: true, message: 'Activities may import workflow types only: a workflow module value loads workflow code into the activity worker. Put shared definitions in a port.' },
          { group: ['**/adapters/**', '**/workers/**', '**/cli/**', '**/approvals-server/**', '**/gateway/**', '**/smtp-catcher/**', '**/config/**'], message: 'Activities receive adapters as injected ports; src/workers chooses them.' },
        ],
      }],
    },
  },
  {
    files: ['src/domain/**/*.ts'],
    ignores: ['src/domain/**/*.test.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', sandboxRestriction([
        { group: ['@temporalio/*', '**/activities', '**/activities/**', '**/workflows/**'], message: 'Domain code is pure: no Temporal, no activities.' },
      ])],
    },
  },
);
