import { randomUUID } from 'node:crypto';
import {
  ANY,
  BACKWARDS,
  END,
  ErrorType,
  EventStoreDBClient,
  FORWARDS,
  NO_STREAM,
  START,
  STREAM_EXISTS,
  excludeSystemEvents,
  jsonEvent,
  type AllStreamResolvedEvent,
  type AllStreamSubscription,
  type AppendExpectedRevision,
  type AppendResult as ClientAppendResult,
  type EventData,
  type JSONType,
  type Position,
  type ReadPosition,
  type ResolvedEvent,
} from '@eventstore/db-client';
import {
  AppendResult,
  AppendTooLargeError,
  DuplicateEventIdError,
  EventMetadata,
  EventStore,
  EventStoreObserver,
  ExpectedRevision,
  NewEvent,
  ReadAllOptions,
  RecordedEvent,
  StoreUnavailableError,
  SubscribeOptions,
  Subscription,
  WrongExpectedRevisionError,
  expectedRevisionSatisfied,
  notifyObserver,
  validateAppend,
} from '../event-store.port';

/**
 * The stream holding the store's identity (EventStore.storeId): one event, of a `$` type so that
 * `$all` reads and subscriptions skip it like EventStoreDB's own system events.
 */
export const STORE_IDENTITY_STREAM = 'project-lifecycle-store-identity';
const STORE_IDENTITY_TYPE = '$store-identity';

/** How many `$all` records one forward read asks for. */
const READ_PAGE = 500;
/** How many `$all` records headPosition reads per step while walking back past system events. */
const HEAD_PAGE = 100;
/** How many events a subscription hands to its handler at a time. */
const SUBSCRIPTION_BATCH = 500;
/** How often an `any`/`stream_exists` append reads the stream again after losing a race. */
const UNCONDITIONAL_ATTEMPTS = 20;
/** Queued events at which a subscription pauses the gRPC stream until its handler catches up. */
const SUBSCRIPTION_HIGH_WATER = 2 * SUBSCRIPTION_BATCH;

export interface EventStoreDbOptions {
  /**
   * The largest append sent, in bytes of the events' JSON data and metadata; larger ones fail
   * with AppendTooLargeError before anything is sent. Default 1 MiB, the server's default
   * MaxAppendSize (set it to the server's value, less a margin for the record headers).
   */
  maxAppendSizeBytes?: number;
  /** First wait before resubscribing after a dropped subscription (doubles each try); 100 ms. */
  retryDelayMs?: number;
  /** Longest wait between resubscription attempts; 5 s. */
  maxRetryDelayMs?: number;
  /**
   * How often an idle subscription compares the head of `$all` with what it has delivered;
   * 5 s. Twice in a row behind while nothing arrives: the server stopped sending (a dropped
   * slow consumer, a half-open connection), so it resubscribes.
   */
  watchdogIntervalMs?: number;
  /** Told of every append (logs, metrics); a retry the server recognised counts as written. */
  observer?: EventStoreObserver;
}

const DEFAULTS: Required<Omit<EventStoreDbOptions, 'observer'>> = {
  maxAppendSizeBytes: 1_048_576,
  retryDelayMs: 100,
  maxRetryDelayMs: 5_000,
  watchdogIntervalMs: 5_000,
};

/** The subscription had events to receive, but none came in two watchdog checks. */
export class StalledSubscriptionError extends Error {
  constructor(
    readonly deliveredPosition: number,
    readonly headPosition: number,
  ) {
    super(`the $all subscription stalled at position ${deliveredPosition} while the head is ${headPosition}`);
    this.name = 'StalledSubscriptionError';
  }
}

