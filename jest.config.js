/**
 * Test tiers live in the file name: `*.unit.spec.ts` beside the code (pure, fast) and
 * `*.int.spec.ts` beside the code (real SQLite files, real Kafka); `test/**\/*.e2e.spec.ts`
 * cross processes (HTTP, crash tests). `npm test` runs them all.
 */
const moduleNameMapper = {
  '^@app/(domain|event-store|projections|messaging|config|application|platform)$': '<rootDir>/libs/$1/src',
  '^@app/event-store/testing$': '<rootDir>/libs/event-store/src/testing',
};
const transform = {
  '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', diagnostics: false }],
};
const common = {
  rootDir: __dirname,
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper,
  transform,
  testEnvironment: 'node',
};

module.exports = {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs}/**/*.unit.spec.ts'] },
    { ...common, displayName: 'int', testMatch: ['<rootDir>/{apps,libs}/**/*.int.spec.ts'] },
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/test/**/*.e2e.spec.ts'] },
  ],
};
