/**
 * Test tiers live in the file name: `*.unit.spec.ts` beside the code (pure, fast; the test
 * harness's own in test/support) and
 * `*.int.spec.ts` beside the code (real SQLite files, real Kafka); `test/**\/*.e2e.spec.ts`
 * cross processes (HTTP, crash tests). `npm test` runs them all. The project `e2e-postgres`
 * runs the API suites that use a store once more on PostgreSQL
 * (libs/event-store/src/testing/postgres-server.ts).
 */
const { existsSync, readdirSync } = require('node:fs');
const moduleNameMapper = {
  '^@app/(domain|event-store|projections|messaging|config|application|platform|observability|import)$':
    '<rootDir>/libs/$1/src',
  '^@app/(event-store|import)/testing$': '<rootDir>/libs/$1/src/testing',
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

/** The API suites run on PostgreSQL too (api-notifications edits the SQLite file directly). */
const POSTGRES_API_SUITES = ['api-endpoints', 'api-rates', 'api-imports', 'api-idempotency'];

/** Whether a PostgreSQL server can be had (as testing/postgres-server.ts finds one), or CI (which must). */
function postgresAvailable() {
  if (process.env.CI || process.env.TEST_DATABASE_URL) return true;
  const dirs = process.env.PG_BIN_DIR
    ? [process.env.PG_BIN_DIR]
    : existsSync('/usr/lib/postgresql')
      ? readdirSync('/usr/lib/postgresql').map((version) => `/usr/lib/postgresql/${version}/bin`)
      : [];
  if (dirs.some((dir) => existsSync(`${dir}/initdb`))) return true;
  console.warn('e2e-postgres skipped: no PostgreSQL server binaries (apt-get install -y postgresql).');
  return false;
}

const postgresProjects = postgresAvailable()
  ? [
      {
        ...common,
        displayName: 'e2e-postgres',
        testMatch: POSTGRES_API_SUITES.map((suite) => `<rootDir>/test/${suite}.e2e.spec.ts`),
        setupFilesAfterEnv: ['<rootDir>/test/support/postgres-api.setup.ts'],
      },
    ]
  : [];

/**
 * Starts Kafka (and EventStoreDB where Docker answers) for the int and e2e tiers when nobody
 * gave them one, and stops them after (test/support/global-setup.ts). One module for both
 * projects: jest runs it once per run.
 */
const services = {
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
};

module.exports = {
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/{apps,libs}/**/*.unit.spec.ts', '<rootDir>/test/support/*.unit.spec.ts'],
    },
    { ...common, ...services, displayName: 'int', testMatch: ['<rootDir>/{apps,libs}/**/*.int.spec.ts'] },
    { ...common, ...services, displayName: 'e2e', testMatch: ['<rootDir>/test/**/*.e2e.spec.ts'] },
    ...postgresProjects,
  ],
};