/**
 * The EventStore port on EventStoreDB (or KurrentDB) over gRPC, for production and clusters.
 * Needs server 22.10 or later (events read from a stream carry their position).
 *
 * Positions are EventStoreDB commit positions: byte offsets in the transaction log. They are
 * increasing in commit order but not consecutive (system records and other streams' events sit
 * between them), so callers must only compare them and store them as checkpoints, never do
 * arithmetic on them; `after` must be 0 or a position this store returned. Each event appended
 * through gRPC is committed in place, so it has its own commit position, equal to its prepare
 * position. Events of one explicit transaction (the TCP API's, in a store older clients wrote)
 * share the commit position of the commit record and differ by prepare position: they carry it
 * as `preparePosition`, reads and subscriptions order and resume by both, and a subscription
 * hands such a transaction to its handler in one batch where it has received it whole.
 *
 * `$all` here means the application's events: system events (type starting with `$`, e.g.
 * projection links and checkpoints) are skipped by readAll, headPosition and subscribeToAll.
 *
 * Differences from the embedded store: event ids are unique per stream, not globally
 * (EventStoreDB only recognises a retried append to the same stream). Retries with `any` or
 * `stream_exists`, which the server recognises only while its bounded cache of recent commits
 * holds the ids, are recognised here by reading the stream (appendAtCurrentRevision).
 */
export class EventStoreDbEventStore extends EventStore {
  private readonly subscriptions = new Set<CatchUpSubscription>();

  private readonly options: typeof DEFAULTS & Pick<EventStoreDbOptions, 'observer'>;
  private identity?: Promise<string>;

  /** `esdb://host:2113?tls=false`, `esdb+discover://cluster:2113`, ... (the client's format). */
  static connect(connectionString: string, options: EventStoreDbOptions = {}): EventStoreDbEventStore {
    return new EventStoreDbEventStore(EventStoreDBClient.connectionString(connectionString), options);
  }

  /** Takes ownership of the client: close() disposes it. */
  constructor(
    private readonly client: EventStoreDBClient,
    options: EventStoreDbOptions = {},
  ) {
    super();
    this.options = { ...DEFAULTS, ...options };
  }

  async append(streamId: string, events: NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    const observer = this.options.observer?.appendSettled ? this.options.observer : undefined;
    const appendToServer = () => this.reachable(() => this.appendToServer(streamId, events, expected));
    if (!observer) return appendToServer();
    const started = performance.now();
    const seconds = () => (performance.now() - started) / 1000;
    try {
      const result = await appendToServer();
      const outcome = { ...result, written: events.length > 0 };
      notifyObserver(() => observer.appendSettled!({ streamId, events, seconds: seconds(), outcome }));
      return result;
    } catch (error) {
      notifyObserver(() => observer.appendSettled!({ streamId, events, seconds: seconds(), error }));
      throw error;
    }
  }

  private async appendToServer(
    streamId: string,
    events: NewEvent[],
    expected: ExpectedRevision,
  ): Promise<AppendResult> {
    validateEventStoreDbAppend(streamId, events, expected);
    // An empty append would write an empty record to the log; check the revision here instead.
    if (events.length === 0) return this.checkRevision(streamId, expected);
    const serialised = events.map(toEventData);
    const proposed = serialised.map(({ eventData }) => eventData);
    // The server refuses an oversized append only after receiving it all, with an error the
    // caller cannot tell from a fault: refuse it here, naming the limit.
    const size = serialised.reduce((sum, { bytes }) => sum + bytes, 0);
    if (size > this.options.maxAppendSizeBytes) {
      throw new AppendTooLargeError(streamId, size, this.options.maxAppendSizeBytes);
    }
    if (expected === 'any' || expected === 'stream_exists') {
      return this.appendAtCurrentRevision(streamId, events, expected, proposed, size);
    }
    return this.send(streamId, proposed, expected, expected, size);
  }

