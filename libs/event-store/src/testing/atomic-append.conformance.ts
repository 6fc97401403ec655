import { randomUUID } from 'node:crypto';
import {
  DuplicateEventIdError,
  EventStore,
  RecordedEvent,
  WrongExpectedRevisionError,
} from '../event-store.port';
import { EventStoreUnderTest, newEvent as event } from './event-store.conformance';

/**
 * What `appendAtomically` promises (the spreadsheet import relies on it), for the adapters
 * that offer it: several streams in one transaction, each after its expected revision, and
 * nothing at all when any one of them is refused.
 */
export function describeAtomicAppendConformance(
  name: string,
  factory: () => Promise<EventStoreUnderTest>,
): void {
  describe(`${name}: atomic multi-stream appends`, () => {
    let store: EventStore;
    let atomic: NonNullable<EventStore['appendAtomically']>;
    let dispose: () => Promise<void>;
    let prefix: string;
    const stream = (label: string) => `${prefix}-${label}`;
    const mine = async (after: number) =>
      (await store.readAll({ after })).filter((e) => e.streamId.startsWith(prefix));

    beforeEach(async () => {
      ({ store, dispose } = await factory());
      expect(typeof store.appendAtomically).toBe('function');
      atomic = store.appendAtomically!.bind(store);
      prefix = `atomic_${randomUUID().slice(0, 8)}`;
    });

    afterEach(() => dispose());

    it('appends to several streams in one transaction, each after its expected revision', async () => {
      // given
      await store.append(stream('2'), [event('Earlier')], 'no_stream');
      const head = await store.headPosition();
      const seen: RecordedEvent[] = [];
      const subscription = store.subscribeToAll({
        after: head,
        onEvents: (events) => void seen.push(...events.filter((e) => e.streamId.startsWith(prefix))),
      });
      // when
      const results = await atomic([
        { streamId: stream('1'), events: [event('A'), event('B')], expected: 'no_stream' },
        { streamId: stream('2'), events: [event('C')], expected: 0 },
      ]);
      // then
      const written = await mine(head);
      expect(written.map((e) => [e.streamId, e.revision, e.type])).toEqual([
        [stream('1'), 0, 'A'],
        [stream('1'), 1, 'B'],
        [stream('2'), 1, 'C'],
      ]);
      expect(results).toEqual([
        { nextRevision: 1, position: written[1].position },
        { nextRevision: 1, position: written[2].position },
      ]);
      await waitUntil(() => seen.length === 3);
      await subscription.stop();
    });

    it('writes nothing at all when one stream is not at its expected revision', async () => {
      // given
      await store.append(stream('2'), [event('Earlier')], 'no_stream');
      const head = await store.headPosition();
      // when
      const attempt = atomic([
        { streamId: stream('1'), events: [event('A')], expected: 'no_stream' },
        { streamId: stream('2'), events: [event('B')], expected: 'no_stream' },
        { streamId: stream('3'), events: [event('C')], expected: 'no_stream' },
      ]);
      // then
      await expect(attempt).rejects.toBeInstanceOf(WrongExpectedRevisionError);
      expect(await mine(head)).toEqual([]);
    });

    it('writes nothing when a later event id is already stored in another stream', async () => {
      // given
      const stored = event('Stored');
      await store.append(stream('9'), [stored], 'no_stream');
      const head = await store.headPosition();
      // when
      const attempt = atomic([
        { streamId: stream('1'), events: [event('A')], expected: 'no_stream' },
        { streamId: stream('2'), events: [{ ...stored, type: 'B' }], expected: 'no_stream' },
      ]);
      // then
      await expect(attempt).rejects.toBeInstanceOf(DuplicateEventIdError);
      expect(await mine(head)).toEqual([]);
    });

    it('refuses a stream named twice or an event id repeated across streams', async () => {
      const head = await store.headPosition();
      const a = event('A');
      await expect(
        atomic([
          { streamId: stream('1'), events: [event('A')], expected: 'any' },
          { streamId: stream('1'), events: [event('B')], expected: 'any' },
        ]),
      ).rejects.toThrow(/twice/);
      await expect(
        atomic([
          { streamId: stream('1'), events: [a], expected: 'any' },
          { streamId: stream('2'), events: [a], expected: 'any' },
        ]),
      ).rejects.toBeInstanceOf(DuplicateEventIdError);
      expect(await mine(head)).toEqual([]);
    });

    it('commits an append requested before it no later than itself', async () => {
      const head = await store.headPosition();
      const single = store.append(stream('1'), [event('First')], 'no_stream');
      await atomic([{ streamId: stream('2'), events: [event('Second')], expected: 'no_stream' }]);
      await single;
      expect((await mine(head)).map((e) => e.type).sort()).toEqual(['First', 'Second']);
    });
  });
}

async function waitUntil(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
