import { RecordedEvent } from '../event-store.port';
import { DuplicateEventIdError } from '../event-store.port';
import { describeEventStoreConformance, newEvent as event } from '../testing';
import { EventStoreDbEventStore } from './eventstoredb-event-store';
import { FakeEventStoreDbServer } from '../testing/fake-eventstoredb';

// The adapter's logic against an in-memory server (see fake-eventstoredb.ts); the int spec runs
// the same suite against a real one. One server per suite, shared by its tests, as a real one is.
for (const sendsCaughtUp of [true, false]) {
  const server = new FakeEventStoreDbServer({ sendsCaughtUp });
  describeEventStoreConformance(
    `EventStoreDbEventStore on a fake server that ${sendsCaughtUp ? 'sends' : 'never sends'} caught-up`,
    async () => {
      const store = new EventStoreDbEventStore(server.connect());
      return { store, dispose: () => store.close() };
    },
  );
}

describe('EventStoreDbEventStore on a fake server', () => {
  let server: FakeEventStoreDbServer;
  let store: EventStoreDbEventStore;

  beforeEach(() => {
    server = new FakeEventStoreDbServer({ sendsCaughtUp: false });
    store = new EventStoreDbEventStore(server.connect());
  });

  afterEach(() => store.close());

  it('skips system events in readAll and headPosition, however many follow the last event', async () => {
    // given
    const { position } = await store.append('project-1', [event('Signed'), event('Listed')], 'no_stream');
    server.writeSystemEvents(1_234);

    // when / then
    expect(await store.headPosition()).toBe(position);
    expect((await store.readAll()).map((e) => e.type)).toEqual(['Signed', 'Listed']);
    expect(await store.readAll({ after: position })).toEqual([]);
  });

  it('reports 0 as the head of a store that holds only system events', async () => {
    server.writeSystemEvents(250);

    expect(await store.headPosition()).toBe(0);
    expect(await store.readAll()).toEqual([]);
  });

  it('gives each event its commit position: increasing, not consecutive', async () => {
    await store.append('project-1', [event('A'), event('B'), event('C')], 'no_stream');

    const positions = (await store.readStream('project-1')).map((e) => e.position);

    expect(positions).toEqual(server.stored('project-1').map((r) => Number(r.position.commit)));
    expect(positions[1] - positions[0]).toBeGreaterThan(1);
    expect(positions[2]).toBeGreaterThan(positions[1]);
  });

  it('carries schemaVersion in the stored metadata and takes it out again when reading', async () => {
    await store.append('project-1', [{ ...event('Signed'), schemaVersion: 2 }], 'no_stream');

    expect(server.stored('project-1')[0].metadata).toMatchObject({
      schemaVersion: 2,
      recordedBy: 'officer-1',
    });
    const [stored] = await store.readStream('project-1');
    expect(stored.schemaVersion).toBe(2);
    expect(stored.metadata).not.toHaveProperty('schemaVersion');
  });

  it('rejects reserved $ types and repeated ids before sending anything', async () => {
    await expect(store.append('project-1', [event('$Signed')], 'any')).rejects.toThrow(/reserves/);
    const repeated = event('Signed');
    await expect(store.append('project-1', [repeated, repeated], 'any')).rejects.toBeInstanceOf(
      DuplicateEventIdError,
    );
    expect(await store.readStream('project-1')).toEqual([]);
  });

  it('treats expected revision -1 as no_stream', async () => {
    expect((await store.append('project-1', [event('A')], -1)).nextRevision).toBe(0);
    await expect(store.append('project-1', [event('B')], -1)).rejects.toMatchObject({ actual: 0 });
  });

  it('resolves caughtUp on the server message alone, once everything received before it is handled', async () => {
    // given a server that sends caught-up, a backlog longer than the queue's high-water mark,
    // and a head position that never arrives
    const caughtUpServer = new FakeEventStoreDbServer({ sendsCaughtUp: true });
    const caughtUpStore = new EventStoreDbEventStore(caughtUpServer.connect());
    for (let i = 0; i < 15; i++) {
      await caughtUpStore.append(
        `project-${i}`,
        Array.from({ length: 100 }, () => event('Backlog')),
        'no_stream',
      );
    }
    jest.spyOn(caughtUpStore, 'headPosition').mockReturnValue(new Promise<number>(() => undefined));
    const received: RecordedEvent[] = [];

    // when
    const subscription = caughtUpStore.subscribeToAll({
      after: 0,
      onEvents: async (events) => {
        await new Promise((resolve) => setImmediate(resolve));
        received.push(...events);
      },
    });
    await subscription.caughtUp;

    // then
    expect(received).toHaveLength(1_500);
    await caughtUpStore.close();
  });

  it('unsubscribes from the server when a handler fails', async () => {
    await store.append('project-1', [event('A')], 'no_stream');
    const subscription = store.subscribeToAll({
      after: 0,
      onEvents: () => {
        throw new Error('projection failed');
      },
    });
    await expect(subscription.caughtUp).rejects.toThrow('projection failed');
    expect(server.subscriptions.size).toBe(0);
    await subscription.stop();
  });
});