  /**
   * `any` and `stream_exists` appends. The server recognises a retry of these only while the
   * ids sit in its bounded cache of recent commits (and on the node that took the write): a
   * retry after a leader change, a restart or enough other writes would be stored twice. So the
   * store looks for the ids in the stream itself, and appends at the revision it found (an
   * exact expected revision, whose retry the server always recognises), reading again if
   * another writer moved the stream meanwhile. Costs one read of the stream per append; the
   * application's own writes use exact revisions and never take this path.
   */
  private async appendAtCurrentRevision(
    streamId: string,
    events: NewEvent[],
    expected: 'any' | 'stream_exists',
    proposed: EventData[],
    size: number,
  ): Promise<AppendResult> {
    for (let attempt = 1; ; attempt++) {
      const stream = await this.readStream(streamId);
      const stored = storedRetry(streamId, stream, events);
      if (stored) return stored;
      const current = stream.length > 0 ? stream[stream.length - 1].revision : -1;
      if (expected === 'stream_exists' && current < 0) {
        throw new WrongExpectedRevisionError(streamId, expected, current);
      }
      try {
        return await this.send(streamId, proposed, current, expected, size);
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError) || attempt >= UNCONDITIONAL_ATTEMPTS) throw error;
      }
    }
  }

  /** One append call; `reported` is the expected revision a refusal names (the caller's). */
  private async send(
    streamId: string,
    proposed: EventData[],
    expected: ExpectedRevision,
    reported: ExpectedRevision,
    size: number,
  ): Promise<AppendResult> {
    let result: ClientAppendResult;
    try {
      result = await this.client.appendToStream(streamId, proposed, {
        expectedRevision: toClientRevision(expected),
      });
    } catch (error) {
      // A server whose MaxAppendSize is below the configured limit, or an append near the limit
      // whose record headers tip it over: still a 413 naming the server's limit, not a fault.
      if (hasErrorType(error, ErrorType.MAXIMUM_APPEND_SIZE_EXCEEDED)) {
        const { maxAppendSize } = error as { maxAppendSize?: number };
        throw new AppendTooLargeError(streamId, size, maxAppendSize ?? this.options.maxAppendSizeBytes);
      }
      if (hasErrorType(error, ErrorType.WRONG_EXPECTED_VERSION)) {
        const { actualVersion } = error as { actualVersion?: bigint | string };
        throw new WrongExpectedRevisionError(
          streamId,
          reported,
          typeof actualVersion === 'bigint' ? toNumber(actualVersion) : -1,
        );
      }
      throw error;
    }
    if (!result.success) {
      // Only with `throwOnAppendFailure=false` in the connection string; the client's batch
      // append then misreports the actual revision, so read it.
      throw new WrongExpectedRevisionError(streamId, reported, (await this.streamHead(streamId)).revision);
    }
    const nextRevision = toNumber(result.nextExpectedRevision);
    // Servers may omit the position (e.g. for a retried append whose events were scavenged).
    const position = result.position
      ? toNumber(result.position.commit)
      : await this.positionOfRevision(streamId, nextRevision);
    return { nextRevision, position };
  }

  async readStream(streamId: string): Promise<RecordedEvent[]> {
    const events: RecordedEvent[] = [];
    try {
      for await (const resolved of this.client.readStream(streamId, {
        fromRevision: START,
        direction: FORWARDS,
      })) {
        events.push(fromStreamRead(resolved));
      }
    } catch (error) {
      if (hasErrorType(error, ErrorType.STREAM_NOT_FOUND)) return [];
      throw isUnavailable(error) ? new StoreUnavailableError(error) : error;
    }
    return events;
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    return this.reachable(() => this.readAllFromServer(options));
  }

  private async readAllFromServer(options: ReadAllOptions): Promise<RecordedEvent[]> {
    const after = options.after ?? 0;
    // As in the embedded store, a negative limit means no limit.
    const limit = options.limit !== undefined && options.limit >= 0 ? options.limit : Infinity;
    const events: RecordedEvent[] = [];
    const start = after > 0 ? logPosition(after, options.afterPrepare) : undefined;
    // A forward read includes the record at its start position: `cursor` drops it.
    let from: ReadPosition = start ?? START;
    let cursor: Position | undefined;
    while (events.length < limit) {
      // At least 2, so that a page starting on an already-seen record still moves on.
      const maxCount = Math.max(2, Math.min(READ_PAGE, limit - events.length + 1));
      let count = 0;
      let advanced = false;
      // Each page is read to its end (bounded by maxCount), so no gRPC call is left open.
      for await (const { event } of this.client.readAll({
        fromPosition: from,
        direction: FORWARDS,
        maxCount,
      })) {
        count += 1;
        if (!event || (cursor && comparePositions(event.position, cursor) <= 0)) continue;
        cursor = event.position;
        advanced = true;
        if (isSystemEvent(event.type) || events.length >= limit) continue;
        if (start && comparePositions(event.position, start) <= 0) continue;
        events.push(toRecordedEvent(event, event.position));
      }
      if (count < maxCount || !advanced || !cursor) break;
      from = cursor;
    }
    return events;
  }

  /**
   * Exact, not approximated: reads `$all` backwards from the end and walks past the system
   * events written after the last application event (projection links and checkpoints), one
   * page of HEAD_PAGE records per round trip.
   */
  async headPosition(): Promise<number> {
    return this.reachable(() => this.headFromServer());
  }

  /** Runs a read, telling an unreachable server (StoreUnavailableError) from other failures. */
  private async reachable<T>(read: () => Promise<T>): Promise<T> {
    try {
      return await read();
    } catch (error) {
      throw isUnavailable(error) ? new StoreUnavailableError(error) : error;
    }
  }

  private async headFromServer(): Promise<number> {
    let from: ReadPosition = END;
    for (;;) {
      let count = 0;
      let oldest: Position | undefined;
      let head: number | undefined;
      for await (const { event } of this.client.readAll({
        fromPosition: from,
        direction: BACKWARDS,
        maxCount: HEAD_PAGE,
      })) {
        count += 1;
        if (!event || (oldest && comparePositions(event.position, oldest) >= 0)) continue;
        oldest = event.position;
        if (head === undefined && !isSystemEvent(event.type)) head = toNumber(event.position.commit);
      }
      if (head !== undefined) return head;
      if (count < HEAD_PAGE || !oldest) return 0;
      from = oldest;
    }
  }

  /** Written by the first process that asks; the others read it (NO_STREAM settles a race). */
  storeId(): Promise<string> {
    this.identity ??= this.readOrCreateIdentity().catch((error: unknown) => {
      this.identity = undefined;
      throw error;
    });
    return this.identity;
  }

  private async readOrCreateIdentity(): Promise<string> {
    const stored = await this.readIdentity();
    if (stored) return stored;
    const storeId = randomUUID();
    try {
      await this.client.appendToStream(
        STORE_IDENTITY_STREAM,
        [jsonEvent({ type: STORE_IDENTITY_TYPE, data: { storeId, createdAt: new Date().toISOString() } })],
        { expectedRevision: NO_STREAM },
      );
      return storeId;
    } catch (error) {
      if (!hasErrorType(error, ErrorType.WRONG_EXPECTED_VERSION)) throw error;
      const winner = await this.readIdentity();
      if (!winner) throw error;
      return winner;
    }
  }

  private async readIdentity(): Promise<string | undefined> {
    let storeId: string | undefined;
    try {
      for await (const resolved of this.client.readStream(STORE_IDENTITY_STREAM, {
        fromRevision: START,
        direction: FORWARDS,
        maxCount: 1,
      })) {
        const data = resolved.event?.data as { storeId?: unknown } | undefined;
        if (typeof data?.storeId === 'string') storeId = data.storeId;
      }
    } catch (error) {
      if (!hasErrorType(error, ErrorType.STREAM_NOT_FOUND)) throw error;
    }
    return storeId;
  }

  subscribeToAll(options: SubscribeOptions): Subscription {
    const subscription = new CatchUpSubscription(
      this.client,
      options,
      this.options,
      () => this.headPosition(),
      () => this.subscriptions.delete(subscription),
    );
    this.subscriptions.add(subscription);
    return subscription;
  }

  async close(): Promise<void> {
    await Promise.all([...this.subscriptions].map((subscription) => subscription.stop()));
    await this.client.dispose();
  }

  /** Revision and position of the stream's last event; -1 and 0 when it does not exist. */
  private async streamHead(streamId: string): Promise<{ revision: number; position: number }> {
    let head = { revision: -1, position: 0 };
    try {
      // Read to the end (one event) rather than return early, so the gRPC call completes.
      for await (const resolved of this.client.readStream(streamId, {
        fromRevision: END,
        direction: BACKWARDS,
        maxCount: 1,
      })) {
        const { revision, position } = fromStreamRead(resolved);
        head = { revision, position };
      }
    } catch (error) {
      if (!hasErrorType(error, ErrorType.STREAM_NOT_FOUND)) throw error;
    }
    return head;
  }

  private async checkRevision(streamId: string, expected: ExpectedRevision): Promise<AppendResult> {
    const head = await this.streamHead(streamId);
    if (!expectedRevisionSatisfied(expected, head.revision)) {
      throw new WrongExpectedRevisionError(streamId, expected, head.revision);
    }
    return { nextRevision: head.revision, position: head.position };
  }

  private async positionOfRevision(streamId: string, revision: number): Promise<number> {
    let position: number | undefined;
    for await (const resolved of this.client.readStream(streamId, {
      fromRevision: BigInt(revision),
      direction: FORWARDS,
      maxCount: 1,
    })) {
      position = fromStreamRead(resolved).position;
    }
    if (position === undefined) {
      throw new Error(`stream ${streamId}: revision ${revision} was appended but cannot be read back`);
    }
    return position;
  }
}

