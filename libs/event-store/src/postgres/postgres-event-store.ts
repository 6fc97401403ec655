import { randomUUID } from 'node:crypto';
import { Client, ClientConfig, Pool, PoolClient } from 'pg';
import {
  IdempotencyKeyUse,
  AppendResult,
  DuplicateEventIdError,
  EventStore,
  EventStoreObserver,
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
  notifyObserver,
  validateAppend,
  validateAtomicAppend,
} from '../event-store.port';
import { MissingStoreError } from '../store-integrity';

export interface PostgresEventStoreOptions {
  /** `postgres://user:password@host:port/database`; without it node-postgres reads the PG* variables. */
  connectionString?: string;
  /** Connections for reads and appends (default 10); subscriptions add one for LISTEN. */
  maxConnections?: number;
  /** How often a subscription reads when no notification woke it (default 1000 ms). */
  pollIntervalMs?: number;
  /** Shown in pg_stat_activity (default `project-lifecycle-tracker`). */
  applicationName?: string;
  /** Told of every append and group commit (logs, metrics). */
  observer?: EventStoreObserver;
}

/** How many events a subscription reads (and hands to its handler) at a time. */
const SUBSCRIPTION_BATCH = 500;
/** The channel appends notify on commit, so subscriptions wake without polling. */
export const EVENTS_CHANNEL = 'plt_events';
/**
 * Every append transaction takes this transaction-level advisory lock first (see
 * docs/architecture.md "PostgreSQL: one appender at a time"): positions are then taken and
 * committed in the same order, so `$all` read by position never skips a later-committing event.
 */
export const APPEND_LOCK_KEY = 7_078_516_738_917_473n;
/** Reconnection delays for the LISTEN connection and for subscriptions after a dropped connection. */
const RETRY_MIN_MS = 50;
const RETRY_MAX_MS = 2_000;

/**
 * The one table (exported so the benchmark's raw baseline and the tests use the same).
 * `bigserial` and plain types keep it portable to PostgreSQL-compatible databases.
 */
export const POSTGRES_EVENTS_TABLE_SCHEMA = `
  CREATE TABLE IF NOT EXISTS events (
    position       bigserial   PRIMARY KEY,
    stream_id      text        NOT NULL,
    revision       bigint      NOT NULL,
    event_id       text        NOT NULL UNIQUE,
    type           text        NOT NULL,
    schema_version integer     NOT NULL,
    data           jsonb       NOT NULL,
    metadata       jsonb       NOT NULL,
    recorded_at    timestamptz NOT NULL DEFAULT now(),
    -- Its index also serves readStream and the stream-head lookup.
    UNIQUE (stream_id, revision)
  )`;

/** One row, written once with the schema: the store's identity (EventStore.storeId). */
const POSTGRES_IDENTITY_TABLE_SCHEMA = `
  CREATE TABLE IF NOT EXISTS store_identity (
    singleton  boolean     PRIMARY KEY DEFAULT true CHECK (singleton),
    store_id   text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
  )`;

/** Idempotency keys, store-wide: one row per caller and key, its first use. */
const IDEMPOTENCY_TABLE_SCHEMA = `
  CREATE TABLE IF NOT EXISTS idempotency_keys (
    caller       text        NOT NULL,
    key          text        NOT NULL,
    request_hash text        NOT NULL,
    used_at      timestamptz NOT NULL,
    PRIMARY KEY (caller, key)
  )`;

/** One row, written when the store is created, so that a later start can tell a lost table from a new store. */
const STORE_MARKER_SCHEMA = `CREATE TABLE IF NOT EXISTS event_store_marker (created_at timestamptz NOT NULL)`;

const COLUMNS = 'position, stream_id, revision, event_id, type, schema_version, data, metadata';

/**
 * Inserts the batch right after the stream's head, only when the expected revision holds and
 * none of its ids is stored; otherwise inserts nothing and the caller finds out why.
 */
