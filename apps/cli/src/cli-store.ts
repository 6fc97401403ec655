import { existsSync } from 'node:fs';
import { TrackerConfig, loadConfig } from '@app/config';
import { EventStore, embeddedStoreFile, openEventStore } from '@app/event-store';

/** A mistake in how the CLI was called or where it points: a message and exit 2, no stack trace. */
export class CliError extends Error {
  override name = 'CliError';

  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
  }
}

/** Where the store is, for the line that says which one was opened (no credentials). */
export function describeStore(config: TrackerConfig): string {
  if (config.eventStore === 'embedded') return `embedded store ${embeddedStoreFile(config.dataDir)}`;
  const name = config.eventStore === 'postgres' ? 'PostgreSQL' : 'EventStoreDB';
  const connection =
    config.eventStore === 'postgres' ? config.databaseUrl : config.eventStoreConnectionString;
  if (!connection) return `${name} (from the PG* variables)`;
  const url = new URL(connection);
  url.username = '';
  url.password = '';
  return `${name} ${url.toString()}`;
}

/**
 * Opens the store the API uses (DATA_DIR, EVENT_STORE like the API) for reading, and refuses
 * a data dir that holds no store rather than create an empty one: an auditor who verifies the
 * wrong directory must hear so, not read "0 verified".
 */
export async function withExistingStore<T>(
  work: (store: EventStore) => Promise<T>,
  dataDir?: string,
): Promise<T> {
  const config = loadConfig(dataDir ? { ...process.env, DATA_DIR: dataDir } : process.env, {
    secret: 'none',
  });
  if (config.eventStore === 'embedded' && !existsSync(embeddedStoreFile(config.dataDir))) {
    throw new CliError(
      `no event store in ${config.dataDir} (no ${embeddedStoreFile(config.dataDir)}): set DATA_DIR to the API's data directory`,
    );
  }
  process.stderr.write(`using ${describeStore(config)}\n`);
  const store = await openEventStore(config);
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}