/**
 * A catch-up subscription to `$all` (system events filtered out by the server). The gRPC stream
 * feeds a queue; one loop hands the queue to the handler a batch at a time, pausing the stream
 * while the queue is long, so handler calls never overlap and events arrive once, in order.
 *
 * When the server ends the stream or it fails (a leader change, a restart, a dropped slow
 * consumer), the subscription resubscribes after the last position it queued, with back-off,
 * keeping what it queued: no gap, no duplicate. A watchdog resubscribes too when the loop is
 * idle, the head of `$all` is ahead of what was delivered, and nothing arrives (the server
 * stopped sending without saying so). Only a failing handler stops it.
 *
 * caughtUp resolves at whichever comes first: the handler has been given every event up to the
 * head position read when the subscription started, or every event received before the server
 * said it caught up (EventStoreDB 23.10+ sends that message; older servers only get the first).
 */
class CatchUpSubscription implements Subscription {
  readonly caughtUp: Promise<void>;
  private resolveCaughtUp!: () => void;
  private rejectCaughtUp!: (error: unknown) => void;
  private stream!: AllStreamSubscription;
  private readonly queue: { seq: number; position: number; event?: RecordedEvent }[] = [];
  /** Sequence number of the last record received from any stream of this subscription. */
  private receivedSeq = 0;
  /** Sequence number and position of the last record the loop has finished with. */
  private processedSeq = 0;
  private processedPosition: number;
  /**
   * Log position (commit and prepare) of the last event queued, so nothing is queued twice;
   * resubscriptions start after it. Undefined: nothing yet, from the start.
   */
  private queued?: Position;
  /** The server's caught-up message: caught up once the loop has finished this record. */
  private serverCaughtUpSeq?: number;
  private headAtStart?: number;
  private isCaughtUp = false;
  private stopped = false;
  private failure?: { error: unknown };
  /** Why the current stream is to be replaced; the loop resubscribes. */
  private interrupted?: { error: unknown };
  private attempts = 0;
  private idle = false;
  /** processedSeq at the last watchdog check that found the subscription behind the head. */
  private behindSince?: number;
  private interruptSleep?: () => void;
  private readonly watchdog: NodeJS.Timeout;
  private readonly loop: Promise<void>;

