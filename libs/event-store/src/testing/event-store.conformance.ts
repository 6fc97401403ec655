import { randomUUID } from 'node:crypto';
import {
  AppendResult,
  DuplicateEventIdError,
  EventMetadata,
  EventStore,
  NewEvent,
  RecordedEvent,
  Subscription,
  WrongExpectedRevisionError,
} from '../event-store.port';

export interface EventStoreUnderTest {
  store: EventStore;
  dispose(): Promise<void>;
}

/**
 * The behaviour every EventStore adapter must show (EventStoreDB semantics). Each test gets a
 * store from `factory` and disposes it afterwards. Tests use their own stream names and
 * measure positions from the head they found, so an adapter whose store is shared between
 * tests (a long-running server) passes too, provided nothing else writes during a test.
 * Positions are only compared, never computed: EventStoreDB's are log offsets, not a count.
 */
export function describeEventStoreConformance(
  name: string,
  factory: () => Promise<EventStoreUnderTest>,
): void {
  describe(`${name}: EventStore conformance`, () => {
    let store: EventStore;
    let dispose: () => Promise<void>;
    /** Unique per test, so stream names never collide in a shared store. */
    let prefix: string;
    const stream = (label: string) => `${prefix}-${label}`;

    beforeEach(async () => {
      ({ store, dispose } = await factory());
      prefix = `conformance_${randomUUID().slice(0, 8)}`;
    });

    afterEach(() => dispose());

    describe('append', () => {
      it('creates a stream with no_stream and reports its revision and global position', async () => {
        // given
        const events = [newEvent('ProjectSigned'), newEvent('ProjectListed')];
        // when
        const result = await store.append(stream('a'), events, 'no_stream');
        // then
        const stored = await store.readStream(stream('a'));
        expect(stored.map(({ id, streamId, revision }) => ({ id, streamId, revision }))).toEqual([
          { id: events[0].id, streamId: stream('a'), revision: 0 },
          { id: events[1].id, streamId: stream('a'), revision: 1 },
        ]);
        expect(result).toEqual({ nextRevision: 1, position: stored[1].position });
        expect(stored[0].position).toBeGreaterThan(0);
        expect(stored[1].position).toBeGreaterThan(stored[0].position);
      });

      it('appends when the expected revision is the last revision', async () => {
        await store.append(stream('a'), [newEvent('A')], 'no_stream');

        const second = await store.append(stream('a'), [newEvent('B'), newEvent('C')], 0);
        const third = await store.append(stream('a'), [newEvent('D')], 2);

        expect(second.nextRevision).toBe(2);
        expect(third.nextRevision).toBe(3);
        expect(third.position).toBeGreaterThan(second.position);
        expect((await store.readStream(stream('a'))).map((e) => e.type)).toEqual(['A', 'B', 'C', 'D']);
      });

      it('rejects a wrong expected revision with the actual revision and writes nothing', async () => {
        // given a stream at revision 1
        await store.append(stream('a'), [newEvent('A'), newEvent('B')], 'no_stream');
        const head = await store.headPosition();

        // when / then
        for (const expected of [0, 2, 7, 'no_stream'] as const) {
          const error = await rejectionOf(store.append(stream('a'), [newEvent('Late')], expected));
          expect(error).toBeInstanceOf(WrongExpectedRevisionError);
          expect(error).toMatchObject({ streamId: stream('a'), expected, actual: 1 });
        }
        expect(await store.readStream(stream('a'))).toHaveLength(2);
        expect(await store.headPosition()).toBe(head);
      });

      it('rejects a revision number or stream_exists for a missing stream with actual -1', async () => {
        for (const expected of [0, 'stream_exists'] as const) {
          const error = await rejectionOf(store.append(stream('missing'), [newEvent('A')], expected));
          expect(error).toBeInstanceOf(WrongExpectedRevisionError);
          expect(error).toMatchObject({ streamId: stream('missing'), expected, actual: -1 });
        }
        expect(await store.readStream(stream('missing'))).toEqual([]);
      });

      it('accepts any revision with any, and an existing stream with stream_exists', async () => {
        const created = await store.append(stream('a'), [newEvent('A')], 'any');
        const existing = await store.append(stream('a'), [newEvent('B')], 'stream_exists');
        const anyAgain = await store.append(stream('a'), [newEvent('C'), newEvent('D')], 'any');

        expect([created.nextRevision, existing.nextRevision, anyAgain.nextRevision]).toEqual([0, 1, 3]);
        expect((await store.readStream(stream('a'))).map((e) => e.revision)).toEqual([0, 1, 2, 3]);
      });

      it("answers a stream's revision (-1 for none) as its read gives it", async () => {
        await store.append(stream('a'), [newEvent('A'), newEvent('B')], 'no_stream');
        await store.append(stream('b'), [newEvent('C')], 'no_stream');
        await store.append(stream('a'), [newEvent('D')], 1);

        expect(await store.streamRevision(stream('a'))).toBe(2);
        expect(await store.streamRevision(stream('b'))).toBe(0);
        expect(await store.streamRevision(stream('missing'))).toBe(-1);
      });

      it("reads $all's headers as readAll gives them, after a position and up to a limit", async () => {
        await store.append(stream('a'), [newEvent('A'), newEvent('B')], 'no_stream');
        await store.append(stream('b'), [newEvent('C')], 'no_stream');
        const header = ({ position, streamId, revision, type, schemaVersion }: RecordedEvent) => ({
          position,
          streamId,
          revision,
          type,
          schemaVersion,
        });
        const all = await store.readAll();

        expect(await store.readAllHeaders()).toEqual(all.map(header));
        expect(await store.readAllHeaders({ after: all[0].position, limit: 1 })).toEqual([header(all[1])]);
      });

      it('reads several streams at once as each read gives it, leaving out streams that do not exist', async () => {
        await store.append(stream('a'), [newEvent('A'), newEvent('B')], 'no_stream');
        await store.append(stream('b'), [newEvent('C')], 'no_stream');
        await store.append(stream('a'), [newEvent('D')], 1);

        const read = await store.readStreams([stream('b'), stream('missing'), stream('a'), stream('b')]);

        expect([...read.keys()].sort()).toEqual([stream('a'), stream('b')].sort());
        expect(read.get(stream('a'))).toEqual(await store.readStream(stream('a')));
        expect(read.get(stream('b'))).toEqual(await store.readStream(stream('b')));
        expect((await store.readStreams([])).size).toBe(0);
      });

      it('returns the current revision for an empty append without writing, still checking the revision', async () => {
        await store.append(stream('a'), [newEvent('A'), newEvent('B')], 'no_stream');
        const head = await store.headPosition();

        expect((await store.append(stream('a'), [], 1)).nextRevision).toBe(1);
        expect((await store.append(stream('a'), [], 'any')).nextRevision).toBe(1);
        expect((await store.append(stream('missing'), [], 'no_stream')).nextRevision).toBe(-1);
        await expect(store.append(stream('a'), [], 0)).rejects.toMatchObject({ actual: 1 });
        expect(await store.headPosition()).toBe(head);
        expect(await store.readStream(stream('missing'))).toEqual([]);
      });

      it('appends all events of a batch or none: a failing second event leaves nothing written', async () => {
        // given a batch whose second event cannot be serialised
        const head = await store.headPosition();
        const batch = [newEvent('A'), newEvent('B', { amount: BigInt(1) })];

        // when
        await expect(store.append(stream('a'), batch, 'no_stream')).rejects.toThrow();

        // then the first event was not written either, and the stream can still be created
        expect(await store.readStream(stream('a'))).toEqual([]);
        expect(await store.headPosition()).toBe(head);
        const retry = [{ ...batch[0] }, newEvent('B')];
        expect((await store.append(stream('a'), retry, 'no_stream')).nextRevision).toBe(1);
        expect((await store.readStream(stream('a'))).map((e) => e.id)).toEqual(retry.map((e) => e.id));
      });

      it('treats re-appending the same ids at the same revision as a no-op with the same result', async () => {
        // given
        const head = await store.headPosition();
        const first = [newEvent('A'), newEvent('B')];
        const second = [newEvent('C')];
        const firstResult = await store.append(stream('a'), first, 'no_stream');
        const secondResult = await store.append(stream('a'), second, 1);

        // when the same appends are retried (after the stream moved on, and with `any`)
        const retries = [
          await store.append(stream('a'), first, 'no_stream'),
          await store.append(stream('a'), second, 1),
          await store.append(stream('a'), first, 'any'),
          await store.append(stream('a'), second, 'any'),
        ];

        // then
        expect(retries).toEqual([firstResult, secondResult, firstResult, secondResult]);
        const ids = [...first, ...second].map((e) => e.id);
        expect((await store.readStream(stream('a'))).map((e) => e.id)).toEqual(ids);
        expect((await store.readAll({ after: head })).map((e) => e.id)).toEqual(ids);
        expect(await store.headPosition()).toBe(secondResult.position);
      });

      it('recognises an any or stream_exists retry however many writes came between, and refuses a partial one', async () => {
        // given appends with `any` and `stream_exists`, then more writes than a server's
        // recent-commit cache holds (the fake EventStoreDB keeps 20; real servers more)
        const first = [newEvent('A'), newEvent('B')];
        const second = [newEvent('C')];
        const firstResult = await store.append(stream('a'), first, 'any');
        const secondResult = await store.append(stream('a'), second, 'stream_exists');
        for (let i = 0; i < 30; i++)
          await store.append(stream(`other-${i}`), [newEvent('Other')], 'no_stream');

        // when the appends are retried
        const retries = [
          await store.append(stream('a'), first, 'any'),
          await store.append(stream('a'), second, 'stream_exists'),
          await store.append(stream('a'), second, 'any'),
        ];

        // then nothing is stored twice
        expect(retries).toEqual([firstResult, secondResult, secondResult]);
        expect((await store.readStream(stream('a'))).map((e) => e.id)).toEqual(
          [...first, ...second].map((e) => e.id),
        );
        // and a batch of which only some ids are stored is refused, writing nothing
        const partial = await rejectionOf(store.append(stream('a'), [second[0], newEvent('D')], 'any'));
        expect(partial).toBeInstanceOf(DuplicateEventIdError);
        expect(await store.readStream(stream('a'))).toHaveLength(3);
      });

      it('refuses an empty stream id, an impossible expected revision and an id twice in one append, writing nothing', async () => {
        // given
        const head = await store.headPosition();
        const repeated = newEvent('A');

        // when / then
        await expect(store.append('', [newEvent('A')], 'any')).rejects.toBeInstanceOf(TypeError);
        await expect(store.append(stream('a'), [newEvent('A')], -2)).rejects.toBeInstanceOf(RangeError);
        await expect(store.append(stream('a'), [newEvent('A')], 0.5)).rejects.toBeInstanceOf(RangeError);
        await expect(
          store.append(stream('a'), [repeated, newEvent('B'), repeated], 'any'),
        ).rejects.toMatchObject({
          name: 'DuplicateEventIdError',
          eventId: repeated.id,
        });
        expect(await store.readStream(stream('a'))).toEqual([]);
        expect(await store.headPosition()).toBe(head);
      });
    });

    describe('readStream', () => {
      it('returns [] for a stream that does not exist', async () => {
        expect(await store.readStream(stream('never-written'))).toEqual([]);
      });

      it('returns only that stream, in revision order, while streams interleave', async () => {
        await store.append(stream('a'), [newEvent('A0')], 'no_stream');
        await store.append(stream('b'), [newEvent('B0'), newEvent('B1')], 'no_stream');
        await store.append(stream('a'), [newEvent('A1'), newEvent('A2')], 0);
        await store.append(stream('b'), [newEvent('B2')], 1);

        const a = await store.readStream(stream('a'));
        const b = await store.readStream(stream('b'));

        expect(a.map((e) => [e.type, e.revision])).toEqual([
          ['A0', 0],
          ['A1', 1],
          ['A2', 2],
        ]);
        expect(b.map((e) => [e.type, e.revision])).toEqual([
          ['B0', 0],
          ['B1', 1],
          ['B2', 2],
        ]);
        expect(a.every((e) => e.streamId === stream('a'))).toBe(true);
      });

      it('round-trips type, schema version, data and metadata exactly, including Chinese text', async () => {
        // given
        const event: NewEvent = {
          id: randomUUID(),
          type: 'ProjectSigned',
          schemaVersion: 3,
          data: {
            projectId: 'p-1',
            name: '年产10万吨新材料项目',
            enterprise: '山西某新材料有限公司',
            totalInvestmentWan: 470300.25,
            industrial: true,
            parcel: null,
            tags: ['三个一批', 'emoji 🚧', ''],
            nested: { depth: { deeper: [1, -2, 0.5e-3] } },
          },
          metadata: {
            ...metadata(),
            role: 'officer',
            source: { kind: 'import', file: '晋中开发区-2023第一批.xlsx', row: 17 },
            reason: '更正：签约日期录入错误',
            idempotencyKey: 'key-1',
            requestHash: 'sha256:abc',
            custom: { nested: ['x', 1] },
          },
        };
        const head = await store.headPosition();

        // when
        const { position } = await store.append(stream('a'), [event], 'no_stream');

        // then
        const expected: RecordedEvent = { ...event, streamId: stream('a'), revision: 0, position };
        expect(await store.readStream(stream('a'))).toEqual([expected]);
        expect(await store.readAll({ after: head, limit: 1 })).toEqual([expected]);
      });
    });

    describe('readAll and headPosition', () => {
      it('reads $all in commit order with strictly increasing positions, honouring after and limit', async () => {
        // given four appends across three streams
        const head = await store.headPosition();
        const appends: [string, NewEvent[]][] = [
          [stream('a'), [newEvent('A0'), newEvent('A1')]],
          [stream('b'), [newEvent('B0')]],
          [stream('a'), [newEvent('A2')]],
          [stream('c'), [newEvent('C0'), newEvent('C1'), newEvent('C2')]],
        ];
        const results: AppendResult[] = [];
        for (const [streamId, events] of appends) results.push(await store.append(streamId, events, 'any'));

        // when
        const all = await store.readAll({ after: head });

        // then
        expect(all.map((e) => e.type)).toEqual(['A0', 'A1', 'B0', 'A2', 'C0', 'C1', 'C2']);
        expect(all.map((e) => e.revision)).toEqual([0, 1, 0, 2, 0, 1, 2]);
        expectStrictlyIncreasing(all.map((e) => e.position));
        expect(all[0].position).toBeGreaterThan(head);
        expect(results.map((r) => r.position)).toEqual(
          [all[1], all[2], all[3], all[6]].map((e) => e.position),
        );

        expect((await store.readAll({ after: head, limit: 3 })).map((e) => e.type)).toEqual([
          'A0',
          'A1',
          'B0',
        ]);
        expect((await store.readAll({ after: all[2].position, limit: 2 })).map((e) => e.type)).toEqual([
          'A2',
          'C0',
        ]);
        expect((await store.readAll({ after: all[5].position })).map((e) => e.type)).toEqual(['C2']);
        expect(await store.readAll({ after: all[6].position })).toEqual([]);
        expect(await store.readAll({ after: head, limit: 0 })).toEqual([]);
      });

      it('reads from the start when no position is given', async () => {
        await store.append(stream('a'), [newEvent('A0'), newEvent('A1')], 'no_stream');

        const all = await store.readAll();

        expect(all.length).toBeGreaterThanOrEqual(2);
        expect(all[0].position).toBeGreaterThan(0);
        expectStrictlyIncreasing(all.map((e) => e.position));
        expect(all.slice(-2).map((e) => e.type)).toEqual(['A0', 'A1']);
      });

      it('reports the position of the last event as the head', async () => {
        const before = await store.headPosition();
        const all = await store.readAll({ after: 0 });
        expect(before).toBe(all.length > 0 ? all[all.length - 1].position : 0);

        const first = await store.append(stream('a'), [newEvent('A0'), newEvent('A1')], 'no_stream');
        expect(first.position).toBeGreaterThan(before);
        expect(await store.headPosition()).toBe(first.position);

        await expect(store.append(stream('a'), [newEvent('Late')], 'no_stream')).rejects.toThrow();
        expect(await store.headPosition()).toBe(first.position);

        const second = await store.append(stream('b'), [newEvent('B0')], 'no_stream');
        expect(await store.headPosition()).toBe(second.position);
      });
    });

    describe('storeId', () => {
      it('is a UUID, the same on every call, and adds nothing to $all', async () => {
        // given
        await store.append(stream('a'), [newEvent('A')], 'no_stream');
        const head = await store.headPosition();
        const all = (await store.readAll()).length;
        // when
        const first = await store.storeId();
        const second = await store.storeId();
        // then
        expect(first).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
        expect(second).toBe(first);
        expect(await store.headPosition()).toBe(head);
        expect(await store.readAll()).toHaveLength(all);
      });
    });

    describe('subscribeToAll', () => {
      let subscriptions: Subscription[];
      beforeEach(() => {
        subscriptions = [];
      });
      afterEach(() => Promise.all(subscriptions.map((s) => s.stop())));

      /** Subscribes and records what it receives: every event, and this test's events. */
      function follow(after: number, handle?: (events: RecordedEvent[]) => Promise<void>) {
        const received = {
          all: [] as RecordedEvent[],
          mine: [] as RecordedEvent[],
          errors: [] as unknown[],
          maxInFlight: 0,
        };
        let inFlight = 0;
        const subscription = store.subscribeToAll({
          after,
          onEvents: async (events) => {
            inFlight += 1;
            received.maxInFlight = Math.max(received.maxInFlight, inFlight);
            await new Promise((resolve) => setImmediate(resolve));
            received.all.push(...events);
            received.mine.push(...events.filter((e) => e.streamId.startsWith(prefix)));
            if (handle) await handle(events);
            inFlight -= 1;
          },
          onError: (error) => received.errors.push(error),
        });
        subscriptions.push(subscription);
        return { subscription, received };
      }

      it('catches up from the start in order, then follows live appends exactly once until stopped', async () => {
        // given 1,200 events (several subscription batches) in twelve appends over three streams
        const head = await store.headPosition();
        for (let i = 0; i < 12; i++) {
          const events = Array.from({ length: 100 }, (_, j) => newEvent(`Backlog${i * 100 + j}`));
          await store.append(stream(`s${i % 3}`), events, 'any');
        }
        const backlog = await store.readAll({ after: head });

        // when
        const { subscription, received } = follow(0);
        await subscription.caughtUp;

        // then everything appended before caught-up has been delivered
        expect(received.mine.map((e) => e.id)).toEqual(backlog.map((e) => e.id));

        // when live appends arrive, one after another and concurrently
        await store.append(stream('s0'), [newEvent('Live0')], 'any');
        await store.append(stream('s1'), [newEvent('Live1'), newEvent('Live2')], 'stream_exists');
        await Promise.all(
          ['x', 'y', 'z'].map((s) =>
            store.append(stream(s), [newEvent(`Live-${s}`), newEvent('Then')], 'no_stream'),
          ),
        );
        const everything = await store.readAll({ after: head });
        expect(everything).toHaveLength(1200 + 9);
        await waitUntil(() => received.mine.length >= everything.length, 'live events');

        // then each arrived once, in position order, one handler call at a time
        expect(received.mine.map((e) => e.id)).toEqual(everything.map((e) => e.id));
        expect(received.mine).toEqual(everything);
        expectStrictlyIncreasing(received.all.map((e) => e.position));
        expect(received.maxInFlight).toBe(1);
        expect(received.errors).toEqual([]);

        // when stopped, later appends are not delivered
        await subscription.stop();
        await store.append(stream('s0'), [newEvent('AfterStop')], 'any');
        await sleep(300);
        expect(received.mine).toHaveLength(everything.length);
      });

      it('catches up from a middle position, then receives live appends', async () => {
        // given
        for (let i = 0; i < 5; i++) {
          await store.append(stream('a'), [newEvent(`E${2 * i}`), newEvent(`E${2 * i + 1}`)], 'any');
        }
        const events = await store.readStream(stream('a'));
        const middle = events[3].position;

        // when
        const { subscription, received } = follow(middle);
        await subscription.caughtUp;

        // then
        expect(received.mine.map((e) => e.type)).toEqual(['E4', 'E5', 'E6', 'E7', 'E8', 'E9']);
        expect(received.all[0].position).toBeGreaterThan(middle);

        await store.append(stream('a'), [newEvent('E10')], 9);
        await waitUntil(() => received.mine.length === 7, 'the live event');
        expect(received.mine.map((e) => e.revision)).toEqual([4, 5, 6, 7, 8, 9, 10]);
      });

      it('catches up at once when there is nothing after the position, then sees the first append', async () => {
        const { subscription, received } = follow(await store.headPosition());
        await subscription.caughtUp;
        expect(received.mine).toEqual([]);

        const { position } = await store.append(stream('a'), [newEvent('First')], 'no_stream');

        await waitUntil(() => received.mine.length === 1, 'the first event');
        expect(received.mine[0]).toMatchObject({ type: 'First', revision: 0, position });
      });

      it('resolves stop() only after the handler call in flight has finished', async () => {
        // given a slow handler working on a batch
        await store.append(stream('a'), [newEvent('A0')], 'no_stream');
        let started = false;
        let finished = false;
        const { subscription, received } = follow(await store.headPosition(), async () => {
          started = true;
          await sleep(150);
          finished = true;
        });
        await store.append(stream('a'), [newEvent('A1')], 0);
        await waitUntil(() => started, 'the handler to start');

        // when
        await subscription.stop();

        // then
        expect(finished).toBe(true);
        await store.append(stream('a'), [newEvent('A2')], 1);
        await sleep(200);
        expect(received.mine.map((e) => e.type)).toEqual(['A1']);
      });

      it('stops at a failing handler, reporting it through onError and caughtUp', async () => {
        // given
        const after = await store.headPosition();
        await store.append(stream('a'), [newEvent('A0')], 'no_stream');
        const failure = new Error('projection failed');
        const errors: unknown[] = [];
        let calls = 0;

        // when
        const subscription = store.subscribeToAll({
          after,
          onEvents: () => {
            calls += 1;
            throw failure;
          },
          onError: (error) => errors.push(error),
        });

        // then
        await expect(subscription.caughtUp).rejects.toBe(failure);
        expect(errors).toEqual([failure]);
        await store.append(stream('a'), [newEvent('A1')], 0);
        await sleep(100);
        expect(calls).toBe(1);
        await subscription.stop();
      });
    });
  });
}

function metadata(): EventMetadata {
  const id = randomUUID();
  return {
    recordedAt: '2024-03-01T08:00:00.000Z',
    recordedBy: 'officer-1',
    source: { kind: 'api', requestId: id },
    correlationId: id,
    causationId: id,
  };
}

/** An event of `type` with fresh ids and the metadata every event carries. */
export function newEvent(type: string, data: unknown = { type }): NewEvent {
  return { id: randomUUID(), type, schemaVersion: 1, data, metadata: metadata() };
}

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject, but it resolved');
}

function expectStrictlyIncreasing(values: number[]): void {
  const offenders = values.filter((value, i) => i > 0 && value <= values[i - 1]);
  expect(offenders).toEqual([]);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function waitUntil(condition: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(5);
  }
}
