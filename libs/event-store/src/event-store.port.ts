/**
 * The event store port. Adapters: the embedded SQLite store (default) and EventStoreDB.
 * Semantics follow EventStoreDB so that both pass one conformance suite
 * (`testing/event-store.conformance.ts`).
 */

/** Metadata every event carries (docs/architecture.md "Events"). */
export interface EventMetadata {
  /** When the system learned the fact (ISO-8601 UTC instant): the "known at" axis. */
  recordedAt: string;
  /** Who recorded it (the token's `sub`). */
  recordedBy: string;
  role?: string;
  /** Where it came from: the API, or an import file and row. */
  source:
    | { kind: 'api'; requestId?: string }
    | { kind: 'import'; file: string; sha256: string; row: number }
    | { kind: string };
  /** Why: required for corrections, retractions, amendments and terminations. */
  reason?: string;
  correlationId: string;
  causationId: string;
  /** The client's Idempotency-Key and a hash of the request it came with. */
  idempotencyKey?: string;
  requestHash?: string;
  [extra: string]: unknown;
}

export interface NewEvent<Data = unknown> {
  /** UUID. Re-appending the same ids right after the same revision is a no-op. */
  id: string;
  type: string;
  schemaVersion: number;
  data: Data;
  metadata: EventMetadata;
}

export interface RecordedEvent<Data = unknown> extends NewEvent<Data> {
  streamId: string;
  /** 0-based position of the event within its stream. */
  revision: number;
  /**
   * Global position in `$all`: increasing in commit order, starting above 0; every event has
   * its own, except EventStoreDB events that one explicit transaction committed together (see
   * preparePosition). Reading "as known through position p" takes every event with
   * `position <= p`: whole transactions.
   */
  position: number;
  /**
   * EventStoreDB only, and only where it differs from `position`: the event's own prepare
   * position. Events written in one explicit transaction (the TCP API's, kept in stores that
   * older clients wrote) share the commit position of the transaction's commit record and
   * differ here; `$all` orders them by position, then prepare position. Events appended
   * through gRPC are committed in place and never have one.
   */
  preparePosition?: number;
}

/**
 * Where to resume `$all` after an event: its position and, where it has one, its prepare
 * position. Checkpoints keep both, so that a resume inside a transaction neither skips nor
 * repeats the transaction's other events. `{ after: p }` alone resumes after everything at p.
 */
export interface AllCheckpoint {
  after: number;
  afterPrepare?: number;
}

/** The checkpoint that resumes right after `event`. */
export function checkpointAfter(event: Pick<RecordedEvent, 'position' | 'preparePosition'>): AllCheckpoint {
  return event.preparePosition === undefined
    ? { after: event.position }
    : { after: event.position, afterPrepare: event.preparePosition };
}

/**
 * `$all` order of an event and a checkpoint: negative when the event comes at or before it
 * (already read), positive when after. An event or checkpoint without a prepare position sorts
 * as its position (EventStoreDB's prepare position never exceeds the commit position).
 */
export function compareToCheckpoint(
  event: Pick<RecordedEvent, 'position' | 'preparePosition'>,
  checkpoint: AllCheckpoint,
): number {
  if (event.position !== checkpoint.after) return event.position < checkpoint.after ? -1 : 1;
  const prepare = event.preparePosition ?? event.position;
  const after = checkpoint.afterPrepare ?? checkpoint.after;
  return prepare <= after ? -1 : 1;
}

/** Whether `event` comes at or before `checkpoint` in `$all`: a subscription already delivered it. */
export function isAtOrBefore(
  event: Pick<RecordedEvent, 'position' | 'preparePosition'>,
  checkpoint: AllCheckpoint,
): boolean {
  return compareToCheckpoint(event, checkpoint) < 0;
}

/** The earliest of several checkpoints (a relay resumes after the least published partition). */
export function earliestCheckpoint(checkpoints: readonly AllCheckpoint[]): AllCheckpoint {
  return checkpoints.reduce((earliest, checkpoint) =>
    isAtOrBefore({ position: checkpoint.after, preparePosition: checkpoint.afterPrepare }, earliest)
      ? checkpoint
      : earliest,
  );
}

/**
 * The revision the caller expects the stream to be at: a number (the last event's
 * revision), `no_stream`, `stream_exists` or `any`.
 */
export type ExpectedRevision = number | 'no_stream' | 'stream_exists' | 'any';

/** Whether a stream whose last revision is `current` (-1: no stream) meets the expectation. */
export function expectedRevisionSatisfied(expected: ExpectedRevision, current: number): boolean {
  switch (expected) {
    case 'any':
      return true;
    case 'no_stream':
      return current === -1;
    case 'stream_exists':
      return current >= 0;
    default:
      return expected === current;
  }
}

export interface AppendResult {
  /** Revision of the last event now in the stream (-1 if the stream is still empty). */
  nextRevision: number;
  /** Global position of the last event appended (or found, for an idempotent retry). */
  position: number;
}

