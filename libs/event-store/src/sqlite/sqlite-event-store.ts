import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { existsSync, statSync } from 'node:fs';
import {
  AppendResult,
  EventStore,
  IdempotencyKeyUse,
  ExpectedRevision,
  NewEvent,
  ReadAllOptions,
  RecordedEvent,
  StreamAppend,
  SubscribeOptions,
  Subscription,
  WrongExpectedRevisionError,
  expectedRevisionSatisfied,
  groupByStream,
  DuplicateEventIdError,
  EventHeader,
  EventStoreObserver,
  notifyObserver,
  validateAppend,
  validateAtomicAppend,
} from '../event-store.port';
import { MissingStoreError } from '../store-integrity';

export interface SqliteEventStoreOptions {
  /** Path of the database file; created when missing. */
  file: string;
  /** How often a subscription looks for appends made by other processes (default 50 ms). */
  pollIntervalMs?: number;
  /** Told of every append and group commit (logs, metrics). */
  observer?: EventStoreObserver;
}

/** How many events a subscription reads (and hands to its handler) at a time. */
const SUBSCRIPTION_BATCH = 500;
/** How long a connection waits for another process's write lock before failing. */
const BUSY_TIMEOUT_MS = 5_000;

/**
 * Whether the store file is 0 bytes with no write-ahead log, and not just created: SQLite never
 * leaves that once it has written a schema, so a store was lost there. (A file with content but
 * no events table is told from a new one under the write lock: createSchema.)
 */
function storeFileEmptied(file: string): boolean {
  if (!existsSync(file)) return false;
  const { size, mtimeMs } = statSync(file);
  if (size > 0 || existsSync(`${file}-wal`) || existsSync(`${file}-shm`)) return false;
  // Another process may have created the file an instant ago and not yet written its schema.
  return Date.now() - mtimeMs > EMPTY_FILE_GRACE_MS;
}

/** How old a 0-byte store file must be to count as a lost store rather than one being created. */
const EMPTY_FILE_GRACE_MS = 10_000;

/** The one table of the embedded store (exported so the benchmark's raw baseline uses the same). */
export const EVENTS_TABLE_SCHEMA = `
  CREATE TABLE IF NOT EXISTS events (
    position       INTEGER PRIMARY KEY AUTOINCREMENT,
    stream_id      TEXT    NOT NULL,
    revision       INTEGER NOT NULL,
    event_id       TEXT    NOT NULL UNIQUE,
    type           TEXT    NOT NULL,
    schema_version INTEGER NOT NULL,
    data           TEXT    NOT NULL,
    metadata       TEXT    NOT NULL,
    -- Its index (stream_id, revision) also serves readStream and the stream-head lookup.
    UNIQUE (stream_id, revision)
  )`;

/** One row, written once when the file is created: the store's identity (EventStore.storeId). */
const IDENTITY_TABLE_SCHEMA = `
  CREATE TABLE IF NOT EXISTS store_identity (
    singleton  INTEGER PRIMARY KEY CHECK (singleton = 1),
    store_id   TEXT    NOT NULL,
    created_at TEXT    NOT NULL
  )`;

/** Idempotency keys, store-wide: one row per caller and key, its first use. */
const IDEMPOTENCY_TABLE_SCHEMA = `
  CREATE TABLE IF NOT EXISTS idempotency_keys (
    caller       TEXT NOT NULL,
    key          TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    used_at      TEXT NOT NULL,
    PRIMARY KEY (caller, key)
  )`;

const COLUMNS = 'position, stream_id, revision, event_id, type, schema_version, data, metadata';

interface EventRow {
  position: number;
  stream_id: string;
  revision: number;
  event_id: string;
  type: string;
  schema_version: number;
  data: string;
  metadata: string;
}

type HeaderRow = Pick<EventRow, 'position' | 'stream_id' | 'revision' | 'type' | 'schema_version'>;

interface PendingAppend {
  streamId: string;
  events: NewEvent[];
  expected: ExpectedRevision;
  /** performance.now() when append() was called. */
  requestedAt: number;
  resolve(result: AppendResult): void;
  reject(error: unknown): void;
}

