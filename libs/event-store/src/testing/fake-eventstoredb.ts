import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  ANY,
  END,
  EventStoreDBClient,
  FORWARDS,
  MaxAppendSizeExceededError,
  NO_STREAM,
  START,
  STREAM_EXISTS,
  StreamNotFoundError,
  UnavailableError,
  WrongExpectedVersionError,
  type AppendExpectedRevision,
  type AppendResult,
  type Direction,
  type EventData,
  type Filter,
  type Position,
  type ReadPosition,
  type ReadRevision,
} from '@eventstore/db-client';

interface FakeRecord {
  streamId: string;
  id: string;
  revision: bigint;
  type: string;
  data: unknown;
  metadata: unknown;
  isJson: boolean;
  created: Date;
  position: Position;
}

interface ReadOptions {
  direction?: Direction;
  maxCount?: number | bigint;
}

/**
 * An in-memory stand-in for an EventStoreDB server, for unit tests of EventStoreDbEventStore
 * where no server runs. It implements only the client calls the store makes, with the server
 * behaviours the store relies on (read from EventStoreDB's AllReader, StorageChaser and commit
 * check); the int spec runs the same conformance suite against a real server.
 * - Positions are log offsets: increasing, not consecutive; an event appended through gRPC is
 *   committed in place, so its commit and prepare positions are both its own offset.
 * - Every append is followed by a system event, as projections write `$>` links.
 * - Reading `$all` forwards includes the record at the start position, backwards excludes it,
 *   and a subscription starts after it. Positions that are neither a record's nor a
 *   transaction's commit position are rejected.
 * - A retried append is recognised as EventStoreDB does: with an expected revision, by the ids
 *   stored after it; with `any` or `stream_exists`, only while the first id is among the last
 *   `idempotencyWindow` events committed (the server's bounded cache of recent commits, lost on
 *   a restart or a leader change), so an older retry is stored a second time.
 * - `writeTransaction` writes as the TCP API's explicit transactions did: the events' prepare
 *   records first (other writes may come between), then a commit record whose position all the
 *   transaction's events share as their commit position; their prepare positions differ.
 * - Subscriptions send the caught-up message only when `sendsCaughtUp` (server 23.10+).
 * Faults, for the adapter's resilience: `goOffline` (the connection is lost: every call fails
 * with the client's UnavailableError and subscriptions fail, until `goOnline`),
 * `dropSubscriptions` (a leader change or restart: the stream fails or ends),
 * `stallSubscriptions` (the server stops sending and says nothing), `maxSubscriptionBuffer` (a
 * consumer that lets that many records queue is dropped, as the server drops slow consumers)
 * and `maxAppendSizeBytes` (the server refuses larger appends with MaxAppendSizeExceededError).
 */
export class FakeEventStoreDbServer {
  private readonly log: FakeRecord[] = [];
  private nextOffset = 4_096n;
  readonly subscriptions = new Set<FakeSubscription>();
  /** Set while the connection is lost: what every call fails with. */
  unreachable?: Error;

  constructor(
    readonly options: {
      sendsCaughtUp: boolean;
      maxSubscriptionBuffer?: number;
      maxAppendSizeBytes?: number;
      /** Events whose ids an `any`/`stream_exists` retry is recognised by; default 1,000. */
      idempotencyWindow?: number;
    },
  ) {}

  /**
   * Writes `events` as one explicit transaction: a prepare record per event, then what
   * `meanwhile` writes (other clients' appends), then the commit record. Returns the events.
   */
  writeTransaction(
    streamName: string,
    events: EventData[],
    meanwhile: () => void = () => undefined,
  ): FakeRecord[] {
    const prepares = events.map((event) => {
      const offset = this.nextOffset;
      this.nextOffset += 100n + BigInt(JSON.stringify(event.data ?? null).length);
      return offset;
    });
    meanwhile();
    const commit = this.nextOffset;
    this.nextOffset += 60n;
    const first = this.stored(streamName).length;
    const written = events.map((event, i) =>
      this.commitRecord({
        streamId: streamName,
        id: event.id,
        revision: BigInt(first + i),
        type: event.type,
        data: JSON.parse(JSON.stringify(event.data)),
        metadata: event.metadata === undefined ? undefined : JSON.parse(JSON.stringify(event.metadata)),
        isJson: true,
        created: new Date(),
        position: { commit, prepare: prepares[i] },
      }),
    );
    this.write(`$ce-${streamName.split('-')[0]}`, '$>', `${first}@${streamName}`);
    return written;
  }

  /** The connection is lost: calls fail and live subscriptions fail until goOnline. */
  goOffline(): void {
    this.unreachable = new UnavailableError({ message: 'fake: connection lost' } as never);
    this.dropSubscriptions(this.unreachable);
  }

  goOnline(): void {
    this.unreachable = undefined;
  }

  /** Every live subscription fails with `error`, or ends when none is given. */
  dropSubscriptions(error?: Error): void {
    for (const subscription of [...this.subscriptions]) {
      this.subscriptions.delete(subscription);
      if (error) subscription.destroy(error);
      else subscription.push(null);
    }
  }

