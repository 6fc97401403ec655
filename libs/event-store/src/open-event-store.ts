import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { EventStore, EventStoreObserver } from './event-store.port';
import { EventStoreDbEventStore } from './eventstoredb/eventstoredb-event-store';
import { PostgresEventStore } from './postgres/postgres-event-store';
import { SqliteEventStore } from './sqlite/sqlite-event-store';

/** The embedded store's file in DATA_DIR (the CLI refuses a data dir without one). */
export const EMBEDDED_STORE_FILE = 'events.sqlite';

/** The embedded store's file in DATA_DIR (its `-wal` and `-shm` files sit beside it). */
export function embeddedStoreFile(dataDir: string): string {
  return join(dataDir, EMBEDDED_STORE_FILE);
}

export interface EventStoreSelection {
  eventStore: 'embedded' | 'eventstoredb' | 'postgres';
  dataDir: string;
  eventStoreConnectionString?: string;
  /** For `postgres`; without it node-postgres reads the PG* variables. */
  databaseUrl?: string;
}

/**
 * Opens the store chosen by EVENT_STORE; the API, the relay and the CLI all open it here.
 * The observer (logs, metrics) is told of every append, and of group commits where there are.
 */
export async function openEventStore(
  selection: EventStoreSelection,
  observer?: EventStoreObserver,
): Promise<EventStore> {
  if (selection.eventStore === 'eventstoredb') {
    if (!selection.eventStoreConnectionString) throw new Error('EVENTSTORE_CONNECTION_STRING is not set');
    return EventStoreDbEventStore.connect(selection.eventStoreConnectionString, { observer });
  }
  if (selection.eventStore === 'postgres') {
    return PostgresEventStore.connect({ connectionString: selection.databaseUrl, observer });
  }
  mkdirSync(selection.dataDir, { recursive: true });
  return SqliteEventStore.open({ file: embeddedStoreFile(selection.dataDir), observer });
}
