// Unit tests need no processes; integration and e2e tests share one real cluster (etcd + apiserver)
// started by test/cluster-setup.ts and stopped by test/cluster-teardown.ts.
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  transform: { '^.+\\.ts$': ['ts-jest', { isolatedModules: true, diagnostics: false }] },
  globalSetup: '<rootDir>/test/cluster-setup.ts',
  globalTeardown: '<rootDir>/test/cluster-teardown.ts',
  testTimeout: 60000,
};
