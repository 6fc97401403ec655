import { randomUUID } from 'node:crypto';
import {
  IdempotencyKeyUse,
  AppendResult,
  DuplicateEventIdError,
  EventStore,
  ExpectedRevision,
  NewEvent,
  ReadAllOptions,
  RecordedEvent,
  SubscribeOptions,
  Subscription,
  WrongExpectedRevisionError,
  expectedRevisionSatisfied,
  validateAppend,
} from '../event-store.port';

export interface InMemoryEventStoreOptions {
  /** Events per subscription batch (default 100). */
  batchSize?: number;
  /**
   * Re-send this many already delivered events at the head of every batch after the first,
   * as an at-least-once subscription does after a reconnect (default 0).
   */
  redeliver?: number;
}

/**
 * An EventStore held in memory, for tests of what sits on top of the port (the runner, the
 * read models). It keeps EventStoreDB's semantics as the port describes them, and passes the
 * adapters' conformance suite. Events are copied through JSON, as a real store serialises
 * them, so a test cannot mutate what is stored.
 */
export class InMemoryEventStore extends EventStore {
  private readonly log: RecordedEvent[] = [];
  private readonly streams = new Map<string, RecordedEvent[]>();
  private readonly byId = new Map<string, RecordedEvent>();
  private readonly subscriptions = new Set<InMemorySubscription>();
  private readonly identity = randomUUID();

  constructor(private readonly options: InMemoryEventStoreOptions = {}) {
    super();
  }

  async append(streamId: string, events: NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    validateAppend(streamId, events, expected);
    const stream = this.streams.get(streamId) ?? [];
    const current = stream.length - 1;
    const first = events.length > 0 ? this.byId.get(events[0].id) : undefined;
    if (first) return this.retried(streamId, events, expected, current, first);
    if (!expectedRevisionSatisfied(expected, current))
      throw new WrongExpectedRevisionError(streamId, expected, current);
    if (events.length === 0) {
      return { nextRevision: current, position: current >= 0 ? stream[current].position : 0 };
    }
    const taken = events.find((event) => this.byId.has(event.id));
    if (taken) throw new DuplicateEventIdError(streamId, taken.id, 'is already stored');
    // Serialise the whole batch first: an event that cannot be stored aborts them all.
    const copies = events.map((event) => JSON.parse(JSON.stringify(event)) as NewEvent);
    const head = this.log.length > 0 ? this.log[this.log.length - 1].position : 0;
    const recorded = copies.map((event, i): RecordedEvent => ({
      ...event,
      streamId,
      revision: current + 1 + i,
      position: head + 1 + i,
    }));
    for (const event of recorded) {
      this.log.push(event);
      this.byId.set(event.id, event);
    }
    this.streams.set(streamId, [...stream, ...recorded]);
    for (const subscription of this.subscriptions) subscription.wake();
    const last = recorded[recorded.length - 1];
    return { nextRevision: last.revision, position: last.position };
  }

  async readStream(streamId: string): Promise<RecordedEvent[]> {
    return copy(this.streams.get(streamId) ?? []);
  }

  override async streamRevision(streamId: string): Promise<number> {
    return (this.streams.get(streamId)?.length ?? 0) - 1;
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    return copy(this.readAfter(options.after ?? 0, options.limit ?? Infinity));
  }

  async headPosition(): Promise<number> {
    return this.log.length > 0 ? this.log[this.log.length - 1].position : 0;
  }

  async storeId(): Promise<string> {
    return this.identity;
  }

  subscribeToAll(options: SubscribeOptions): Subscription {
    const subscription = new InMemorySubscription(
      options,
      (after, limit) => copy(this.readAfter(after, limit)),
      this.options.batchSize ?? 100,
      this.options.redeliver ?? 0,
      () => this.subscriptions.delete(subscription),
    );
    this.subscriptions.add(subscription);
    subscription.run();
    return subscription;
  }

  private readonly keyUses = new Map<string, IdempotencyKeyUse>();

