// The folders under test/ say what kind of test a file is; only integration tests start the local stack.
const base = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', { isolatedModules: true }] },
  // ES-module-only packages, loaded by Node itself (see the file).
  moduleNameMapper: { '^email-forward-parser$': '<rootDir>/test/esm-packages/email-forward-parser.js' },
};
module.exports = {
  testTimeout: 60000,
  projects: [
    // The structure tests (layers, contracts) read src/ through the compiler: as quick as unit tests, run with them.
    { ...base, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts', '<rootDir>/test/structure/**/*.test.ts'] },
    {
      ...base,
      displayName: 'workflow',
      testMatch: ['<rootDir>/test/workflow/**/*.test.ts', '<rootDir>/test/replay/**/*.test.ts'],
      setupFiles: ['<rootDir>/test/workflow/quiet-runtime.ts'],
    },
    {
      ...base,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/integration/**/*.test.ts'],
      globalSetup: '<rootDir>/test/integration/stack-setup.ts',
      globalTeardown: '<rootDir>/test/integration/stack-teardown.ts',
    },
  ],
};