  constructor(
    private readonly client: EventStoreDBClient,
    private readonly options: SubscribeOptions,
    private readonly settings: typeof DEFAULTS,
    private readonly readHead: () => Promise<number>,
    private readonly onFinished: () => void,
  ) {
    this.caughtUp = new Promise<void>((resolve, reject) => {
      this.resolveCaughtUp = resolve;
      this.rejectCaughtUp = reject;
    });
    // Callers that never await caughtUp must not get an unhandled rejection; onError reports it.
    this.caughtUp.catch(() => undefined);
    this.processedPosition = options.after;
    this.queued = options.after > 0 ? logPosition(options.after, options.afterPrepare) : undefined;
    this.open();
    readHead().then(
      (head) => {
        this.headAtStart = head;
        this.wake();
      },
      (error: unknown) => this.fail(error),
    );
    this.watchdog = setInterval(() => void this.checkStall(), settings.watchdogIntervalMs);
    this.watchdog.unref();
    this.loop = this.run();
  }

  /** Do not await this from inside onEvents: it waits for that very call to return. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wake();
    await this.loop;
  }

  /** Subscribes after the last queued position: the server treats a start position as exclusive. */
  private open(): void {
    const stream = this.client.subscribeToAll({
      fromPosition: this.queued ?? START,
      filter: excludeSystemEvents(),
    });
    this.stream = stream;
    const current = () => this.stream === stream;
    stream.on('data', (resolved: AllStreamResolvedEvent) => {
      if (current()) this.receive(resolved);
    });
    stream.on('caughtUp', () => {
      if (!current()) return;
      // Records received before the message may still sit in the stream's own buffer.
      this.serverCaughtUpSeq = this.receivedSeq + stream.readableLength;
      this.wake();
    });
    stream.on('error', (error: unknown) => {
      if (current()) this.interrupt(error);
    });
    stream.on('end', () => {
      if (current()) this.interrupt(new Error('EventStoreDB ended the $all subscription'));
    });
    if (this.queue.length >= SUBSCRIPTION_HIGH_WATER) stream.pause();
  }

