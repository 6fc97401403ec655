/**
 * A child process of `test/store-gap.e2e.spec.ts`: appends project lifecycles to the
 * PostgreSQL store for `durationMs` from when it reads a line on stdin (after printing
 * `ready` once connected), then exits. After each append resolves it prints one
 * line, `ack <streamId> <nextRevision> <position> <eventId>...`, so the parent knows exactly
 * what was acknowledged.
 *
 * Usage: node --require ./test/support/register-ts.js test/support/store-gap-writer.ts <url> <writer> <durationMs>
 */
import { randomUUID } from 'node:crypto';
import type { NewEvent } from '@app/event-store';
// The adapter alone: the package index would also load the EventStoreDB client.
import { PostgresEventStore } from '../../libs/event-store/src/postgres/postgres-event-store';

/** Each project's facts in order; an append takes the next one or two. */
const LIFECYCLE: ((projectId: string, writer: number) => { type: string; data: unknown })[] = [
  (projectId, writer) => ({
    type: 'ProjectSigned',
    data: {
      projectId,
      zoneId: writer % 2 ? 'z1' : 'z2',
      name: projectId,
      enterprise: 'e',
      totalInvestmentWan: 100 + Math.floor(Math.random() * 100_000),
      industrial: Math.random() < 0.8,
      strategicEmerging: false,
      signedOn: '2023-02-01',
    },
  }),
  (projectId) => ({
    type: 'ProjectListed',
    data: { projectId, roundId: 'r1', heldOn: '2023-02-22', batch: 'signing' },
  }),
  (projectId) => ({ type: 'ConstructionStarted', data: { projectId, occurredOn: '2023-04-01' } }),
  (projectId) => ({
    type: 'ProjectListed',
    data: { projectId, roundId: 'r2', heldOn: '2023-05-29', batch: 'construction' },
  }),
  (projectId) => ({ type: 'ProductionStarted', data: { projectId, occurredOn: '2023-09-01' } }),
  (projectId) => ({
    type: 'ProjectAmended',
    data: { projectId, changes: { totalInvestmentWan: 5_000 }, reason: '核实' },
  }),
];
/** Projects a writer works on at once, so its appends interleave across streams. */
const OPEN_PROJECTS = 4;

async function main(url: string, writer: number, durationMs: number): Promise<void> {
  const store = await PostgresEventStore.connect({ connectionString: url, maxConnections: 2 });
  const open: { projectId: string; next: number }[] = [];
  let created = 0;
  process.stdout.write('ready\n');
  await new Promise((resolve) => process.stdin.once('data', resolve));
  const deadline = Date.now() + durationMs;
  while (Date.now() < deadline) {
    while (open.length < OPEN_PROJECTS) open.push({ projectId: `w${writer}-p${created++}`, next: 0 });
    const project = open[Math.floor(Math.random() * open.length)];
    const size = Math.min(Math.random() < 0.3 ? 2 : 1, LIFECYCLE.length - project.next);
    const events = Array.from({ length: size }, (_, i) =>
      lifecycleEvent(LIFECYCLE[project.next + i](project.projectId, writer)),
    );
    const streamId = `project-${project.projectId}`;
    const result = await store.append(streamId, events, project.next === 0 ? 'no_stream' : project.next - 1);
    project.next += size;
    if (project.next === LIFECYCLE.length) open.splice(open.indexOf(project), 1);
    const ids = events.map((event) => event.id).join(' ');
    process.stdout.write(`ack ${streamId} ${result.nextRevision} ${result.position} ${ids}\n`);
  }
  await store.close();
}

function lifecycleEvent(fact: { type: string; data: unknown }): NewEvent {
  const id = randomUUID();
  return {
    id,
    type: fact.type,
    schemaVersion: 1,
    data: fact.data,
    metadata: {
      recordedAt: new Date().toISOString(),
      recordedBy: 'store-gap-writer',
      source: { kind: 'test' },
      correlationId: id,
      causationId: id,
    },
  };
}

const [url, writer, durationMs] = process.argv.slice(2);
main(url, Number(writer), Number(durationMs)).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
