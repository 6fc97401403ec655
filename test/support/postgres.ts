import { createHash } from 'node:crypto';
import { Client } from 'pg';

/** The PostgreSQL server for tests lives with the adapter; the API suites' part is here. */
export type { PostgresServer } from '@app/event-store/testing';
export { describeWithPostgres, postgresForTests, startPostgres } from '@app/event-store/testing';

/**
 * The store settings for an API started on `dataDir` (test/support/api-harness.ts): none by
 * default; under TEST_EVENT_STORE=postgres (the jest project `e2e-postgres`, whose setup
 * file starts the server) a database named after the data dir, so an API restarted on the
 * same data dir finds its events again.
 */
export async function apiStoreEnvironment(dataDir: string): Promise<Record<string, string>> {
  if (process.env.TEST_EVENT_STORE !== 'postgres') return {};
  const serverUrl = process.env.TEST_POSTGRES_URL;
  if (!serverUrl) {
    throw new Error(
      'TEST_EVENT_STORE=postgres runs in the e2e-postgres jest project, which sets TEST_POSTGRES_URL',
    );
  }
  const name = `plt_api_${createHash('sha256').update(dataDir).digest('hex').slice(0, 16)}`;
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
  } finally {
    await client.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return { EVENT_STORE: 'postgres', DATABASE_URL: url.toString() };
}