  private receive(resolved: AllStreamResolvedEvent): void {
    if (this.stopped) return;
    try {
      const seq = ++this.receivedSeq;
      const record = resolved.event;
      const deliver =
        record !== undefined &&
        !isSystemEvent(record.type) &&
        (!this.queued || comparePositions(record.position, this.queued) > 0);
      const position = record ? toNumber(record.position.commit) : this.queuedCommit();
      this.queue.push({
        seq,
        position,
        event: deliver ? toRecordedEvent(record, record.position) : undefined,
      });
      if (deliver) this.queued = record.position;
      this.attempts = 0;
      if (this.queue.length >= SUBSCRIPTION_HIGH_WATER) this.stream.pause();
      this.wake();
    } catch (error) {
      this.fail(error);
    }
  }

  private async run(): Promise<void> {
    // Deferred, so that subscribeToAll returns before the first handler call.
    await Promise.resolve();
    try {
      while (!this.stopped) {
        if (this.interrupted) {
          await this.resubscribe(this.interrupted.error);
          continue;
        }
        this.checkCaughtUp();
        if (this.queue.length === 0) {
          this.idle = true;
          await this.sleep();
          this.idle = false;
          continue;
        }
        const batch = this.queue.splice(0, this.batchLength());
        if (this.queue.length < SUBSCRIPTION_HIGH_WATER && this.stream.isPaused()) this.stream.resume();
        const events = batch.flatMap((item) => (item.event ? [item.event] : []));
        if (events.length > 0) await this.options.onEvents(events);
        const last = batch[batch.length - 1];
        this.processedSeq = last.seq;
        this.processedPosition = Math.max(this.processedPosition, last.position);
      }
    } catch (error) {
      this.failure ??= { error };
      this.stopped = true;
    }
    clearInterval(this.watchdog);
    await this.closeStream(this.stream);
    this.onFinished();
    if (this.failure) {
      this.rejectCaughtUp(this.failure.error);
      this.options.onError?.(this.failure.error);
    } else {
      // Stopped before catching up: nothing more will be delivered, so do not leave callers waiting.
      this.resolveCaughtUp();
    }
  }

  /**
   * SUBSCRIPTION_BATCH records, or more to end the batch with a whole transaction when the
   * records after it share its commit position: the handler never sees half of a transaction
   * that has arrived (a projection's "known through" position covers whole transactions).
   */
  private batchLength(): number {
    let length = Math.min(SUBSCRIPTION_BATCH, this.queue.length);
    const last = this.queue[length - 1];
    while (length < this.queue.length && this.queue[length].position === last.position) length += 1;
    return length;
  }

  private queuedCommit(): number {
    return this.queued ? toNumber(this.queued.commit) : 0;
  }