export class WrongExpectedRevisionError extends Error {
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevision,
    readonly actual: number,
  ) {
    super(`stream ${streamId}: expected revision ${String(expected)}, actual ${actual}`);
    this.name = 'WrongExpectedRevisionError';
  }
}

/**
 * An event id is already stored, and not as an exact retry of the same append: it belongs to
 * another stream, to another position, or only some of the batch's ids are stored.
 */
export class DuplicateEventIdError extends Error {
  constructor(
    readonly streamId: string,
    readonly eventId: string,
    detail: string,
  ) {
    super(`stream ${streamId}: event id ${eventId} ${detail}`);
    this.name = 'DuplicateEventIdError';
  }
}

/**
 * The append is larger than the store accepts in one write (EventStoreDB: the server's
 * maximum append size, 1 MiB by default). Nothing was written.
 */
export class AppendTooLargeError extends Error {
  constructor(
    readonly streamId: string,
    readonly sizeBytes: number,
    readonly limitBytes: number,
  ) {
    super(`stream ${streamId}: the append is ${sizeBytes} bytes; the store accepts at most ${limitBytes}`);
    this.name = 'AppendTooLargeError';
  }
}

/**
 * The store cannot be reached now (a lost connection, no leader, a deadline passed): not a
 * fault of the request. An append that fails so may or may not have been written; retrying it
 * with the same events and expected revision is safe (a stored retry is recognised).
 */
