/** @type {import('jest').Config} */
module.exports = {
  // jest's node environment; its worker processes exit without libtorch's slow teardown (see file)
  testEnvironment: '<rootDir>/test/helpers/environment.ts',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  setupFiles: ['<rootDir>/test/helpers/setup.ts'],
  // each test file must leave the process-wide switches as it found them
  setupFilesAfterEnv: ['<rootDir>/test/helpers/global-state.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', diagnostics: { warnOnly: false } }] },
  // Native tensors and Python oracles: give each file room, and keep 2 cores busy, not swamped.
  testTimeout: 120000,
  maxWorkers: 2,
};