  /** Live subscriptions silently stop receiving records (their connection half-open). */
  stallSubscriptions(): void {
    this.subscriptions.clear();
  }

  /** A client, typed as the real one; only the methods EventStoreDbEventStore calls exist. */
  connect(): EventStoreDBClient {
    return new FakeClient(this) as unknown as EventStoreDBClient;
  }

  /** Writes system events, as the server's projections and statistics do. */
  writeSystemEvents(count: number): void {
    for (let i = 0; i < count; i++) this.write('$stats-node', '$statsCollected', {});
  }

  stored(streamId: string): FakeRecord[] {
    return this.log.filter((record) => record.streamId === streamId);
  }

  append(streamName: string, events: EventData[], expected: AppendExpectedRevision): AppendResult {
    if (events.length === 0) throw new Error('fake: EventStoreDbEventStore should not send empty appends');
    const size = events.reduce(
      (sum, event) => sum + JSON.stringify(event.data).length + JSON.stringify(event.metadata ?? null).length,
      0,
    );
    if (this.options.maxAppendSizeBytes !== undefined && size > this.options.maxAppendSizeBytes) {
      throw MaxAppendSizeExceededError.fromMaxAppendSize(this.options.maxAppendSizeBytes);
    }
    const stream = this.stored(streamName);
    const current = stream.length - 1;
    const retried = this.retried(streamName, stream, events, expected, current);
    if (retried) return retried;
    if (!accepts(expected, current)) throw wrongExpectedVersion(streamName, expected, current);
    // Serialised the way the client does it, and parsed back the way it reads it.
    const written = events.map((event, i) =>
      this.write(
        streamName,
        event.type,
        JSON.parse(JSON.stringify(event.data)),
        event.metadata === undefined ? undefined : JSON.parse(JSON.stringify(event.metadata)),
        event.id,
        BigInt(current + 1 + i),
      ),
    );
    this.write(`$ce-${streamName.split('-')[0]}`, '$>', `${current + 1}@${streamName}`);
    const last = written[written.length - 1];
    return { success: true, nextExpectedRevision: last.revision, position: last.position };
  }

  readStream(
    streamName: string,
    { fromRevision = START, direction = FORWARDS, maxCount }: ReadOptions & { fromRevision?: ReadRevision },
  ): Readable {
    const stream = this.stored(streamName);
    if (stream.length === 0) return failed(new StreamNotFoundError(undefined, streamName));
    const records =
      direction === FORWARDS
        ? stream.filter((r) => fromRevision === START || (fromRevision !== END && r.revision >= fromRevision))
        : stream.filter(
            (r) => fromRevision === END || (fromRevision !== START && r.revision <= fromRevision),
          );
    return Readable.from(take(direction === FORWARDS ? records : records.reverse(), maxCount).map(resolved));
  }

  readAll({
    fromPosition = START,
    direction = FORWARDS,
    maxCount,
  }: ReadOptions & { fromPosition?: ReadPosition }) {
    if (!this.isValid(fromPosition))
      return failed(new Error(`fake: invalid position ${String(fromPosition)}`));
    const records =
      direction === FORWARDS
        ? this.log.filter(
            (r) => fromPosition === START || (fromPosition !== END && compare(r.position, fromPosition) >= 0),
          )
        : this.log
            .filter(
              (r) =>
                fromPosition === END || (fromPosition !== START && compare(r.position, fromPosition) < 0),
            )
            .reverse();
    return Readable.from(take(records, maxCount).map(resolved));
  }

  subscribeToAll(fromPosition: ReadPosition, filter: Filter | undefined): FakeSubscription {
    const matches = filter && 'regex' in filter ? new RegExp(filter.regex) : /.*/;
    const subscription = new FakeSubscription(this, (record) =>
      matches.test(filter?.filterOn === 'streamName' ? record.streamId : record.type),
    );
    // The server starts on its own schedule, after the call has returned.
    setImmediate(() => {
      if (!this.isValid(fromPosition)) return subscription.destroy(new Error('fake: invalid position'));
      const backlog = this.log.filter(
        (r) => fromPosition === START || (fromPosition !== END && compare(r.position, fromPosition) > 0),
      );
      for (const record of backlog) subscription.offer(record);
      if (this.options.sendsCaughtUp) subscription.emit('caughtUp');
      this.subscriptions.add(subscription);
    });
    return subscription;
  }

  private write(
    streamId: string,
    type: string,
    data: unknown,
    metadata?: unknown,
    id: string = randomUUID(),
    revision: bigint = BigInt(this.stored(streamId).length),
  ): FakeRecord {
    const offset = this.nextOffset;
    // Records have different sizes, so positions are not consecutive.
    this.nextOffset += 100n + BigInt(JSON.stringify(data ?? null).length);
    return this.commitRecord({
      streamId,
      id,
      revision,
      type,
      data,
      metadata,
      isJson: true,
      created: new Date(),
      position: { commit: offset, prepare: offset },
    });
  }