const INSERT_BATCH = `
  WITH head AS (SELECT coalesce(max(revision), -1) AS revision FROM events WHERE stream_id = $1)
  INSERT INTO events (stream_id, revision, event_id, type, schema_version, data, metadata)
  SELECT $1, head.revision + batch.n, batch.event_id, batch.type, batch.schema_version,
         batch.data::jsonb, batch.metadata::jsonb
  FROM head,
       unnest($2::text[], $3::text[], $4::integer[], $5::text[], $6::text[])
         WITH ORDINALITY AS batch (event_id, type, schema_version, data, metadata, n)
  WHERE CASE $7::text
          WHEN 'any' THEN true
          WHEN 'no_stream' THEN head.revision = -1
          WHEN 'stream_exists' THEN head.revision >= 0
          ELSE head.revision = $8::bigint
        END
    AND NOT EXISTS (SELECT 1 FROM events WHERE event_id = ANY ($2::text[]))
  ORDER BY batch.n
  RETURNING position, revision`;

interface EventRow {
  position: string;
  stream_id: string;
  revision: string;
  event_id: string;
  type: string;
  schema_version: number;
  data: unknown;
  metadata: RecordedEvent['metadata'];
}

/** An append waiting for its transaction; the events are already serialised. */
interface PendingAppend {
  streamId: string;
  events: NewEvent[];
  data: string[];
  metadata: string[];
  expected: ExpectedRevision;
  /** performance.now() when append() was called. */
  requestedAt: number;
  resolve(result: AppendResult): void;
  reject(error: unknown): void;
}

type AppendOutcome = { result: AppendResult & { written: boolean } } | { error: unknown };

/**
 * The event store on PostgreSQL: one `events` table shared by every process (API, relays,
 * CLI, other machines). Appends are serialised by a transaction-level advisory lock so that
 * global positions are strictly increasing in commit order; within one process, appends that
 * arrive while a transaction is in flight share the next one (group commit: one lock, one
 * fsync). Subscriptions wake on NOTIFY and poll as a fallback.
 */
export class PostgresEventStore extends EventStore {
  private readonly pool: Pool;
  private readonly subscriptions = new Set<PostgresSubscription>();
  private readonly listener: Listener;
  private pending: PendingAppend[] = [];
  private writing: Promise<void> | undefined;
  private closed = false;
  private identity = '';

  /** Connects, creates the table if it is missing, and returns the store. */
  static async connect(options: PostgresEventStoreOptions = {}): Promise<PostgresEventStore> {
    if (options.pollIntervalMs !== undefined && !(options.pollIntervalMs > 0)) {
      throw new RangeError(`pollIntervalMs must be positive, got ${options.pollIntervalMs}`);
    }
    const store = new PostgresEventStore(options);
    try {
      await store.createSchema();
    } catch (error) {
      await store.pool.end();
      throw error;
    }
    return store;
  }

  private constructor(private readonly options: PostgresEventStoreOptions) {
    super();
    const config = clientConfig(options);
    this.pool = new Pool({ ...config, max: options.maxConnections ?? 10 });
    // An idle connection the server dropped must not crash the process; the pool replaces it.
    this.pool.on('error', () => undefined);
    this.listener = new Listener(config, () => this.wakeSubscriptions());
  }