export class StoreUnavailableError extends Error {
  constructor(override readonly cause: unknown) {
    super(`the event store is unavailable: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'StoreUnavailableError';
  }
}

/**
 * The checks every adapter makes before an append touches the store: a stream id, an
 * expected revision that can exist, and no event id twice in one append.
 */
export function validateAppend(streamId: string, events: NewEvent[], expected: ExpectedRevision): void {
  validateStreamAndRevision(streamId, expected);
  const ids = events.map((event) => event.id);
  const repeated = ids.find((id, index) => ids.indexOf(id) !== index);
  if (repeated !== undefined)
    throw new DuplicateEventIdError(streamId, repeated, 'appears twice in one append');
}

function validateStreamAndRevision(streamId: string, expected: ExpectedRevision): void {
  if (typeof streamId !== 'string' || streamId.length === 0) {
    throw new TypeError('streamId must be a non-empty string');
  }
  if (typeof expected === 'number' && !(Number.isInteger(expected) && expected >= -1)) {
    throw new RangeError(`expected revision must be an integer ≥ -1, got ${expected}`);
  }
}

/** One append as it settled, for an adapter's observer (logs and metrics outside the store). */
export interface AppendReport {
  streamId: string;
  events: readonly NewEvent[];
  /** From the append call until it settled, in seconds (a group commit's wait included). */
  seconds: number;
  /** Set when the append succeeded; `written` is false for a retry found already stored. */
  outcome?: AppendResult & { written: boolean };
  /** Set when the append failed. */
  error?: unknown;
}

/**
 * Told about appends after they settle. Optional, synchronous and kept out of the store's
 * transactions: it must not throw or block (the store ignores its errors).
 */
export interface EventStoreObserver {
  appendSettled?(report: AppendReport): void;
  /** The embedded store committed one group of appends (one transaction, one fsync). */
  groupCommitted?(group: { appends: number; events: number; seconds: number }): void;
}

/** Calls an observer without letting its failure reach the store's caller. */
export function notifyObserver(call: () => void): void {
  try {
    call();
  } catch {
    // An observer (log, metric) must never fail a write that is already durable.
  }
}

/** validateAppend for each stream of an atomic append, and no stream or event id twice in it. */
export function validateAtomicAppend(appends: StreamAppend[]): void {
  const streams = new Set<string>();
  const ids = new Set<string>();
  for (const append of appends) {
    // validateAppend's own check for an id twice in one stream is the set below, across streams.
    validateStreamAndRevision(append.streamId, append.expected);
    if (streams.has(append.streamId)) {
      throw new TypeError(`stream ${append.streamId} appears twice in one atomic append`);
    }
    streams.add(append.streamId);
    for (const event of append.events) {
      if (ids.has(event.id))
        throw new DuplicateEventIdError(append.streamId, event.id, 'appears twice in one append');
      ids.add(event.id);
    }
  }
}

export interface ReadAllOptions {
  /** Read events with a position strictly greater than this (0 = from the start). */
  after?: number;
  /** With `after`, from a checkpoint inside an EventStoreDB transaction (AllCheckpoint). */
  afterPrepare?: number;
  /** At most this many events. */
  limit?: number;
}

export interface Subscription {
  /** Stops delivery; resolves when no handler call is in flight. */
  stop(): Promise<void>;
  /** Resolves once the subscription has delivered everything appended before it caught up. */
  readonly caughtUp: Promise<void>;
}

export interface SubscribeOptions {
  /** Deliver events with a position strictly greater than this (0 = from the start). */
  after: number;
  /** With `after`, from a checkpoint inside an EventStoreDB transaction (AllCheckpoint). */
  afterPrepare?: number;
  /** Called in position order, one batch at a time; the next batch waits for it. */
  onEvents(events: RecordedEvent[]): void | Promise<void>;
  /** Called when reading fails; the subscription has stopped. */
  onError?(error: unknown): void;
  /**
   * Called when the connection to the store dropped or stalled and the subscription is being
   * resumed from the last position it delivered (networked stores only); it has not stopped.
   */
  onInterrupted?(error: unknown, retryInMs: number): void;
}

/** One stream's part of a multi-stream append. */
export interface StreamAppend {
  streamId: string;
  events: NewEvent[];
  expected: ExpectedRevision;
}

/** The first use of an Idempotency-Key by a caller, kept store-wide whatever the request's outcome. */
export interface IdempotencyKeyUse {
  /** Who used the key (the token's `sub`): keys of different callers never collide. */
  caller: string;
  key: string;
  /** The request the key was first used with (method, path and body). */
  requestHash: string;
  /** ISO-8601 UTC instant of the first use. */
  usedAt: string;
}

/** Abstract class rather than interface so it doubles as the Nest DI token. */
export abstract class EventStore {
  /** Atomically appends all events or none; durable once the promise resolves. */
  abstract append(streamId: string, events: NewEvent[], expected: ExpectedRevision): Promise<AppendResult>;
  /**
   * Appends to several streams in one transaction: every stream's events or none at all, each
   * with its own expected revision (a spreadsheet import is all or nothing). Only stores that
   * can promise that offer it; EventStoreDB's client has no multi-stream transaction.
   */
  appendAtomically?(appends: StreamAppend[]): Promise<AppendResult[]>;
  /** The whole stream in revision order; `[]` when it does not exist. */
  abstract readStream(streamId: string): Promise<RecordedEvent[]>;
  /**
   * Revision of the stream's last event (-1: no stream), what a command checks a state it
   * kept against before deciding on it. Stores that index (stream, revision) override this to
   * answer without reading the events.
   */
  async streamRevision(streamId: string): Promise<number> {
    return (await this.readStream(streamId)).length - 1;
  }
  /**
   * Several whole streams at once, each in revision order; a stream that does not exist is
   * absent from the map. What a batch (an import of thousands of projects) reads before
   * deciding: stores that can read many streams in one query override this.
   */
  async readStreams(streamIds: readonly string[]): Promise<Map<string, RecordedEvent[]>> {
    const streams = new Map<string, RecordedEvent[]>();
    for (const streamId of new Set(streamIds)) {
      const events = await this.readStream(streamId);
      if (events.length > 0) streams.set(streamId, events);
    }
    return streams;
  }
  /** `$all` in position order. */
  abstract readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;
  /**
   * `$all` in position order without the events' data and metadata: what a check of the whole
   * log (store integrity at start-up) reads. Stores that can leave the JSON unread override this.
   */
  async readAllHeaders(options?: ReadAllOptions): Promise<EventHeader[]> {
    return (await this.readAll(options)).map(({ position, streamId, revision, type, schemaVersion }) => ({
      position,
      streamId,
      revision,
      type,
      schemaVersion,
    }));
  }
  /** Position of the last event in `$all` (0 when empty). */
  abstract headPosition(): Promise<number>;
  /**
   * The store's identity: a UUID created with the store and kept by it, the same for every
   * process and connection. A store rebuilt or migrated elsewhere has another one, so a
   * consumer that recorded positions (the relay's checkpoint) can tell it is not the old store.
   */
  abstract storeId(): Promise<string>;
  /** Catch up from a position, then follow live appends. */
  abstract subscribeToAll(options: SubscribeOptions): Subscription;
  abstract close(): Promise<void>;
  /**
   * Records the first use of a caller's key and returns it, or returns the earlier use when
   * one was recorded after `notBefore` (older uses are forgotten and replaced): the same key
   * with another request is then refused wherever it is sent. Stores without it (EventStoreDB)
   * recognise a key only within the stream it wrote to.
   */
  rememberIdempotencyKey?(use: IdempotencyKeyUse, notBefore: string): Promise<IdempotencyKeyUse>;
  /** Deletes the keys first used before `usedBefore` (past their retention); returns how many. */
  forgetIdempotencyKeys?(usedBefore: string): Promise<number>;
}

/**
 * Whether an append failed because the store's disk is full: SQLite's SQLITE_FULL, the
 * operating system's ENOSPC, PostgreSQL's disk_full (53100). The append was rolled back.
 */
export function isStorageFull(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'SQLITE_FULL' || code === 'ENOSPC' || code === '53100';
}

/** Where an event is and what it is, without its data and metadata. */
export type EventHeader = Pick<
  RecordedEvent,
  'position' | 'streamId' | 'revision' | 'type' | 'schemaVersion'
>;

/** Events of several streams, read in (stream, revision) order, grouped by stream. */
export function groupByStream(events: readonly RecordedEvent[]): Map<string, RecordedEvent[]> {
  const streams = new Map<string, RecordedEvent[]>();
  for (const event of events) {
    const stream = streams.get(event.streamId);
    if (stream) stream.push(event);
    else streams.set(event.streamId, [event]);
  }
  return streams;
}