  /** The log stays in `$all` order: commit position, then prepare position. */
  private commitRecord(record: FakeRecord): FakeRecord {
    this.log.push(record);
    for (const subscription of this.subscriptions) subscription.offer(record);
    return record;
  }

  /** EventStoreDB's commit check for an append whose ids may already be stored. */
  private retried(
    streamName: string,
    stream: FakeRecord[],
    events: EventData[],
    expected: AppendExpectedRevision,
    current: number,
  ): AppendResult | undefined {
    let stored: (FakeRecord | undefined)[];
    if (expected === ANY || expected === STREAM_EXISTS) {
      const window = this.options.idempotencyWindow ?? 1_000;
      const recent = this.log.slice(-window);
      if (!recent.some((r) => r.streamId === streamName && r.id === events[0].id)) return undefined;
      stored = events.map((event) => stream.find((r) => r.id === event.id));
    } else {
      const start = expected === NO_STREAM ? 0 : Number(expected) + 1;
      if (start > current) return undefined;
      stored = events.map((event, i) => (stream[start + i]?.id === event.id ? stream[start + i] : undefined));
    }
    const last = stored[stored.length - 1];
    if (!stored.every(Boolean) || !last) throw wrongExpectedVersion(streamName, expected, current);
    return { success: true, nextExpectedRevision: last.revision, position: last.position };
  }

  /** A record's position, or a transaction's commit position (commit = prepare: after all of it). */
  private isValid(position: ReadPosition): boolean {
    if (position === START || position === END) return true;
    return this.log.some(
      (r) =>
        compare(r.position, position) === 0 ||
        (position.commit === position.prepare && r.position.commit === position.commit),
    );
  }
}

class FakeClient {
  private readonly opened = new Set<FakeSubscription>();

  constructor(private readonly server: FakeEventStoreDbServer) {}

  async appendToStream(
    streamName: string,
    events: EventData[],
    { expectedRevision = ANY }: { expectedRevision?: AppendExpectedRevision } = {},
  ): Promise<AppendResult> {
    if (this.server.unreachable) throw this.server.unreachable;
    return this.server.append(streamName, events, expectedRevision);
  }

  readStream(streamName: string, options: ReadOptions & { fromRevision?: ReadRevision } = {}): Readable {
    if (this.server.unreachable) return failed(this.server.unreachable);
    return this.server.readStream(streamName, options);
  }

  readAll(options: ReadOptions & { fromPosition?: ReadPosition } = {}): Readable {
    if (this.server.unreachable) return failed(this.server.unreachable);
    return this.server.readAll(options);
  }

  subscribeToAll({ fromPosition = START, filter }: { fromPosition?: ReadPosition; filter?: Filter } = {}) {
    const unreachable = this.server.unreachable;
    if (unreachable) {
      const subscription = new FakeSubscription(this.server, () => false);
      setImmediate(() => subscription.destroy(unreachable));
      return subscription;
    }
    const subscription = this.server.subscribeToAll(fromPosition, filter);
    this.opened.add(subscription);
    return subscription;
  }

  async dispose(): Promise<void> {
    await Promise.all([...this.opened].map((subscription) => subscription.unsubscribe()));
  }
}

export class FakeSubscription extends Readable {
  private unsubscribed = false;

  constructor(
    private readonly server: FakeEventStoreDbServer,
    private readonly accepts: (record: FakeRecord) => boolean,
  ) {
    super({ objectMode: true, read: () => undefined });
  }

  offer(record: FakeRecord): void {
    if (this.unsubscribed || !this.accepts(record)) return;
    const limit = this.server.options.maxSubscriptionBuffer;
    if (limit !== undefined && this.readableLength >= limit) {
      this.server.subscriptions.delete(this);
      this.destroy(new Error('fake: subscription dropped: the consumer is too slow'));
      return;
    }
    this.push(resolved(record));
  }

  async unsubscribe(): Promise<void> {
    this.unsubscribed = true;
    this.server.subscriptions.delete(this);
  }
}

function accepts(expected: AppendExpectedRevision, current: number): boolean {
  switch (expected) {
    case ANY:
      return true;
    case NO_STREAM:
      return current === -1;
    case STREAM_EXISTS:
      return current >= 0;
    default:
      return Number(expected) === current;
  }
}

function wrongExpectedVersion(streamName: string, expected: AppendExpectedRevision, current: number) {
  return new WrongExpectedVersionError(undefined, {
    streamName,
    expected,
    current: current < 0 ? NO_STREAM : BigInt(current),
  });
}

function resolved(record: FakeRecord) {
  return { event: { ...record }, commitPosition: record.position.commit };
}

function take<T>(items: T[], maxCount: number | bigint | undefined): T[] {
  return maxCount === undefined ? items : items.slice(0, Number(maxCount));
}

function failed(error: Error): Readable {
  return new Readable({
    objectMode: true,
    read() {
      this.destroy(error);
    },
  });
}

function compare(a: Position, b: Position): number {
  if (a.commit !== b.commit) return a.commit < b.commit ? -1 : 1;
  if (a.prepare !== b.prepare) return a.prepare < b.prepare ? -1 : 1;
  return 0;
}