  private async createSchema(): Promise<void> {
    const client = await this.pool.connect();
    try {
      // Under the append lock, so processes starting together do not race on CREATE TABLE.
      await client.query(`BEGIN; SELECT pg_advisory_xact_lock(${APPEND_LOCK_KEY})`);
      // The marker outlives a dropped events table: a store that existed is not silently restarted empty.
      await client.query(STORE_MARKER_SCHEMA);
      const marked = await client.query(`SELECT 1 FROM event_store_marker`);
      const events = await client.query<{ name: string | null }>(`SELECT to_regclass('events') AS name`);
      if (marked.rowCount! > 0 && events.rows[0].name === null) {
        throw new MissingStoreError(
          'the database has no events table where a store had been (dropped?): restore it from a backup',
        );
      }
      await client.query(POSTGRES_EVENTS_TABLE_SCHEMA);
      await client.query(POSTGRES_IDENTITY_TABLE_SCHEMA);
      await client.query('INSERT INTO store_identity (store_id) VALUES ($1) ON CONFLICT DO NOTHING', [
        randomUUID(),
      ]);
      const identity = await client.query<{ store_id: string }>('SELECT store_id FROM store_identity');
      this.identity = identity.rows[0].store_id;
      await client.query(IDEMPOTENCY_TABLE_SCHEMA);
      await client.query(
        `INSERT INTO event_store_marker (created_at) SELECT now() WHERE NOT EXISTS (SELECT 1 FROM event_store_marker)`,
      );
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  /** Resolves once the append is committed (synchronous_commit=on), with the others of its group. */
  async append(streamId: string, events: NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    validateAppend(streamId, events, expected);
    if (this.closed) throw new Error('the event store is closed');
    // Serialised before anything is sent: an event that cannot be serialised fails its append alone.
    const data = events.map((event) => JSON.stringify(event.data ?? null));
    const metadata = events.map((event) => JSON.stringify(event.metadata));
    return new Promise((resolve, reject) => {
      const requestedAt = performance.now();
      this.pending.push({ streamId, events, data, metadata, expected, requestedAt, resolve, reject });
      this.writing ??= this.writeAll();
    });
  }

  /**
   * Every stream's append in one transaction of its own, under the same advisory lock as the
   * others: a refusal of any one of them (revision, duplicate id) rolls back all.
   */
  override async appendAtomically(appends: StreamAppend[]): Promise<AppendResult[]> {
    validateAtomicAppend(appends);
    if (this.closed) throw new Error('the event store is closed');
    const prepared = appends.map((append): PendingAppend => ({
      ...append,
      data: append.events.map((event) => JSON.stringify(event.data ?? null)),
      metadata: append.events.map((event) => JSON.stringify(event.metadata)),
      requestedAt: performance.now(),
      resolve: () => undefined,
      reject: () => undefined,
    }));
    let results: (AppendResult & { written: boolean })[];
    try {
      results = await this.inTransaction(async (client) => {
        const value: (AppendResult & { written: boolean })[] = [];
        for (const append of prepared) {
          const outcome = await this.appendLocked(client, append);
          if ('error' in outcome) throw outcome.error;
          value.push(outcome.result);
        }
        return { value, notify: value.some((result) => result.written) };
      });
    } catch (error) {
      for (const append of prepared) this.settled(append, { error });
      throw error;
    }
    prepared.forEach((append, index) => this.settled(append, { result: results[index] }));
    if (results.some((result) => result.written)) this.wakeSubscriptions();
    return results.map(({ nextRevision, position }) => ({ nextRevision, position }));
  }

  /** One transaction at a time; whatever queued up meanwhile goes into the next. */
  private async writeAll(): Promise<void> {
    try {
      while (this.pending.length > 0) {
        const group = this.pending;
        this.pending = [];
        await this.commitGroup(group);
      }
    } finally {
      this.writing = undefined;
    }
  }

  private async commitGroup(group: PendingAppend[]): Promise<void> {
    let outcomes: AppendOutcome[];
    const commitStarted = performance.now();
    try {
      outcomes = await this.inTransaction(async (client) => {
        const results: AppendOutcome[] = [];
        for (const append of group) results.push(await this.appendLocked(client, append));
        return { value: results, notify: results.some((o) => 'result' in o && o.result.written) };
      });
    } catch (error) {
      if (group.length === 1) {
        this.settled(group[0], { error });
        group[0].reject(error);
        return;
      }
      // A database error (or a lost connection) aborted the shared transaction: retry each
      // alone, so one bad append fails only itself. Appends whose commit was lost with the
      // connection are found by their ids and acknowledged as the idempotent retries they are.
      for (const append of group) await this.commitGroup([append]);
      return;
    }
    const observer = this.options.observer;
    if (observer?.groupCommitted) {
      const events = group.reduce((sum, append) => sum + append.events.length, 0);
      const seconds = (performance.now() - commitStarted) / 1000;
      notifyObserver(() => observer.groupCommitted!({ appends: group.length, events, seconds }));
    }
    outcomes.forEach((outcome, index) => {
      const append = group[index];
      this.settled(append, outcome);
      if ('error' in outcome) append.reject(outcome.error);
      else append.resolve({ nextRevision: outcome.result.nextRevision, position: outcome.result.position });
    });
    if (outcomes.some((o) => 'result' in o && o.result.written)) this.wakeSubscriptions();
  }

  private settled(append: PendingAppend, outcome: AppendOutcome): void {
    const observer = this.options.observer;
    if (!observer?.appendSettled) return;
    const report = {
      streamId: append.streamId,
      events: append.events,
      seconds: (performance.now() - append.requestedAt) / 1000,
      ...('error' in outcome ? { error: outcome.error } : { outcome: outcome.result }),
    };
    notifyObserver(() => observer.appendSettled!(report));
  }

  private async inTransaction<T>(
    work: (client: PoolClient) => Promise<{ value: T; notify: boolean }>,
  ): Promise<T> {
    const client = await this.pool.connect();
    let broken: unknown;
    try {
      await client.query(
        `BEGIN; SET LOCAL synchronous_commit = on; SELECT pg_advisory_xact_lock(${APPEND_LOCK_KEY})`,
      );
      const { value, notify } = await work(client);
      // NOTIFY is delivered at commit, so listeners never wake before the events are visible.
      await client.query(notify ? `NOTIFY ${EVENTS_CHANNEL}; COMMIT` : 'COMMIT');
      return value;
    } catch (error) {
      await client.query('ROLLBACK').catch((rollbackError: unknown) => (broken = rollbackError));
      throw error;
    } finally {
      client.release(broken instanceof Error ? broken : undefined);
    }
  }

  /** Runs inside the append transaction, holding the lock. Domain refusals are outcomes, not throws. */
  private async appendLocked(client: PoolClient, append: PendingAppend): Promise<AppendOutcome> {
    const { streamId, events, expected } = append;
    if (events.length > 0) {
      const inserted = await client.query<{ position: string; revision: string }>({
        // Named: prepared once per connection, so it is not planned again on every append.
        name: 'plt-insert-batch',
        text: INSERT_BATCH,
        values: [
          streamId,
          events.map((event) => event.id),
          events.map((event) => event.type),
          events.map((event) => event.schemaVersion),
          append.data,
          append.metadata,
          typeof expected === 'number' ? 'revision' : expected,
          typeof expected === 'number' ? expected : null,
        ],
      });
      if (inserted.rows.length > 0) {
        const last = inserted.rows[inserted.rows.length - 1];
        return {
          result: { nextRevision: Number(last.revision), position: Number(last.position), written: true },
        };
      }
    }
    // Nothing inserted (or nothing to insert): find out why, as the embedded store decides.
    try {
      return {
        result: { ...(await this.explainNoInsert(client, streamId, events, expected)), written: false },
      };
    } catch (error) {
      if (error instanceof WrongExpectedRevisionError || error instanceof DuplicateEventIdError)
        return { error };
      throw error;
    }
  }

  private async explainNoInsert(
    client: PoolClient,
    streamId: string,
    events: NewEvent[],
    expected: ExpectedRevision,
  ): Promise<AppendResult> {
    const head = await client.query<{ revision: string; position: string }>(
      'SELECT revision, position FROM events WHERE stream_id = $1 ORDER BY revision DESC LIMIT 1',
      [streamId],
    );
    const current = head.rows.length > 0 ? Number(head.rows[0].revision) : -1;
    if (events.length > 0) {
      const first = await this.storedRef(client, events[0].id);
      if (first) return this.retriedAppend(client, streamId, events, expected, current, first);
    }
    if (!expectedRevisionSatisfied(expected, current)) {
      throw new WrongExpectedRevisionError(streamId, expected, current);
    }
    if (events.length === 0) {
      // Nothing to write; report where the stream stands (position of its last event, 0 if none).
      return { nextRevision: current, position: head.rows.length > 0 ? Number(head.rows[0].position) : 0 };
    }
    // The revision holds and the first id is new, so a later id of the batch is stored.
    const stored = await client.query<{ event_id: string; stream_id: string; revision: string }>(
      'SELECT event_id, stream_id, revision FROM events WHERE event_id = ANY ($1::text[])',
      [events.map((event) => event.id)],
    );
    const byId = new Map(stored.rows.map((row) => [row.event_id, row]));
    const duplicate = events.find((event) => byId.has(event.id));
    if (!duplicate) throw new Error(`stream ${streamId}: append was not written and no reason was found`);
    const row = byId.get(duplicate.id)!;
    throw new DuplicateEventIdError(
      streamId,
      duplicate.id,
      `is already stored in stream ${row.stream_id} at revision ${row.revision}; nothing was appended`,
    );
  }

  private async storedRef(
    client: PoolClient,
    eventId: string,
  ): Promise<{ streamId: string; revision: number } | undefined> {
    const result = await client.query<{ stream_id: string; revision: string }>(
      'SELECT stream_id, revision FROM events WHERE event_id = $1',
      [eventId],
    );
    const row = result.rows[0];
    return row ? { streamId: row.stream_id, revision: Number(row.revision) } : undefined;
  }

  /**
   * The first event id is already stored. As in EventStoreDB (and the embedded store), that is
   * a successful no-op when the batch's ids are exactly the stored events from that point, in
   * order, and the stored batch starts right after the expected revision (any position for
   * `any`/`stream_exists`).
   */
  private async retriedAppend(
    client: PoolClient,
    streamId: string,
    events: NewEvent[],
    expected: ExpectedRevision,
    current: number,
    first: { streamId: string; revision: number },
  ): Promise<AppendResult> {
    if (first.streamId !== streamId) {
      throw new DuplicateEventIdError(
        streamId,
        events[0].id,
        `is already stored in stream ${first.streamId}`,
      );
    }
    const stored = await client.query<{ event_id: string; position: string }>(
      'SELECT event_id, position FROM events WHERE stream_id = $1 AND revision >= $2 ORDER BY revision LIMIT $3',
      [streamId, first.revision, events.length],
    );
    const sameBatch =
      stored.rows.length === events.length && stored.rows.every((row, i) => row.event_id === events[i].id);
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
    return {
      nextRevision: first.revision + events.length - 1,
      position: Number(stored.rows[stored.rows.length - 1].position),
    };
  }

  async readStream(streamId: string): Promise<RecordedEvent[]> {
    const result = await this.pool.query<EventRow>(
      `SELECT ${COLUMNS} FROM events WHERE stream_id = $1 ORDER BY revision`,
      [streamId],
    );
    return result.rows.map(toRecordedEvent);
  }

  /** One query for all the streams (an import's projects), through the (stream, revision) index. */
  override async readStreams(streamIds: readonly string[]): Promise<Map<string, RecordedEvent[]>> {
    const result = await this.pool.query<EventRow>(
      `SELECT ${COLUMNS} FROM events WHERE stream_id = ANY($1::text[]) ORDER BY stream_id, revision`,
      [[...new Set(streamIds)]],
    );
    return groupByStream(result.rows.map(toRecordedEvent));
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    return this.readAfter(options.after ?? 0, options.limit);
  }

  async headPosition(): Promise<number> {
    const result = await this.pool.query<{ head: string | null }>('SELECT max(position) AS head FROM events');
    return Number(result.rows[0].head ?? 0);
  }

  async storeId(): Promise<string> {
    return this.identity;
  }

  subscribeToAll(options: SubscribeOptions): Subscription {
    const subscription = new PostgresSubscription(
      options,
      this.options.pollIntervalMs ?? 1_000,
      (after) => this.readAfter(after, SUBSCRIPTION_BATCH),
      () => this.subscriptions.delete(subscription),
    );
    this.subscriptions.add(subscription);
    this.listener.start();
    subscription.start();
    return subscription;
  }

  /** Waits for appends in flight, stops the subscriptions and closes every connection. */
  override async rememberIdempotencyKey(
    use: IdempotencyKeyUse,
    notBefore: string,
  ): Promise<IdempotencyKeyUse> {
    // One statement: a racing first use of the same key finds the row the other inserted.
    const inserted = await this.pool.query(
      `INSERT INTO idempotency_keys (caller, key, request_hash, used_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (caller, key) DO UPDATE SET request_hash = excluded.request_hash, used_at = excluded.used_at
         WHERE idempotency_keys.used_at < $5
       RETURNING request_hash`,
      [use.caller, use.key, use.requestHash, use.usedAt, notBefore],
    );
    if (inserted.rowCount! > 0) return use;
    const earlier = await this.pool.query<{ request_hash: string; used_at: Date }>(
      'SELECT request_hash, used_at FROM idempotency_keys WHERE caller = $1 AND key = $2',
      [use.caller, use.key],
    );
    const row = earlier.rows[0];
    return { ...use, requestHash: row.request_hash, usedAt: row.used_at.toISOString() };
  }

  override async forgetIdempotencyKeys(usedBefore: string): Promise<number> {
    const deleted = await this.pool.query('DELETE FROM idempotency_keys WHERE used_at < $1', [usedBefore]);
    return deleted.rowCount ?? 0;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.writing;
    await Promise.all([...this.subscriptions].map((subscription) => subscription.stop()));
    await this.listener.stop();
    await this.pool.end();
  }

  private async readAfter(after: number, limit: number | undefined): Promise<RecordedEvent[]> {
    const result = await this.pool.query<EventRow>(
      `SELECT ${COLUMNS} FROM events WHERE position > $1 ORDER BY position LIMIT $2`,
      [after, limit ?? null],
    );
    return result.rows.map(toRecordedEvent);
  }

  private wakeSubscriptions(): void {
    for (const subscription of this.subscriptions) subscription.wake();
  }
}

function clientConfig(options: PostgresEventStoreOptions): ClientConfig {
  return {
    connectionString: options.connectionString,
    application_name: options.applicationName ?? 'project-lifecycle-tracker',
  };
}

function toRecordedEvent(row: EventRow): RecordedEvent {
  return {
    id: row.event_id,
    streamId: row.stream_id,
    revision: Number(row.revision),
    position: Number(row.position),
    type: row.type,
    schemaVersion: row.schema_version,
    data: row.data,
    metadata: row.metadata,
  };
}

/**
 * Errors a reader recovers from by reconnecting: a lost or refused connection, the server
 * shutting down or restarting, or too many connections. Anything else (a missing table, a
 * permission) stops the subscription and is reported.
 */
export function isConnectionError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string')
    return error instanceof Error && /connection|terminat|timeout/i.test(error.message);
  if (/^[0-9A-Z]{5}$/.test(code)) return code.startsWith('08') || code.startsWith('57P') || code === '53300';
  return ['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND'].includes(code);
}

/**
 * One LISTEN connection per store, shared by its subscriptions. When it drops it reconnects
 * with backoff and wakes every subscription, since notifications may have been missed.
 */
class Listener {
  private client: Client | undefined;
  private running = false;
  private connecting: Promise<void> | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private retryDelayMs = RETRY_MIN_MS;

