import { randomUUID } from 'node:crypto';
import { type JSONType, jsonEvent } from '@eventstore/db-client';
import {
  AllCheckpoint,
  AppendReport,
  AppendTooLargeError,
  DuplicateEventIdError,
  RecordedEvent,
  StoreUnavailableError,
  WrongExpectedRevisionError,
  checkpointAfter,
} from '../event-store.port';
import { describeEventStoreConformance, newEvent as event } from '../testing';
import { EventStoreDbEventStore, StalledSubscriptionError } from './eventstoredb-event-store';
import { FakeEventStoreDbServer } from '../testing/fake-eventstoredb';

// The adapter's logic against an in-memory server (see fake-eventstoredb.ts); the int spec runs
// the same suite against a real one. One server per suite, shared by its tests, as a real one is.
for (const sendsCaughtUp of [true, false]) {
  // A small recent-commit cache, so the conformance suite's retries outlive it.
  const server = new FakeEventStoreDbServer({ sendsCaughtUp, idempotencyWindow: 20 });
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

describe('EventStoreDbEventStore when the server fails', () => {
  const fast = { retryDelayMs: 5, maxRetryDelayMs: 20, watchdogIntervalMs: 20 };

  /** Subscribes from the start, collecting what the handler is given and every interruption. */
  function follow(
    store: EventStoreDbEventStore,
    handle: (events: RecordedEvent[]) => Promise<void> | void = () => undefined,
  ) {
    const received: RecordedEvent[] = [];
    const interruptions: unknown[] = [];
    const subscription = store.subscribeToAll({
      after: 0,
      onEvents: async (events) => {
        await handle(events);
        received.push(...events);
      },
      onInterrupted: (error) => interruptions.push(error),
    });
    return { received, interruptions, subscription };
  }

  /** Waits for the condition; gives up (failing the test) after a few seconds. */
  async function until(condition: () => boolean): Promise<void> {
    for (let waited = 0; !condition(); waited += 5) {
      if (waited > 4_000) throw new Error('the subscription did not deliver what was appended');
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  it.each([
    ['fails (a leader change)', new Error('leader changed')],
    ['ends (a restart)', undefined],
  ])('resumes with no gap and no duplicate when the subscription %s', async (_, error) => {
    // given
    const server = new FakeEventStoreDbServer({ sendsCaughtUp: true });
    const store = new EventStoreDbEventStore(server.connect(), fast);
    await store.append('project-1', [event('A'), event('B')], 'no_stream');
    const { received, interruptions, subscription } = follow(store);
    await subscription.caughtUp;
    // when: the subscription drops, and writes go on while it is down and after
    server.dropSubscriptions(error);
    await store.append('project-2', [event('C')], 'no_stream');
    await until(() => interruptions.length > 0);
    await store.append('project-1', [event('D')], 1);
    await until(() => received.length >= 4);
    // then
    const stored = await store.readAll();
    expect(received.map((e) => e.id)).toEqual(stored.map((e) => e.id));
    expect(received.map((e) => e.type)).toEqual(['A', 'B', 'C', 'D']);
    expect(interruptions).toHaveLength(1);
    await store.close();
  });

  it('answers StoreUnavailableError while the connection is lost, and the subscription resumes after it', async () => {
    // given
    const server = new FakeEventStoreDbServer({ sendsCaughtUp: true });
    const store = new EventStoreDbEventStore(server.connect(), fast);
    await store.append('project-1', [event('A')], 'no_stream');
    const { received, interruptions, subscription } = follow(store);
    await subscription.caughtUp;
    // when the connection is lost
    server.goOffline();
    const refused = store.append('project-1', [event('B')], 0);
    // then writes and reads say the store is unavailable, not that they failed
    await expect(refused).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(store.readStream('project-1')).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(store.readAll()).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(store.headPosition()).rejects.toBeInstanceOf(StoreUnavailableError);
    await until(() => interruptions.length >= 2);
    // and once it is back, the retried write is taken and the subscription delivers it once
    server.goOnline();
    await store.append('project-1', [event('B')], 0);
    await until(() => received.length >= 2);
    expect(received.map((e) => e.type)).toEqual(['A', 'B']);
    await store.close();
  });

  it('hands every event to the handler exactly once across repeated drops', async () => {
    // given a projection fed by the subscription, and a server that drops it again and again
    const server = new FakeEventStoreDbServer({ sendsCaughtUp: false });
    const store = new EventStoreDbEventStore(server.connect(), fast);
    const seen = new Map<string, number>();
    const { received, interruptions, subscription } = follow(store, (events) => {
      for (const e of events) seen.set(e.id, (seen.get(e.id) ?? 0) + 1);
    });
    await subscription.caughtUp;
    // when
    for (let i = 0; i < 20; i++) {
      await store.append(`project-${i}`, [event('Signed'), event('Listed')], 'no_stream');
      if (i % 4 === 0) server.dropSubscriptions(new Error(`drop ${i}`));
      // Let the subscription receive, fail and resubscribe between writes.
      await new Promise((resolve) => setTimeout(resolve, 3));
    }
    await until(() => received.length >= 40);
    // then
    const stored = await store.readAll();
    expect(received.map((e) => e.position)).toEqual(stored.map((e) => e.position));
    expect([...seen.values()].every((count) => count === 1)).toBe(true);
    expect(interruptions.length).toBeGreaterThanOrEqual(1);
    await store.close();
  });

  it('resumes after the server drops it as a slow consumer', async () => {
    // given a backlog larger than what the server lets a consumer queue, and a slow handler
    const server = new FakeEventStoreDbServer({ sendsCaughtUp: true, maxSubscriptionBuffer: 100 });
    const store = new EventStoreDbEventStore(server.connect(), fast);
    for (let i = 0; i < 15; i++) {
      await store.append(
        `project-${i}`,
        Array.from({ length: 100 }, () => event('Backlog')),
        'no_stream',
      );
    }
    const { received, interruptions } = follow(store, () => new Promise((resolve) => setTimeout(resolve, 2)));
    // when: live appends arrive while the handler works through the backlog
    for (let i = 0; i < 5; i++) await store.append(`live-${i}`, [event('Live')], 'no_stream');
    await until(() => received.length >= 1_505);
    // then
    const stored = await store.readAll();
    expect(received.map((e) => e.id)).toEqual(stored.map((e) => e.id));
    expect(interruptions.length).toBeGreaterThanOrEqual(1);
    await store.close();
  });

  it('reports a stalled subscription and resubscribes when the server silently stops sending', async () => {
    // given
    const server = new FakeEventStoreDbServer({ sendsCaughtUp: true });
    const store = new EventStoreDbEventStore(server.connect(), fast);
    await store.append('project-1', [event('A')], 'no_stream');
    const { received, interruptions, subscription } = follow(store);
    await subscription.caughtUp;
    // when
    server.stallSubscriptions();
    await store.append('project-2', [event('B')], 'no_stream');
    await until(() => received.length >= 2);
    // then
    expect(interruptions).toHaveLength(1);
    expect(interruptions[0]).toBeInstanceOf(StalledSubscriptionError);
    expect(interruptions[0]).toMatchObject({
      deliveredPosition: received[0].position,
      headPosition: received[1].position,
    });
    expect(received.map((e) => e.type)).toEqual(['A', 'B']);
    await store.close();
  });

  it('does not report an idle subscription that has everything', async () => {
    // given
    const server = new FakeEventStoreDbServer({ sendsCaughtUp: true });
    const store = new EventStoreDbEventStore(server.connect(), fast);
    await store.append('project-1', [event('A')], 'no_stream');
    const { interruptions, subscription } = follow(store);
    await subscription.caughtUp;
    // when: several watchdog periods pass
    await new Promise((resolve) => setTimeout(resolve, 120));
    // then
    expect(interruptions).toEqual([]);
    await store.close();
  });

  it('refuses an append above the size limit before sending it, naming the limit', async () => {
    // given a server that takes at most 1 MiB
    const server = new FakeEventStoreDbServer({ sendsCaughtUp: true, maxAppendSizeBytes: 1_048_576 });
    const store = new EventStoreDbEventStore(server.connect());
    const big = event('NotificationIssued', { content: 'x'.repeat(1_100_000) });
    // when
    const refused = store.append('notifications', [big], 'any');
    // then
    await expect(refused).rejects.toBeInstanceOf(AppendTooLargeError);
    await expect(refused).rejects.toMatchObject({ limitBytes: 1_048_576, streamId: 'notifications' });
    expect(server.stored('notifications')).toEqual([]);
    // and one just under the limit is taken
    await store.append(
      'notifications',
      [event('NotificationIssued', { content: 'x'.repeat(1_000_000) })],
      'any',
    );
    expect(server.stored('notifications')).toHaveLength(1);
    await store.close();
  });
});

describe('EventStoreDbEventStore and the server size limit', () => {
  it('turns the server refusing an append as too large into AppendTooLargeError with its limit', async () => {
    // given a server whose MaxAppendSize is below what the store was configured with
    const server = new FakeEventStoreDbServer({ sendsCaughtUp: true, maxAppendSizeBytes: 524_288 });
    const store = new EventStoreDbEventStore(server.connect(), { maxAppendSizeBytes: 1_048_576 });
    // when
    const refused = store.append(
      'notifications',
      [event('NotificationIssued', { content: 'x'.repeat(600_000) })],
      'any',
    );
    // then
    await expect(refused).rejects.toBeInstanceOf(AppendTooLargeError);
    await expect(refused).rejects.toMatchObject({ limitBytes: 524_288 });
    expect(server.stored('notifications')).toEqual([]);
    await store.close();
  });
});

describe('EventStoreDbEventStore observer', () => {
  it('is told of each append as it settled', async () => {
    // given
    const server = new FakeEventStoreDbServer({ sendsCaughtUp: true });
    const settled: AppendReport[] = [];
    const store = new EventStoreDbEventStore(server.connect(), {
      observer: { appendSettled: (report) => settled.push(report) },
    });
    // when
    await store.append('project-1', [event('A')], 'no_stream');
    await store.append('project-1', [event('B')], 'no_stream').catch(() => undefined);
    // then
    expect(
      settled.map((report) => [report.streamId, report.outcome?.nextRevision, report.error?.constructor]),
    ).toEqual([
      ['project-1', 0, undefined],
      ['project-1', undefined, WrongExpectedRevisionError],
    ]);
    await store.close();
  });
});

describe('EventStoreDbEventStore and events that share a commit position', () => {
  /** The client's form of an event, as an older application's TCP client wrote it. */
  const tcpEvent = (type: string) => {
    const { id, data, metadata } = event(type);
    return jsonEvent({ id, type, data: data as JSONType, metadata: { ...metadata, schemaVersion: 1 } });
  };

  it('keeps commit and prepare positions through reads, checkpoints and subscriptions', async () => {
    // given an explicit transaction of three events, with another client's append between its
    // prepare records and its commit record
    const server = new FakeEventStoreDbServer({ sendsCaughtUp: true });
    const store = new EventStoreDbEventStore(server.connect());
    await store.append('project-0', [event('Before')], 'no_stream');
    server.writeTransaction('project-t', ['T1', 'T2', 'T3'].map(tcpEvent), () => {
      void store.append('project-m', [event('Meanwhile')], 'no_stream');
    });
    await store.append('project-1', [event('After')], 'no_stream');

    // when
    const all = await store.readAll();

    // then: in commit order; the transaction's events share its commit position and keep
    // their own prepare positions
    expect(all.map((e) => e.type)).toEqual(['Before', 'Meanwhile', 'T1', 'T2', 'T3', 'After']);
    const [t1, t2, t3] = all.slice(2, 5);
    expect(new Set([t1.position, t2.position, t3.position]).size).toBe(1);
    expect(t1.preparePosition! < t2.preparePosition! && t2.preparePosition! < t3.preparePosition!).toBe(true);
    expect(t1.preparePosition).toBeLessThan(all[1].position);
    expect(all[0].preparePosition).toBeUndefined();
    expect((await store.readStream('project-t')).map((e) => e.preparePosition)).toEqual(
      [t1, t2, t3].map((e) => e.preparePosition),
    );
    // reads resume inside the transaction, and after all of it from its position alone
    expect((await store.readAll(checkpointAfter(t1))).map((e) => e.type)).toEqual(['T2', 'T3', 'After']);
    expect((await store.readAll({ after: t1.position })).map((e) => e.type)).toEqual(['After']);
    const paged: string[] = [];
    for (let from = { after: 0 } as AllCheckpoint; ;) {
      const page = await store.readAll({ ...from, limit: 2 });
      if (page.length === 0) break;
      paged.push(...page.map((e) => e.type));
      from = checkpointAfter(page[page.length - 1]);
    }
    expect(paged).toEqual(all.map((e) => e.type));
    // a subscription resumed inside it delivers the rest once, then follows live appends
    const received: RecordedEvent[] = [];
    const subscription = store.subscribeToAll({
      ...checkpointAfter(t2),
      onEvents: (events) => void received.push(...events),
    });
    await subscription.caughtUp;
    await store.append('project-2', [event('Live')], 'no_stream');
    for (let i = 0; i < 200 && received.length < 3; i++) await new Promise((r) => setTimeout(r, 5));
    expect(received.map((e) => e.type)).toEqual(['T3', 'After', 'Live']);
    await store.close();
  });

  it('hands a transaction longer than a batch to the handler in one batch', async () => {
    // given
    const server = new FakeEventStoreDbServer({ sendsCaughtUp: true });
    const store = new EventStoreDbEventStore(server.connect());
    await store.append(
      'project-0',
      Array.from({ length: 499 }, () => event('Before')),
      'no_stream',
    );
    server.writeTransaction(
      'project-t',
      Array.from({ length: 30 }, () => tcpEvent('InTransaction')),
    );
    const batches: RecordedEvent[][] = [];
    // when
    const subscription = store.subscribeToAll({ after: 0, onEvents: (events) => void batches.push(events) });
    await subscription.caughtUp;
    // then: no batch ends inside the transaction
    const transactionIn = batches.filter((batch) => batch.some((e) => e.type === 'InTransaction'));
    expect(transactionIn).toHaveLength(1);
    expect(transactionIn[0].filter((e) => e.type === 'InTransaction')).toHaveLength(30);
    expect(batches.flat()).toHaveLength(529);
    await store.close();
  });
});

describe('the fake server', () => {
  it('stores an any retry a second time once its ids left the recent-commit cache, as servers do', async () => {
    // given the client itself, without the store's own check
    const server = new FakeEventStoreDbServer({ sendsCaughtUp: true, idempotencyWindow: 5 });
    const client = server.connect();
    const retried = [jsonEvent({ id: randomUUID(), type: 'A', data: {} })];
    await client.appendToStream('s', retried, { expectedRevision: 'any' });
    await client.appendToStream('s', retried, { expectedRevision: 'any' });
    expect(server.stored('s')).toHaveLength(1);
    // when enough other writes pass
    for (let i = 0; i < 5; i++) server.writeSystemEvents(1);
    await client.appendToStream('s', retried, { expectedRevision: 'any' });
    // then
    expect(server.stored('s').map((r) => r.id)).toEqual([retried[0].id, retried[0].id]);
  });
});
