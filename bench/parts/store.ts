import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { EVENTS_TABLE_SCHEMA, ExpectedRevision, NewEvent, SqliteEventStore } from '@app/event-store';
import { loadBenchModule } from '../lib/bench-deps';
import { Measurement } from '../lib/report';
import { now, round } from '../lib/stats';

/** The part of Emmett's SQLite event store the bench uses (typed here: no static import). */
interface EmmettSqliteModule {
  getSQLiteEventStore(options: { fileName: string }): {
    appendToStream(
      streamName: string,
      events: EmmettEvent[],
      options?: { expectedStreamVersion?: EmmettExpected },
    ): Promise<{ nextExpectedStreamVersion: bigint }>;
  };
}

export interface StoreOptions {
  scratchDir: string;
  /** Single-event appends for ours and for raw better-sqlite3 each. */
  events: number;
  /** Single-event appends through Emmett (it opens a connection per append, so it is slower). */
  emmettEvents: number;
  eventsPerStream: number;
  /** Ours and raw alternate in chunks of this many appends, so drift in fsync cost hits both. */
  chunk: number;
}

export const DEFAULT_STORE_OPTIONS: Omit<StoreOptions, 'scratchDir'> = {
  events: 5_000,
  emmettEvents: 2_000,
  eventsPerStream: 10,
  chunk: 100,
};

/** Event i of the run: stream `project-s<i / perStream>`, revision i % perStream. */
function eventAt(i: number, perStream: number): { streamId: string; revision: number; event: NewEvent } {
  const stream = Math.floor(i / perStream);
  const revision = i % perStream;
  const projectId = `s${stream}`;
  const data =
    revision === 0
      ? {
          projectId,
          zoneId: `zone-${stream % 100}`,
          name: `年产10万吨新材料项目 ${projectId}`,
          enterprise: '山西某新材料有限公司',
          totalInvestmentWan: 470_300,
          industrial: true,
          strategicEmerging: false,
          signedOn: '2024-02-22',
        }
      : { projectId, occurredOn: '2024-05-01' };
  return {
    streamId: `project-${projectId}`,
    revision,
    event: {
      id: randomUUID(),
      type: revision === 0 ? 'ProjectSigned' : 'InvestmentProgressReported',
      schemaVersion: 1,
      data,
      metadata: {
        recordedAt: new Date().toISOString(),
        recordedBy: 'officer-1',
        role: 'officer',
        source: { kind: 'api', requestId: randomUUID() },
        correlationId: randomUUID(),
        causationId: randomUUID(),
      },
    },
  };
}

const expectedFor = (revision: number): ExpectedRevision => (revision === 0 ? 'no_stream' : revision - 1);