  constructor(
    private readonly config: ClientConfig,
    private readonly onNotification: () => void,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.connecting = this.connect();
  }

  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.retryTimer);
    await this.connecting;
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const client = new Client(this.config);
    const dropped = () => {
      if (this.client !== client) return;
      this.client = undefined;
      client.end().catch(() => undefined);
      this.scheduleReconnect();
    };
    client.on('error', dropped);
    client.on('end', dropped);
    client.on('notification', () => this.onNotification());
    try {
      await client.connect();
      await client.query(`LISTEN ${EVENTS_CHANNEL}`);
    } catch {
      client.end().catch(() => undefined);
      this.scheduleReconnect();
      return;
    } finally {
      this.connecting = undefined;
    }
    if (!this.running) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    this.retryDelayMs = RETRY_MIN_MS;
    // Whatever was committed while not listening has not been announced.
    this.onNotification();
  }

  private scheduleReconnect(): void {
    if (!this.running) return;
    const delay = this.retryDelayMs;
    this.retryDelayMs = Math.min(RETRY_MAX_MS, delay * 2);
    this.retryTimer = setTimeout(() => {
      if (this.running) this.connecting = this.connect();
    }, delay);
  }
}

/**
 * Catch-up then live: reads batches after the last delivered position until a batch comes
 * back short, then sleeps until a notification (or an append through this store) wakes it or
 * the poll interval passes. A read that fails on a lost connection is retried from the same
 * position, so a dropped connection causes neither a gap nor a duplicate.
 */