  override async rememberIdempotencyKey(
    use: IdempotencyKeyUse,
    notBefore: string,
  ): Promise<IdempotencyKeyUse> {
    const id = JSON.stringify([use.caller, use.key]);
    const earlier = this.keyUses.get(id);
    if (earlier && earlier.usedAt >= notBefore) return earlier;
    this.keyUses.set(id, use);
    return use;
  }

  override async forgetIdempotencyKeys(usedBefore: string): Promise<number> {
    let forgotten = 0;
    for (const [id, use] of this.keyUses) {
      if (use.usedAt >= usedBefore) continue;
      this.keyUses.delete(id);
      forgotten++;
    }
    return forgotten;
  }

  async close(): Promise<void> {
    await Promise.all([...this.subscriptions].map((subscription) => subscription.stop()));
  }

  private readAfter(after: number, limit: number): RecordedEvent[] {
    // Positions are 1, 2, 3…: the event after position p is at index p.
    return this.log.slice(after, after + Math.max(0, limit));
  }

  /** EventStoreDB's idempotent retry: the same ids, stored together, right after the expected revision. */
  private retried(
    streamId: string,
    events: NewEvent[],
    expected: ExpectedRevision,
    current: number,
    first: RecordedEvent,
  ): AppendResult {
    if (first.streamId !== streamId) {
      throw new DuplicateEventIdError(streamId, first.id, `is already stored in stream ${first.streamId}`);
    }
    const stored = (this.streams.get(streamId) ?? []).slice(first.revision, first.revision + events.length);
    if (stored.length !== events.length || stored.some((event, i) => event.id !== events[i].id)) {
      throw new DuplicateEventIdError(streamId, first.id, 'is stored with other events after it');
    }
    const startsWhereExpected =
      expected === 'any' ||
      expected === 'stream_exists' ||
      first.revision === (expected === 'no_stream' ? 0 : expected + 1);
    if (!startsWhereExpected) throw new WrongExpectedRevisionError(streamId, expected, current);
    const last = stored[stored.length - 1];
    return { nextRevision: last.revision, position: last.position };
  }
}

class InMemorySubscription implements Subscription {
  readonly caughtUp: Promise<void>;
  private markCaughtUp!: () => void;
  private failCaughtUp!: (error: unknown) => void;
  private stopped = false;
  private wakeUp?: () => void;
  private running?: Promise<void>;

  constructor(
    private readonly options: SubscribeOptions,
    private readonly read: (after: number, limit: number) => RecordedEvent[],
    private readonly batchSize: number,
    private readonly redeliver: number,
    private readonly onStop: () => void,
  ) {
    this.caughtUp = new Promise((resolve, reject) => {
      this.markCaughtUp = resolve;
      this.failCaughtUp = reject;
    });
    // Whoever does not await caughtUp hears of a failure through onError.
    this.caughtUp.catch(() => undefined);
  }

  run(): void {
    this.running = this.loop().catch((error: unknown) => {
      this.stopped = true;
      this.onStop();
      this.failCaughtUp(error);
      this.options.onError?.(error);
    });
  }

  wake(): void {
    this.wakeUp?.();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.onStop();
    this.wake();
    await this.running;
  }

  private async loop(): Promise<void> {
    let after = this.options.after;
    let delivered = 0;
    while (!this.stopped) {
      const replayFrom = delivered > 0 ? Math.max(this.options.after, after - this.redeliver) : after;
      const batch = this.read(replayFrom, after - replayFrom + this.batchSize);
      if (batch.length > after - replayFrom) {
        await this.options.onEvents(batch);
        after = batch[batch.length - 1].position;
        delivered += batch.length;
        continue;
      }
      this.markCaughtUp();
      await new Promise<void>((resolve) => {
        this.wakeUp = resolve;
        // An append may have landed between the read and now.
        if (this.stopped || this.read(after, 1).length > 0) resolve();
      });
      this.wakeUp = undefined;
    }
  }
}

function copy(events: RecordedEvent[]): RecordedEvent[] {
  return JSON.parse(JSON.stringify(events)) as RecordedEvent[];
}