export async function runStore(options: StoreOptions): Promise<Measurement[]> {
  const { events, emmettEvents, eventsPerStream, chunk } = options;
  const ours = SqliteEventStore.open({ file: join(options.scratchDir, 'store-ours.sqlite') });
  const raw = new Database(join(options.scratchDir, 'store-raw.sqlite'));
  raw.pragma('busy_timeout = 5000');
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = FULL');
  raw.exec(EVENTS_TABLE_SCHEMA);
  const insert = raw.prepare(
    `INSERT INTO events (stream_id, revision, event_id, type, schema_version, data, metadata)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  const rawAppend = raw.transaction((streamId: string, revision: number, event: NewEvent) => {
    insert.run(
      streamId,
      revision,
      event.id,
      event.type,
      event.schemaVersion,
      JSON.stringify(event.data),
      JSON.stringify(event.metadata),
    );
  }).immediate;
  const settings = ours.connectionSettings();

  // Events are built before timing; serialisation happens inside both loops.
  const oursEvents = Array.from({ length: events }, (_, i) => eventAt(i, eventsPerStream));
  const rawEvents = Array.from({ length: events }, (_, i) => eventAt(i, eventsPerStream));
  // Warm-up on other streams (not counted): page cache, prepared statements, JIT.
  for (let i = 0; i < 100; i++) {
    const warm = eventAt(i, eventsPerStream);
    await ours.append(`warm-${warm.streamId}`, [warm.event], expectedFor(warm.revision));
    rawAppend(`warm-${warm.streamId}`, warm.revision, { ...warm.event, id: randomUUID() });
  }
  let oursMs = 0;
  let rawMs = 0;
  const runOurs = async (from: number, to: number) => {
    const start = now();
    for (let i = from; i < to; i++) {
      const { streamId, revision, event } = oursEvents[i];
      await ours.append(streamId, [event], expectedFor(revision));
    }
    oursMs += now() - start;
  };
  const runRaw = (from: number, to: number) => {
    const start = now();
    for (let i = from; i < to; i++) {
      const { streamId, revision, event } = rawEvents[i];
      rawAppend(streamId, revision, event);
    }
    rawMs += now() - start;
  };
  // Alternate which goes first, so neither always follows the other's writeback.
  for (let from = 0, round = 0; from < events; from += chunk, round++) {
    const to = Math.min(events, from + chunk);
    if (round % 2 === 0) {
      await runOurs(from, to);
      runRaw(from, to);
    } else {
      runRaw(from, to);
      await runOurs(from, to);
    }
  }
  await ours.close();
  raw.close();

  const emmett = await withoutEmmettErrorLogs(() =>
    runEmmett(options.scratchDir, emmettEvents, eventsPerStream),
  );

  const oursRate = events / (oursMs / 1000);
  const rawRate = events / (rawMs / 1000);
  const common = {
    journalMode: settings.journalMode,
    synchronous: settings.synchronous,
    eventsPerStream,
    appendsPerEvent: 1,
    expectedRevision: 'exact (no_stream, then the previous revision)',
    interleavedChunk: chunk,
  };
  const oursOverRaw = oursRate / rawRate;
  const oursOverEmmett = oursRate / emmett.rate;
  return [
    {
      part: 'store',
      name: 'SqliteEventStore single-event appends',
      value: round(oursRate),
      unit: 'events/s',
      settings: {
        ...common,
        events,
        totalMs: round(oursMs, 1),
        adapter: 'libs/event-store SqliteEventStore',
      },
    },
    {
      part: 'store',
      name: 'raw better-sqlite3 insert, 1 tx per insert (limit)',
      value: round(rawRate),
      unit: 'events/s',
      settings: {
        ...common,
        events,
        totalMs: round(rawMs, 1),
        what: 'same table and pragmas; BEGIN IMMEDIATE + one prepared INSERT (+ JSON.stringify) + COMMIT; no revision check',
      },
    },
    {
      part: 'store',
      name: 'Emmett SQLite event store appends',
      value: round(emmett.rate),
      unit: 'events/s',
      settings: {
        events: emmettEvents,
        eventsPerStream,
        totalMs: round(emmett.ms, 1),
        expectedStreamVersion: 'exact (STREAM_DOES_NOT_EXIST, then the previous version)',
        failedAttemptsRetried: emmett.failedAttempts,
        journalMode: 'WAL (set by Emmett)',
        synchronous: 'SQLite default (FULL); Emmett opens and closes a sqlite3 connection per call',
      },
    },
    {
      part: 'store',
      name: 'ratio ours / raw',
      value: round(oursOverRaw, 3),
      unit: '×',
      target: '≥ 0.50',
      met: oursOverRaw >= 0.5,
      settings: { events },
    },
    {
      part: 'store',
      name: 'ratio ours / Emmett',
      value: round(oursOverEmmett, 2),
      unit: '×',
      target: '≥ 10',
      met: oursOverEmmett >= 10,
      settings: { oursEvents: events, emmettEvents },
    },
  ];
}

async function runEmmett(
  scratchDir: string,
  count: number,
  perStream: number,
): Promise<{ rate: number; ms: number; failedAttempts: number }> {
  const { getSQLiteEventStore } = loadBenchModule<EmmettSqliteModule>('@event-driven-io/emmett-sqlite');
  const store = getSQLiteEventStore({ fileName: join(scratchDir, 'store-emmett.sqlite') });
  const toEmmett = (i: number) => {
    const { streamId, revision, event } = eventAt(i, perStream);
    const expectedStreamVersion = revision === 0 ? ('STREAM_DOES_NOT_EXIST' as const) : BigInt(revision);
    return {
      streamId,
      expectedStreamVersion,
      event: { type: event.type, data: event.data, metadata: event.metadata },
    };
  };
  // Emmett 0.38.5 on a file sometimes fails a COMMIT with "SQLITE_BUSY: cannot commit
  // transaction - SQL statements in progress" (rolled back, nothing stored). A caller would
  // retry, so the bench does, and reports how often it happened; the retries' time counts.
  let failedAttempts = 0;
  const append = async (streamId: string, event: EmmettEvent, expectedStreamVersion: EmmettExpected) => {
    for (let attempt = 1; ; attempt++) {
      try {
        await store.appendToStream(streamId, [event], { expectedStreamVersion });
        return;
      } catch (error) {
        failedAttempts++;
        if (attempt >= 5) throw error;
      }
    }
  };
  for (let i = 0; i < 50; i++) {
    const warm = toEmmett(i);
    await append(`warm-${warm.streamId}`, warm.event, warm.expectedStreamVersion);
  }
  failedAttempts = 0;
  const prepared = Array.from({ length: count }, (_, i) => toEmmett(i));
  const start = now();
  for (const { streamId, event, expectedStreamVersion } of prepared) {
    await append(streamId, event, expectedStreamVersion);
  }
  const ms = now() - start;
  return { rate: count / (ms / 1000), ms, failedAttempts };
}

/** Emmett console.logs every failed transaction; counted instead (failedAttemptsRetried). */
async function withoutEmmettErrorLogs<T>(body: () => Promise<T>): Promise<T> {
  const log = console.log;
  console.log = (...args: unknown[]) => {
    const isSqliteError = args.length === 1 && args[0] instanceof Error && 'errno' in args[0];
    if (!isSqliteError) log(...args);
  };
  try {
    return await body();
  } finally {
    console.log = log;
  }
}

type EmmettEvent = { type: string; data: unknown; metadata?: Record<string, unknown> };
type EmmettExpected = bigint | 'STREAM_DOES_NOT_EXIST';