type AppendOutcome = { result: AppendResult & { written: boolean } } | { error: unknown };

/**
 * The rows an atomic append (an import's thousands of events) has just committed, kept as they
 * were written so that the subscription it wakes need not read them back from the file: one
 * subscription takes them, slice by slice, and they are dropped once it has them all.
 */
interface CommittedRows {
  rows: EventRow[];
  /** The subscription reading them; the others read the file as before. */
  reader?: PollingSubscription;
}

/**
 * One atomic append as it is written: the rows inserted, and the last metadata serialised (an
 * import row's events share one metadata object, so its JSON is written once per row).
 */
interface AtomicWrite {
  rows: EventRow[];
  metadata?: { of: NewEvent['metadata']; json: string };
}

interface StoredRef {
  stream_id: string;
  revision: number;
  position: number;
}

/**
 * The embedded event store: one SQLite file in WAL mode, shareable by several processes
 * (API, relay, CLI). Global position is the table's AUTOINCREMENT rowid: SQLite has one
 * writer at a time, so positions are strictly increasing in commit order and a reader never
 * sees a later position before an earlier one.
 */
export class SqliteEventStore extends EventStore {
  private readonly db: Database.Database;
  private readonly subscriptions = new Set<PollingSubscription>();
  private readonly insertEvent: Database.Statement;
  private readonly selectStreamHead: Database.Statement<[string], { revision: number; position: number }>;
  private readonly selectByEventId: Database.Statement<[string], StoredRef>;
  private readonly selectIdsFrom: Database.Statement<
    [string, number, number],
    { event_id: string; position: number }
  >;
  private readonly selectStream: Database.Statement<[string], EventRow>;
  private readonly selectStreams: Database.Statement<[string], EventRow>;
  private readonly selectAll: Database.Statement<[number, number], EventRow>;
  private readonly selectAllHeaders: Database.Statement<[number, number], HeaderRow>;
  private readonly selectHead: Database.Statement<[], { head: number | null }>;
  private readonly appendInSavepoint: (
    streamId: string,
    events: NewEvent[],
    expected: ExpectedRevision,
  ) => AppendResult & { written: boolean };
  private readonly commitGroup: (group: PendingAppend[]) => AppendOutcome[];
  private readonly commitAtomically: (
    appends: StreamAppend[],
    write: AtomicWrite,
  ) => (AppendResult & { written: boolean })[];
  private committed?: CommittedRows;
  private pending: PendingAppend[] = [];
  private flushScheduled = false;
  private readonly identity: string;

  static open(options: SqliteEventStoreOptions): SqliteEventStore {
    return new SqliteEventStore(options);
  }

