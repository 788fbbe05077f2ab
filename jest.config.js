/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: '<rootDir>/test/helpers/node-environment.js',
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  testMatch: ['<rootDir>/test/**/*.test.ts', '<rootDir>/src/**/*.test.ts'],
  // test/load runs in its own pass afterwards (jest.load.config.js), with the CPU to itself;
  // test/scale-out needs the cluster build and runs with `npm run test:scale-out` (jest.scale-out.config.js).
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/load/', '<rootDir>/test/scale-out/'],
  globalSetup: '<rootDir>/test/helpers/global-setup.ts',
  globalTeardown: '<rootDir>/test/helpers/global-teardown.ts',
  // Two cores: more workers only fight over the CPU the Temporal server needs.
  maxWorkers: 2,
  testTimeout: 120_000,
  slowTestThreshold: 30,
};