  /** Replaces a dropped or stalled stream after a back-off; what was queued stays queued. */
  private async resubscribe(error: unknown): Promise<void> {
    const delay = Math.min(
      this.settings.retryDelayMs * 2 ** Math.min(this.attempts, 16),
      this.settings.maxRetryDelayMs,
    );
    this.attempts += 1;
    this.options.onInterrupted?.(error, delay);
    await this.closeStream(this.stream);
    await this.sleep(delay);
    this.interrupted = undefined;
    this.behindSince = undefined;
    // A caught-up message of the old stream no longer counts: the new one sends its own.
    if (!this.isCaughtUp) this.serverCaughtUpSeq = undefined;
    if (!this.stopped) this.open();
  }

  /** Idle, behind the head, and still no event since the last check: the stream is stalled. */
  private async checkStall(): Promise<void> {
    if (this.stopped || this.interrupted || !this.idle) {
      this.behindSince = undefined;
      return;
    }
    let head: number;
    try {
      head = await this.readHead();
    } catch {
      return; // The store is unreachable: the stream itself will fail and resubscribe.
    }
    if (!this.idle || head <= this.queuedCommit()) {
      this.behindSince = undefined;
    } else if (this.behindSince === this.receivedSeq) {
      this.interrupt(new StalledSubscriptionError(this.queuedCommit(), head));
    } else {
      this.behindSince = this.receivedSeq;
    }
  }

  private checkCaughtUp(): void {
    if (this.isCaughtUp) return;
    const byHead = this.headAtStart !== undefined && this.processedPosition >= this.headAtStart;
    const byServer = this.serverCaughtUpSeq !== undefined && this.processedSeq >= this.serverCaughtUpSeq;
    if (byHead || byServer) {
      this.isCaughtUp = true;
      this.resolveCaughtUp();
    }
  }

  private interrupt(error: unknown): void {
    if (this.stopped || this.interrupted) return;
    this.interrupted = { error };
    this.wake();
  }

  /** Failures that resubscribing cannot mend (a record it cannot read, the head read at start). */
  private fail(error: unknown): void {
    if (this.stopped) return;
    this.failure = { error };
    this.stopped = true;
    this.wake();
  }

  private async closeStream(stream: AllStreamSubscription): Promise<void> {
    try {
      await stream.unsubscribe();
    } catch {
      // Already closed or failed: there is nothing left to cancel.
    }
  }

  private wake(): void {
    this.interruptSleep?.();
  }

  /** Until woken, or for `ms` when given (a back-off that stop() still cuts short). */
  private sleep(ms?: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = ms === undefined ? undefined : setTimeout(() => this.wake(), ms);
      this.interruptSleep = () => {
        clearTimeout(timer);
        this.interruptSleep = undefined;
        resolve();
      };
    });
  }
}

interface ClientRecordedEvent {
  streamId: string;
  id: string;
  revision: bigint;
  type: string;
  data: unknown;
  metadata: unknown;
  position?: Position;
}

/** The client's event and its size as the server counts it (type, data and metadata bytes). */
function toEventData(event: NewEvent): { eventData: EventData; bytes: number } {
  const data = event.data ?? null;
  const metadata = { ...event.metadata, schemaVersion: event.schemaVersion };
  // The client serialises inside a promise executor, where a throw leaves the append hanging
  // with part of the batch sent: serialise every event first, so a bad one fails them all here.
  const bytes =
    Buffer.byteLength(JSON.stringify(data)) +
    Buffer.byteLength(JSON.stringify(metadata)) +
    Buffer.byteLength(event.type);
  return {
    eventData: jsonEvent({ id: event.id, type: event.type, data: data as JSONType, metadata }),
    bytes,
  };
}

function toClientRevision(expected: ExpectedRevision): AppendExpectedRevision {
  switch (expected) {
    case 'any':
      return ANY;
    case 'no_stream':
      return NO_STREAM;
    case 'stream_exists':
      return STREAM_EXISTS;
    default:
      return expected === -1 ? NO_STREAM : BigInt(expected);
  }
}

