/**
 * The child process of the crash tests (`test/store-crash*.e2e.spec.ts`): appends to the
 * embedded store (a file) or to PostgreSQL (a postgres:// URL) until it is killed. After each append resolves it prints one line,
 * `ack <streamId> <nextRevision> <position> <eventId>...`, so the parent knows exactly what was
 * acknowledged. Every event's data names its batch (`batchId`, `size`, `index`), so a batch
 * that was only partly written would show.
 *
 * Usage: node --require ./test/support/register-ts.js test/support/store-crash-writer.ts <file|url> <writer>
 */
import { randomUUID } from 'node:crypto';
import type { EventStore, NewEvent } from '@app/event-store';
// The adapters alone: the package index would also load the EventStoreDB client, slowing every start.
import { PostgresEventStore } from '../../libs/event-store/src/postgres/postgres-event-store';
import { SqliteEventStore } from '../../libs/event-store/src/sqlite/sqlite-event-store';

const STREAMS_PER_WRITER = 5;

export interface CrashTestData {
  batchId: string;
  size: number;
  index: number;
  filler: string;
}

async function main(target: string, writer: string): Promise<void> {
  const store: EventStore = /^postgres(ql)?:\/\//.test(target)
    ? await PostgresEventStore.connect({ connectionString: target, maxConnections: 2 })
    : SqliteEventStore.open({ file: target });
  // Each writer owns its streams, so it can track their revisions itself across restarts.
  const revisions = new Map<string, number>();
  for (const event of await store.readAll()) revisions.set(event.streamId, event.revision);
  const owner = writer.split('.')[1];
  for (let sequence = 0; ; sequence++) {
    const streamId = `crash-${owner}-${Math.floor(Math.random() * STREAMS_PER_WRITER)}`;
    const size = Math.random() < 0.4 ? 1 : 2 + Math.floor(Math.random() * 4);
    const batchId = `${writer}-${sequence}`;
    const events = Array.from({ length: size }, (_, index) => crashEvent({ batchId, size, index }));
    const current = revisions.get(streamId) ?? -1;
    const result = await store.append(streamId, events, current < 0 ? 'no_stream' : current);
    revisions.set(streamId, result.nextRevision);
    const ids = events.map((event) => event.id).join(' ');
    process.stdout.write(`ack ${streamId} ${result.nextRevision} ${result.position} ${ids}\n`);
  }
}

function crashEvent(batch: Omit<CrashTestData, 'filler'>): NewEvent<CrashTestData> {
  const id = randomUUID();
  // Sizes from a few bytes to ~3.6 KB, so some appends span several database pages.
  const filler = '开发区'.repeat(Math.floor(Math.random() * 400));
  return {
    id,
    type: 'CrashTestAppended',
    schemaVersion: 1,
    data: { ...batch, filler },
    metadata: {
      recordedAt: new Date().toISOString(),
      recordedBy: 'store-crash-writer',
      source: { kind: 'test' },
      correlationId: id,
      causationId: id,
    },
  };
}

const [target, writer] = process.argv.slice(2);
main(target, writer).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