class PostgresSubscription implements Subscription {
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
    private readonly readAfter: (position: number) => Promise<RecordedEvent[]>,
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
    let retryDelayMs = RETRY_MIN_MS;
    try {
      while (!this.stopped) {
        this.woken = false;
        let batch: RecordedEvent[];
        try {
          batch = await this.readAfter(after);
          retryDelayMs = RETRY_MIN_MS;
        } catch (error) {
          if (!isConnectionError(error)) throw error;
          await this.sleep(retryDelayMs, { wakeable: false });
          retryDelayMs = Math.min(RETRY_MAX_MS, retryDelayMs * 2);
          continue;
        }
        if (this.stopped) break;
        if (batch.length > 0) {
          await this.options.onEvents(batch);
          after = batch[batch.length - 1].position;
        }
        if (batch.length < SUBSCRIPTION_BATCH) {
          this.resolveCaughtUp();
          await this.sleep(this.pollIntervalMs);
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

  /** Sleeps until the time passes, stop() is called or (if wakeable) an append wakes it. */
  private sleep(ms: number, { wakeable } = { wakeable: true }): Promise<void> {
    if ((wakeable && this.woken) || this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.interruptSleep = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.interruptSleep = () => {
        if (wakeable || this.stopped) done();
      };
    });
  }
}