function fromStreamRead(resolved: ResolvedEvent): RecordedEvent {
  const record = resolved.event as ClientRecordedEvent | undefined;
  if (!record) throw new Error('EventStoreDB returned a stream entry without an event');
  const commit = record.position?.commit ?? resolved.commitPosition;
  if (commit === undefined) {
    throw new Error('EventStoreDB returned no position for a stream read: use server 22.10 or later');
  }
  return toRecordedEvent(record, record.position ?? { commit, prepare: commit });
}

/**
 * schemaVersion travels in the metadata (a key of that name in the caller's metadata is
 * overwritten). The prepare position is kept where it differs from the commit position.
 */
function toRecordedEvent(record: ClientRecordedEvent, position: Position): RecordedEvent {
  const stored = isPlainObject(record.metadata) ? record.metadata : {};
  const { schemaVersion, ...metadata } = stored;
  return {
    id: record.id,
    type: record.type,
    streamId: record.streamId,
    revision: toNumber(record.revision),
    position: toNumber(position.commit),
    ...(position.prepare !== position.commit ? { preparePosition: toNumber(position.prepare) } : {}),
    schemaVersion: typeof schemaVersion === 'number' ? schemaVersion : 1,
    data: record.data,
    metadata: metadata as EventMetadata,
  };
}

/**
 * The stored result of an earlier append of exactly these events, as the embedded store
 * recognises a retry: all the ids stored together, in order. Undefined when none is stored;
 * DuplicateEventIdError when only some are, or with other events between them.
 */
function storedRetry(
  streamId: string,
  stream: RecordedEvent[],
  events: NewEvent[],
): AppendResult | undefined {
  const ids = new Set(events.map((event) => event.id));
  const start = stream.findIndex((event) => ids.has(event.id));
  if (start < 0) return undefined;
  const run = stream.slice(start, start + events.length);
  if (run.length !== events.length || run.some((stored, i) => stored.id !== events[i].id)) {
    throw new DuplicateEventIdError(
      streamId,
      stream[start].id,
      `is already stored at revision ${stream[start].revision}, but not with this append's other events`,
    );
  }
  const last = run[run.length - 1];
  return { nextRevision: last.revision, position: last.position };
}

/** The port's checks, and EventStoreDB's own: `$` types are its system events. */
function validateEventStoreDbAppend(streamId: string, events: NewEvent[], expected: ExpectedRevision): void {
  validateAppend(streamId, events, expected);
  const reserved = events.find((event) => isSystemEvent(event.type));
  if (reserved) {
    throw new RangeError(
      `event type ${reserved.type} starts with '$', which EventStoreDB reserves for system events`,
    );
  }
}

function isSystemEvent(type: string): boolean {
  return type.startsWith('$');
}

/**
 * A checkpoint this store handed out, as a log position: an event's prepare position where it
 * has one, else its commit position (an event committed in place, or the end of a transaction).
 */
function logPosition(after: number, afterPrepare?: number): Position {
  return { commit: BigInt(after), prepare: BigInt(afterPrepare ?? after) };
}

function comparePositions(a: Position, b: Position): number {
  if (a.commit !== b.commit) return a.commit < b.commit ? -1 : 1;
  if (a.prepare !== b.prepare) return a.prepare < b.prepare ? -1 : 1;
  return 0;
}

function toNumber(value: bigint): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER))
    throw new RangeError(`${value} exceeds Number.MAX_SAFE_INTEGER`);
  return Number(value);
}

/** The client's errors for a server it cannot reach or that cannot answer now. */
function isUnavailable(error: unknown): boolean {
  return [ErrorType.UNAVAILABLE, ErrorType.DEADLINE_EXCEEDED, ErrorType.TIMEOUT, ErrorType.NOT_LEADER].some(
    (type) => hasErrorType(error, type),
  );
}

/** Duck-typed: under jest's per-file module registries `instanceof` can see another copy of the class. */
function hasErrorType(error: unknown, type: ErrorType): boolean {
  return typeof error === 'object' && error !== null && (error as { type?: unknown }).type === type;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array)
  );
}
