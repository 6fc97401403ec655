import { PostgresServer, startPostgres } from './postgres';

/**
 * Setup file of the jest project `e2e-postgres`: the API suites it lists run once more with
 * the PostgreSQL store. One server per test file, without fsync (these suites test the API, the
 * store's own suites test durability); api-harness.ts gives each data dir a database.
 */
let server: PostgresServer | undefined;

beforeAll(async () => {
  server = await startPostgres({ durable: false });
  process.env.TEST_EVENT_STORE = 'postgres';
  process.env.TEST_POSTGRES_URL = server.url;
}, 60_000);

afterAll(async () => {
  // The worker may run another project's file next: it must get the embedded store again.
  delete process.env.TEST_EVENT_STORE;
  delete process.env.TEST_POSTGRES_URL;
  await server?.stop();
}, 60_000);
