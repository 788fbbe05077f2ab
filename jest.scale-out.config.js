/**
 * The scale-out suite (test/scale-out): the local cluster topology (src/cluster/topology.ts) of a
 * real Temporal server on PostgreSQL, Prometheus, two workers and two gateways as processes,
 * started once per file. `npm run test:scale-out`, after `npm test` in CI. Files run one at a time:
 * each topology is a dozen processes on a two-core machine.
 * @type {import('jest').Config}
 */
module.exports = {
  testEnvironment: '<rootDir>/test/scale-out/environment.js',
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  testMatch: ['<rootDir>/test/scale-out/**/*.test.ts'],
  maxWorkers: 1,
  testTimeout: 10 * 60_000,
  slowTestThreshold: 120,
};
