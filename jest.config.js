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
};
