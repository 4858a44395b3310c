// `npm run test:cluster`: the core scenarios against a real Temporal server (built once from the Go
// module proxy, README "Tests"), with TLS, two workers and two bridges. Not part of `npm test`.
// The stack's kind is chosen here, before the global setup and the tests read test/integration/stack-env.ts.
process.env.TEST_STACK_KIND = 'cluster';

module.exports = {
  rootDir: '../..',
  testTimeout: 120000,
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', { isolatedModules: true }] },
  displayName: 'cluster',
  testMatch: ['<rootDir>/test/cluster/**/*.test.ts'],
  globalSetup: '<rootDir>/test/integration/stack-setup.ts',
  globalTeardown: '<rootDir>/test/integration/stack-teardown.ts',
};
