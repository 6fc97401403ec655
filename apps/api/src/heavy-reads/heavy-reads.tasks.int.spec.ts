import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventStore, RecordedEvent } from '@app/event-store';
import { InMemoryEventStore } from '@app/event-store/testing';
import { LifecycleReadModel, SNAPSHOT_FILE, writeSnapshotFile } from '@app/projections';
import { HistoryBuilder } from '../../../../libs/projections/src/testing/history-builder';
import { StalledTask } from './heavy-reads.protocol';
import { HeavyReadTasks } from './heavy-reads.tasks';

async function appendAll(store: EventStore, events: RecordedEvent[]): Promise<void> {
  for (const { streamId, revision, position: _position, ...event } of events)
    await store.append(streamId, [event], revision === 0 ? 'no_stream' : revision - 1);
}

function history(): RecordedEvent[] {
  const builder = new HistoryBuilder().zone({ id: 'z1', cityId: 'c1' }).round('r1', '2023-02-22');
  for (let i = 0; i < 20; i++) {
    builder
      .sign(`p${i}`, 'z1', 100 + i, { signedOn: '2023-02-01' })
      .list(`p${i}`, 'r1', '2023-02-22', 'signing');
    if (i % 3 === 0) builder.reach(`p${i}`, 'construction-started', '2023-04-01');
  }
  return builder.events;
}

/** Reads of $all, by the position each one started after. */
function readsOf(store: InMemoryEventStore): number[] {
  const after: number[] = [];
  const readAll = store.readAll.bind(store);
  store.readAll = (options) => {
    after.push(options?.after ?? 0);
    return readAll(options);
  };
  return after;
}

describe('the heavy reads start from the projection snapshot', () => {
  let dataDir: string;
  let store: InMemoryEventStore;
  let snapshotAt: number;

  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'plt-heavy-'));
    store = new InMemoryEventStore();
    const events = history();
    const [first, tail] = [events.slice(0, 30), events.slice(30)];
    await appendAll(store, first);
    const model = new LifecycleReadModel();
    model.apply(await store.readAll({ after: 0 }));
    snapshotAt = model.position;
    await writeSnapshotFile(join(dataDir, SNAPSHOT_FILE), model.cut(), await store.storeId());
    await appendAll(store, tail);
  });
  afterEach(async () => {
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const task = async (): Promise<StalledTask> => ({
    kind: 'stalled',
    query: { asOf: '2023-10-31', listedOnly: true },
    position: await store.headPosition(),
    limit: 5,
    offset: 2,
  });

  it('folds only the events after the snapshot and answers as a fold of the whole log', async () => {
    const fromLog = await new HeavyReadTasks(async () => store, undefined).run(await task());
    const reads = readsOf(store);
    const fromSnapshot = await new HeavyReadTasks(
      async () => store,
      undefined,
      join(dataDir, SNAPSHOT_FILE),
    ).run(await task());
    expect(fromSnapshot).toEqual(fromLog);
    expect(reads[0]).toBe(snapshotAt);
    expect(snapshotAt).toBeGreaterThan(0);
  });

  it('a snapshot it may not trust is ignored: the whole log is folded', async () => {
    const fromLog = await new HeavyReadTasks(async () => store, undefined).run(await task());
    writeFileSync(join(dataDir, SNAPSHOT_FILE), 'torn');
    const reads = readsOf(store);
    const answer = await new HeavyReadTasks(async () => store, undefined, join(dataDir, SNAPSHOT_FILE)).run(
      await task(),
    );
    expect(answer).toEqual(fromLog);
    expect(reads[0]).toBe(0);
  });
});