  private constructor(private readonly options: SqliteEventStoreOptions) {
    super();
    if (options.pollIntervalMs !== undefined && !(options.pollIntervalMs > 0)) {
      throw new RangeError(`pollIntervalMs must be positive, got ${options.pollIntervalMs}`);
    }
    const emptied = storeFileEmptied(options.file);
    this.db = new Database(options.file);
    try {
      if (emptied) {
        throw new MissingStoreError(
          `${options.file} is empty (0 bytes, no write-ahead log) where a store had been: restore it from a backup`,
        );
      }
      // busy_timeout first: the other pragmas and the schema may need another process's lock.
      this.db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
      this.db.pragma('journal_mode = WAL');
      // append() promises "durable once resolved". In WAL mode, synchronous=NORMAL fsyncs
      // only at checkpoints: a committed transaction sits in the OS page cache, so it survives
      // a process crash but the last transactions can vanish on power loss or an OS crash.
      // FULL fsyncs the WAL on every commit, so an acknowledged append survives both.
      this.db.pragma('synchronous = FULL');
      this.identity = this.readIdentity() ?? this.createSchema(options.file);
    } catch (error) {
      this.db.close();
      throw error;
    }
    this.insertEvent = this.db.prepare(
      `INSERT INTO events (stream_id, revision, event_id, type, schema_version, data, metadata)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
    this.selectStreamHead = this.db.prepare(
      'SELECT revision, position FROM events WHERE stream_id = ? ORDER BY revision DESC LIMIT 1',
    );
    this.selectByEventId = this.db.prepare(
      'SELECT stream_id, revision, position FROM events WHERE event_id = ?',
    );
    this.selectIdsFrom = this.db.prepare(
      'SELECT event_id, position FROM events WHERE stream_id = ? AND revision >= ? ORDER BY revision LIMIT ?',
    );
    this.selectStream = this.db.prepare(
      `SELECT ${COLUMNS} FROM events WHERE stream_id = ? ORDER BY revision`,
    );
    this.selectStreams = this.db.prepare(
      `SELECT ${COLUMNS} FROM events WHERE stream_id IN (SELECT value FROM json_each(?)) ORDER BY stream_id, revision`,
    );
    this.selectAll = this.db.prepare(
      `SELECT ${COLUMNS} FROM events WHERE position > ? ORDER BY position LIMIT ?`,
    );
    this.selectAllHeaders = this.db.prepare(
      'SELECT position, stream_id, revision, type, schema_version FROM events WHERE position > ? ORDER BY position LIMIT ?',
    );
    this.selectHead = this.db.prepare('SELECT MAX(position) AS head FROM events');
    // Group commit: appends requested in the same tick share one transaction and so one
    // fsync; each runs in a savepoint of its own, so one append's failure leaves the others.
    // BEGIN IMMEDIATE takes the write lock before any stream head is read, so the expected
    // revision checks and the inserts see the same state (no upgrade deadlock between processes).
    this.appendInSavepoint = this.db.transaction(this.appendLocked.bind(this));
    this.commitGroup = this.db.transaction((group: PendingAppend[]) =>
      group.map((append): AppendOutcome => {
        try {
          return { result: this.appendInSavepoint(append.streamId, append.events, append.expected) };
        } catch (error) {
          return { error };
        }
      }),
    ).immediate;
    this.commitAtomically = this.db.transaction((appends: StreamAppend[], write: AtomicWrite) =>
      appends.map((append) => this.appendLocked(append.streamId, append.events, append.expected, write)),
    ).immediate;
  }

  /** The store's identity when its schema is complete; undefined while it is new or partial. */
  private readIdentity(): string | undefined {
    const tables = this.tableNames();
    if (!tables.has('events') || !tables.has('store_identity') || !tables.has('idempotency_keys')) {
      return undefined;
    }
    return (this.db.prepare('SELECT store_id FROM store_identity').get() as { store_id: string } | undefined)
      ?.store_id;
  }

  private tableNames(): Set<string> {
    const rows = this.db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as {
      name: string;
    }[];
    return new Set(rows.map((row) => row.name));
  }

  /**
   * Creates the schema and the identity in one write transaction, so that another process
   * opening the same new file waits for it and then sees all of it, never a file whose WAL
   * header is written but whose tables are not (which would look like a dropped store).
   */
  private createSchema(file: string): string {
    return this.db
      .transaction(() => {
        const tables = this.tableNames();
        // Inside the write lock a new file has no tables at all (another process's creation
        // is whole or not begun), so tables without events are a dropped store (the identity
        // table outlives it) or a file that is not a store: neither is silently started empty.
        if (!tables.has('events') && tables.size > 0) {
          throw new MissingStoreError(
            `${file} has no events table where a store had been (dropped?): restore it from a backup`,
          );
        }
        this.db.exec(EVENTS_TABLE_SCHEMA);
        this.db.exec(IDENTITY_TABLE_SCHEMA);
        this.db.exec(IDEMPOTENCY_TABLE_SCHEMA);
        this.db
          .prepare('INSERT OR IGNORE INTO store_identity (singleton, store_id, created_at) VALUES (1, ?, ?)')
          .run(randomUUID(), new Date().toISOString());
        return (this.db.prepare('SELECT store_id FROM store_identity').get() as { store_id: string })
          .store_id;
      })
      .immediate();
  }

  /** Resolves once the append is committed and synced, together with the others of its tick. */
  async append(streamId: string, events: NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    validateAppend(streamId, events, expected);
    const requestedAt = performance.now();
    return new Promise((resolve, reject) => {
      this.pending.push({ streamId, events, expected, requestedAt, resolve, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.flushScheduled = false;
    const group = this.pending;
    this.pending = [];
    if (group.length === 0) return;
    let outcomes: AppendOutcome[];
    const commitStarted = performance.now();
    try {
      outcomes = this.commitGroup(group);
    } catch (error) {
      // The commit itself failed (e.g. the file stayed locked): nothing of the group is stored.
      outcomes = group.map(() => ({ error }));
    }
    const committedAt = performance.now();
    const observer = this.options.observer;
    if (observer?.groupCommitted) {
      const events = group.reduce((sum, append) => sum + append.events.length, 0);
      const seconds = (committedAt - commitStarted) / 1000;
      notifyObserver(() => observer.groupCommitted!({ appends: group.length, events, seconds }));
    }
    let written = false;
    outcomes.forEach((outcome, index) => {
      const append = group[index];
      const seconds = (committedAt - append.requestedAt) / 1000;
      if ('error' in outcome) {
        const error = this.explainConstraintError(append.streamId, append.events, outcome.error);
        if (observer?.appendSettled) {
          notifyObserver(() => observer.appendSettled!({ ...append, seconds, error }));
        }
        append.reject(error);
      } else {
        written ||= outcome.result.written;
        if (observer?.appendSettled) {
          notifyObserver(() => observer.appendSettled!({ ...append, seconds, outcome: outcome.result }));
        }
        append.resolve({ nextRevision: outcome.result.nextRevision, position: outcome.result.position });
      }
    });
    if (written) for (const subscription of this.subscriptions) subscription.wake();
  }

  /** One transaction (and one fsync) for all the streams: any failure rolls every one back. */
  override async appendAtomically(appends: StreamAppend[]): Promise<AppendResult[]> {
    validateAtomicAppend(appends);
    // Appends already requested commit first, so positions follow the order of the calls.
    this.flush();
    const started = performance.now();
    let outcomes: (AppendResult & { written: boolean })[];
    const write: AtomicWrite = { rows: [] };
    try {
      outcomes = this.commitAtomically(appends, write);
    } catch (error) {
      let explained = error;
      for (const append of appends) {
        explained = this.explainConstraintError(append.streamId, append.events, error);
        if (explained !== error) break;
      }
      this.atomicSettled(appends, started, { error: explained });
      throw explained;
    }
    this.atomicSettled(appends, started, { outcomes });
    this.keepCommitted(write.rows);
    if (outcomes.some((outcome) => outcome.written)) {
      for (const subscription of this.subscriptions) subscription.wake();
    }
    return outcomes.map(({ nextRevision, position }) => ({ nextRevision, position }));
  }

  /** Tells the observer about an atomic append: one group commit, and each stream's outcome. */
  private atomicSettled(
    appends: StreamAppend[],
    started: number,
    report: { error?: unknown; outcomes?: (AppendResult & { written: boolean })[] },
  ): void {
    const observer = this.options.observer;
    const seconds = (performance.now() - started) / 1000;
    if (report.outcomes && observer?.groupCommitted) {
      const events = appends.reduce((sum, append) => sum + append.events.length, 0);
      notifyObserver(() => observer.groupCommitted!({ appends: appends.length, events, seconds }));
    }
    if (!observer?.appendSettled) return;
    appends.forEach((append, index) => {
      const outcome = report.outcomes?.[index];
      const result = outcome ? { outcome } : { error: report.error };
      notifyObserver(() => observer.appendSettled!({ ...append, seconds, ...result }));
    });
  }

  async readStream(streamId: string): Promise<RecordedEvent[]> {
    return this.selectStream.all(streamId).map(toRecordedEvent);
  }

  /** One statement for all the streams (an import's projects): SQLite probes the index per id. */
  override async readStreams(streamIds: readonly string[]): Promise<Map<string, RecordedEvent[]>> {
    const rows = this.selectStreams.all(JSON.stringify([...new Set(streamIds)]));
    return groupByStream(rows.map(toRecordedEvent));
  }

  override async streamRevision(streamId: string): Promise<number> {
    return this.selectStreamHead.get(streamId)?.revision ?? -1;
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    return this.readAllSync(options.after ?? 0, options.limit ?? -1);
  }

  /** The JSON columns are neither copied out of SQLite nor parsed. */
  override async readAllHeaders(options: ReadAllOptions = {}): Promise<EventHeader[]> {
    return this.selectAllHeaders.all(options.after ?? 0, options.limit ?? -1).map((row) => ({
      position: row.position,
      streamId: row.stream_id,
      revision: row.revision,
      type: row.type,
      schemaVersion: row.schema_version,
    }));
  }

  async headPosition(): Promise<number> {
    return this.selectHead.get()?.head ?? 0;
  }

  async storeId(): Promise<string> {
    return this.identity;
  }

  subscribeToAll(options: SubscribeOptions): Subscription {
    const subscription: PollingSubscription = new PollingSubscription(
      options,
      this.options.pollIntervalMs ?? 50,
      (after): RecordedEvent[] => this.readForSubscription(subscription, after),
      () => {
        this.subscriptions.delete(subscription);
        if (this.committed?.reader === subscription || this.subscriptions.size === 0)
          this.committed = undefined;
      },
    );
    this.subscriptions.add(subscription);
    subscription.start();
    return subscription;
  }

  /** The connection's durability settings, for diagnostics and tests. */
  connectionSettings(): { journalMode: string; synchronous: string; busyTimeoutMs: number } {
    const synchronous = this.db.pragma('synchronous', { simple: true }) as number;
    return {
      journalMode: this.db.pragma('journal_mode', { simple: true }) as string,
      synchronous: ['OFF', 'NORMAL', 'FULL', 'EXTRA'][synchronous] ?? String(synchronous),
      busyTimeoutMs: this.db.pragma('busy_timeout', { simple: true }) as number,
    };
  }

  override async rememberIdempotencyKey(
    use: IdempotencyKeyUse,
    notBefore: string,
  ): Promise<IdempotencyKeyUse> {
    const remember = this.db.transaction((): IdempotencyKeyUse => {
      const earlier = this.db
        .prepare('SELECT request_hash, used_at FROM idempotency_keys WHERE caller = ? AND key = ?')
        .get(use.caller, use.key) as { request_hash: string; used_at: string } | undefined;
      if (earlier && earlier.used_at >= notBefore) {
        return { ...use, requestHash: earlier.request_hash, usedAt: earlier.used_at };
      }
      this.db
        .prepare(
          `INSERT INTO idempotency_keys (caller, key, request_hash, used_at) VALUES (?, ?, ?, ?)
           ON CONFLICT (caller, key) DO UPDATE SET request_hash = excluded.request_hash, used_at = excluded.used_at`,
        )
        .run(use.caller, use.key, use.requestHash, use.usedAt);
      return use;
    });
    return remember.immediate();
  }

  override async forgetIdempotencyKeys(usedBefore: string): Promise<number> {
    return this.db.prepare('DELETE FROM idempotency_keys WHERE used_at < ?').run(usedBefore).changes;
  }

  async close(): Promise<void> {
    if (this.db.open) this.flush();
    await Promise.all([...this.subscriptions].map((subscription) => subscription.stop()));
    if (this.db.open) this.db.close();
  }

  private readAllSync(after: number, limit: number): RecordedEvent[] {
    return this.selectAll.all(after, limit).map(toRecordedEvent);
  }

  /**
   * Kept only when a subscription will read them and their positions leave no gap (one
   * transaction under the write lock: they do), so that a slice of them is exactly what
   * `selectAll` would return for the same `after`.
   */
  private keepCommitted(inserted: EventRow[]): void {
    const contiguous = inserted.every(
      (row, index) => index === 0 || row.position === inserted[index - 1].position + 1,
    );
    this.committed =
      inserted.length > 0 && contiguous && this.subscriptions.size > 0 ? { rows: inserted } : undefined;
  }

  /**
   * The next batch after `after`: from the rows just committed when this subscription has
   * reached them (parsed as a read would parse them), otherwise from the file.
   */
  private readForSubscription(subscription: PollingSubscription, after: number): RecordedEvent[] {
    const committed = this.committed;
    if (committed && (committed.reader ?? subscription) === subscription) {
      const from = after - committed.rows[0].position + 1;
      if (from >= 0 && from < committed.rows.length) {
        committed.reader = subscription;
        const slice = committed.rows.slice(from, from + SUBSCRIPTION_BATCH);
        if (from + slice.length >= committed.rows.length) this.committed = undefined;
        return recordedEventsOf(slice);
      }
    }
    return this.readAllSync(after, SUBSCRIPTION_BATCH);
  }

  /** Runs in a savepoint inside BEGIN IMMEDIATE; any throw rolls this whole append back. */
  private appendLocked(
    streamId: string,
    events: NewEvent[],
    expected: ExpectedRevision,
    write?: AtomicWrite,
  ): AppendResult & { written: boolean } {
    const head = this.selectStreamHead.get(streamId);
    const current = head ? head.revision : -1;
    if (events.length > 0) {
      const stored = this.selectByEventId.get(events[0].id);
      if (stored) {
        return { ...this.retriedAppend(streamId, events, expected, current, stored), written: false };
      }
    }
    if (!expectedRevisionSatisfied(expected, current))
      throw new WrongExpectedRevisionError(streamId, expected, current);
    if (events.length === 0) {
      // Nothing to write; report where the stream stands (position of its last event, 0 if none).
      return { nextRevision: current, position: head ? head.position : 0, written: false };
    }
    let revision = current;
    let position = 0;
    for (const event of events) {
      revision += 1;
      // Serialised inside the transaction: an event that cannot be serialised aborts them all.
      const data = JSON.stringify(event.data ?? null);
      // Only within one atomic append (synchronous, so nothing can change the object meanwhile).
      let metadata: string;
      if (write?.metadata?.of === event.metadata) metadata = write.metadata.json;
      else {
        metadata = JSON.stringify(event.metadata);
        if (write) write.metadata = { of: event.metadata, json: metadata };
      }
      const info = this.insertEvent.run(
        streamId,
        revision,
        event.id,
        event.type,
        event.schemaVersion,
        data,
        metadata,
      );
      position = Number(info.lastInsertRowid);
      write?.rows.push({
        position,
        stream_id: streamId,
        revision,
        event_id: event.id,
        type: event.type,
        schema_version: event.schemaVersion,
        data,
        metadata,
      });
    }
    return { nextRevision: revision, position, written: true };
  }

  /**
   * The first event id is already stored. As in EventStoreDB, that is a successful no-op when
   * the batch's ids are exactly the stored events from that point, in order, and the stored
   * batch starts right after the expected revision (any position for `any`/`stream_exists`).
   */
  private retriedAppend(
    streamId: string,
    events: NewEvent[],
    expected: ExpectedRevision,
    current: number,
    first: StoredRef,
  ): AppendResult {
    if (first.stream_id !== streamId) {
      throw new DuplicateEventIdError(
        streamId,
        events[0].id,
        `is already stored in stream ${first.stream_id}`,
      );
    }
    const stored = this.selectIdsFrom.all(streamId, first.revision, events.length);
    const sameBatch =
      stored.length === events.length && stored.every((row, i) => row.event_id === events[i].id);
    if (!sameBatch) {
      throw new DuplicateEventIdError(
        streamId,
        events[0].id,
        `is already stored at revision ${first.revision}, but the following events differ from this append`,
      );
    }
    const startsWhereExpected =
      expected === 'any' ||
      expected === 'stream_exists' ||
      first.revision === (expected === 'no_stream' ? 0 : expected + 1);
    if (!startsWhereExpected) throw new WrongExpectedRevisionError(streamId, expected, current);
    return { nextRevision: first.revision + events.length - 1, position: stored[stored.length - 1].position };
  }

  /** A UNIQUE(event_id) violation from a later event of the batch becomes a clear error. */
  private explainConstraintError(streamId: string, events: NewEvent[], error: unknown): unknown {
    // Duck-typed: under jest's per-file module registries the native addon may throw a
    // SqliteError from another copy of better-sqlite3's JS, failing `instanceof`.
    const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
    const isDuplicateId =
      code === 'SQLITE_CONSTRAINT_UNIQUE' &&
      typeof message === 'string' &&
      message.includes('events.event_id');
    if (!isDuplicateId) return error;
    for (const event of events) {
      const stored = this.selectByEventId.get(event.id);
      if (stored) {
        return new DuplicateEventIdError(
          streamId,
          event.id,
          `is already stored in stream ${stored.stream_id} at revision ${stored.revision}; nothing was appended`,
        );
      }
    }
    return error;
  }
}

/**
 * Committed rows as a read parses them, each metadata JSON parsed once for the consecutive rows
 * that share it (the same string: an import row's events), so those events share the object.
 */
function recordedEventsOf(rows: EventRow[]): RecordedEvent[] {
  let json: string | undefined;
  let metadata: RecordedEvent['metadata'] | undefined;
  return rows.map((row) => {
    if (row.metadata !== json) {
      json = row.metadata;
      metadata = JSON.parse(json) as RecordedEvent['metadata'];
    }
    return recordedEvent(row, metadata!);
  });
}

function toRecordedEvent(row: EventRow): RecordedEvent {
  return recordedEvent(row, JSON.parse(row.metadata) as RecordedEvent['metadata']);
}

function recordedEvent(row: EventRow, metadata: RecordedEvent['metadata']): RecordedEvent {
  return {
    id: row.event_id,
    streamId: row.stream_id,
    revision: row.revision,
    position: row.position,
    type: row.type,
    schemaVersion: row.schema_version,
    data: JSON.parse(row.data) as unknown,
    metadata,
  };
}

/**
 * Catch-up then live: reads batches after the last delivered position until a batch comes
 * back short, then sleeps until woken by an append through the same store or until the poll
 * interval passes (appends by other processes). One loop, one cursor, so events arrive in
 * position order and exactly once.
 */
class PollingSubscription implements Subscription {
  readonly caughtUp: Promise<void>;
  private resolveCaughtUp!: () => void;
  private rejectCaughtUp!: (error: unknown) => void;
  private stopped = false;
  /** An append happened since the last read began: do not sleep. */
  private woken = false;
  private interruptSleep?: () => void;
  private loop: Promise<void> = Promise.resolve();

  constructor(
    private readonly options: SubscribeOptions,
    private readonly pollIntervalMs: number,
    private readonly readAfter: (position: number) => RecordedEvent[],
    private readonly onFinished: () => void,
  ) {
    this.caughtUp = new Promise<void>((resolve, reject) => {
      this.resolveCaughtUp = resolve;
      this.rejectCaughtUp = reject;
    });
    // Callers that never await caughtUp must not get an unhandled rejection; onError reports it.
    this.caughtUp.catch(() => undefined);
  }

  start(): void {
    // Deferred, so that subscribeToAll returns before the first handler call.
    this.loop = Promise.resolve().then(() => this.run());
  }

  wake(): void {
    this.woken = true;
    this.interruptSleep?.();
  }

  /** Do not await this from inside onEvents: it waits for that very call to return. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wake();
    await this.loop;
  }

  private async run(): Promise<void> {
    let after = this.options.after;
    try {
      while (!this.stopped) {
        this.woken = false;
        const batch = this.readAfter(after);
        if (batch.length > 0) {
          await this.options.onEvents(batch);
          after = batch[batch.length - 1].position;
        }
        if (batch.length < SUBSCRIPTION_BATCH) {
          this.resolveCaughtUp();
          await this.sleep();
        }
      }
      // Stopped before catching up: nothing more will be delivered, so do not leave callers waiting.
      this.resolveCaughtUp();
    } catch (error) {
      this.stopped = true;
      this.rejectCaughtUp(error);
      this.options.onError?.(error);
    } finally {
      this.onFinished();
    }
  }

  private sleep(): Promise<void> {
    if (this.woken || this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.interruptSleep = undefined;
        resolve();
      };
      const timer = setTimeout(done, this.pollIntervalMs);
      this.interruptSleep = done;
    });
  }
}
