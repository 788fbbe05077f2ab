/**
 * The load test (test/load): 200 concurrent releases on their own embedded stack. Run by
 * `npm test` after the main suite, alone, so it neither slows nor is slowed by other tests.
 * @type {import('jest').Config}
 */
module.exports = {
  testEnvironment: '<rootDir>/test/helpers/node-environment.js',
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  testMatch: ['<rootDir>/test/load/**/*.test.ts'],
  maxWorkers: 1,
  testTimeout: 25 * 60_000,
};
