// Tests are TypeScript run as ESM. Node 24 strips the types itself when it
// runs our scripts, so jest uses the same stripper (test/strip-types.js):
// what the tests execute is what Node executes.
export default {
  testEnvironment: 'node',
  // Only these folders hold tests and the code they import; .bench/ may hold
  // gigabytes of generated trees that jest must never crawl.
  roots: ['<rootDir>/actions', '<rootDir>/packages', '<rootDir>/test'],
  extensionsToTreatAsEsm: ['.ts'],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json'],
  transform: { '\\.ts$': '<rootDir>/test/strip-types.js' },
  testMatch: [
    '<rootDir>/{actions,packages}/*/__tests__/**/*.test.ts',
    '<rootDir>/test/stand-ins/*/__tests__/**/*.test.ts',
    '<rootDir>/test/*.test.ts',
  ],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  testTimeout: 60_000,
  // One worker per core, not jest's default of one fewer: most files spend
  // their time waiting on child processes (bundled actions, the runner,
  // docker-registry) and local servers, so a second file runs in the wait.
  // With 2 cores the default is a single worker running every file in turn.
  maxWorkers: '100%',
};
