import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { NewEvent, POSTGRES_EVENTS_TABLE_SCHEMA, PostgresEventStore } from '@app/event-store';
import { PostgresServer, postgresForTests, startPostgres } from '@app/event-store/testing';
import { Measurement, Skipped } from '../lib/report';
import { now, round } from '../lib/stats';

export interface PostgresStoreOptions {
  /** Sequential single-event appends for the adapter and for raw pg each. */
  events: number;
  eventsPerStream: number;
  /** Adapter and raw alternate in chunks of this many appends, so drift hits both. */
  chunk: number;
  /** Concurrent writers, each appending one event at a time to streams of its own. */
  writers: number;
  concurrentSeconds: number;
}

export const DEFAULT_POSTGRES_STORE_OPTIONS: PostgresStoreOptions = {
  events: 2_000,
  eventsPerStream: 10,
  chunk: 100,
  writers: 8,
  concurrentSeconds: 5,
};

/**
 * The PostgreSQL adapter beside raw node-postgres on the same table (one transaction per
 * insert, no revision check, no lock: the limit), sequentially and with concurrent writers.
 * The server is TEST_DATABASE_URL's or a throwaway local cluster (fsync on; see
 * libs/event-store/src/testing/postgres-server.ts); without either the part is skipped.
 */
export async function runPostgresStore(options: PostgresStoreOptions): Promise<Measurement[] | Skipped> {
  let source: ReturnType<typeof postgresForTests>;
  try {
    source = postgresForTests();
  } catch (error) {
    return { part: 'store', reason: `PostgreSQL: ${(error as Error).message}` };
  }
  if (!source) return { part: 'store', reason: 'PostgreSQL: no server binaries and no TEST_DATABASE_URL' };
  const server = await startPostgres({ durable: true });
  try {
    return await measure(server, options);
  } finally {
    await server.stop();
  }
}

async function measure(server: PostgresServer, options: PostgresStoreOptions): Promise<Measurement[]> {
  const { events, eventsPerStream, chunk } = options;
  const ours = await PostgresEventStore.connect({ connectionString: await server.createDatabase() });
  const raw = new Client({ connectionString: await server.createDatabase() });
  await raw.connect();
  await raw.query(POSTGRES_EVENTS_TABLE_SCHEMA);
  const settings = await raw.query<{ name: string; setting: string }>(
    `SELECT name, setting FROM pg_settings WHERE name IN ('server_version', 'fsync', 'synchronous_commit', 'wal_sync_method')`,
  );
  const serverSettings = Object.fromEntries(settings.rows.map((row) => [row.name, row.setting]));
  const rawAppend = async (streamId: string, revision: number, event: NewEvent) => {
    await raw.query('BEGIN');
    await raw.query(
      `INSERT INTO events (stream_id, revision, event_id, type, schema_version, data, metadata)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [
        streamId,
        revision,
        event.id,
        event.type,
        event.schemaVersion,
        JSON.stringify(event.data),
        JSON.stringify(event.metadata),
      ],
    );
    await raw.query('COMMIT');
  };

  const oursEvents = Array.from({ length: events }, (_, i) => eventAt(i, eventsPerStream));
  const rawEvents = Array.from({ length: events }, (_, i) => eventAt(i, eventsPerStream));
  for (let i = 0; i < 100; i++) {
    const warm = eventAt(i, eventsPerStream);
    await ours.append(`warm-${warm.streamId}`, [warm.event], expectedFor(warm.revision));
    await rawAppend(`warm-${warm.streamId}`, warm.revision, { ...warm.event, id: randomUUID() });
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
  const runRaw = async (from: number, to: number) => {
    const start = now();
    for (let i = from; i < to; i++) {
      const { streamId, revision, event } = rawEvents[i];
      await rawAppend(streamId, revision, event);
    }
    rawMs += now() - start;
  };
  for (let from = 0, turn = 0; from < events; from += chunk, turn++) {
    const to = Math.min(events, from + chunk);
    if (turn % 2 === 0) {
      await runOurs(from, to);
      await runRaw(from, to);
    } else {
      await runRaw(from, to);
      await runOurs(from, to);
    }
  }
  await ours.close();
  await raw.end();

  const concurrent = await runConcurrent(server, options);
  const oursRate = events / (oursMs / 1000);
  const rawRate = events / (rawMs / 1000);
  const common = {
    server: serverSettings,
    eventsPerStream,
    expectedRevision: 'exact',
    interleavedChunk: chunk,
  };
  const concurrentSettings = {
    writers: options.writers,
    seconds: options.concurrentSeconds,
    eventsPerAppend: 1,
  };
  return [
    {
      part: 'store',
      name: 'PostgresEventStore single-event appends',
      value: round(oursRate),
      unit: 'events/s',
      settings: { ...common, events, totalMs: round(oursMs, 1) },
    },
    {
      part: 'store',
      name: 'raw pg insert, 1 tx per insert (limit)',
      value: round(rawRate),
      unit: 'events/s',
      settings: {
        ...common,
        events,
        totalMs: round(rawMs, 1),
        what: 'same table; BEGIN + one INSERT (+ JSON.stringify) + COMMIT; no revision check, no lock',
      },
    },
    {
      part: 'store',
      name: 'ratio PostgreSQL adapter / raw pg',
      value: round(oursRate / rawRate, 3),
      unit: '×',
      target: '≥ 0.50',
      met: oursRate / rawRate >= 0.5,
      settings: { events },
    },
    {
      part: 'store',
      name: `PostgresEventStore, ${options.writers} writers (separate pools: as processes)`,
      value: round(concurrent.separate),
      unit: 'events/s',
      settings: {
        ...concurrentSettings,
        what: 'one store instance per writer: they queue on the append lock',
      },
    },
    {
      part: 'store',
      name: `PostgresEventStore, ${options.writers} writers sharing one instance`,
      value: round(concurrent.shared),
      unit: 'events/s',
      settings: { ...concurrentSettings, what: 'one store instance: concurrent appends share transactions' },
    },
    {
      part: 'store',
      name: `raw pg, ${options.writers} connections, no lock`,
      value: round(concurrent.raw),
      unit: 'events/s',
      settings: { ...concurrentSettings, what: 'the cost of the append lock is the gap to this figure' },
    },
  ];
}

/** Appends/s of `writers` loops for `seconds`: per-writer stores, one shared store, raw pg. */
async function runConcurrent(
  server: PostgresServer,
  options: PostgresStoreOptions,
): Promise<{ separate: number; shared: number; raw: number }> {
  const { writers, concurrentSeconds, eventsPerStream } = options;
  const loop = async (append: (i: number) => Promise<void>) => {
    const deadline = now() + concurrentSeconds * 1000;
    let count = 0;
    while (now() < deadline) await append(count++);
    return count;
  };
  const rate = (counts: number[]) => counts.reduce((a, b) => a + b, 0) / concurrentSeconds;

  const separateUrl = await server.createDatabase();
  const separate = await Promise.all(
    Array.from({ length: writers }, () => PostgresEventStore.connect({ connectionString: separateUrl })),
  );
  const separateCounts = await Promise.all(
    separate.map((store, writer) =>
      loop(async (i) => {
        const { streamId, revision, event } = eventAt(i, eventsPerStream);
        await store.append(`w${writer}-${streamId}`, [event], expectedFor(revision));
      }),
    ),
  );
  await Promise.all(separate.map((store) => store.close()));

  const shared = await PostgresEventStore.connect({ connectionString: await server.createDatabase() });
  const sharedCounts = await Promise.all(
    Array.from({ length: writers }, (_, writer) =>
      loop(async (i) => {
        const { streamId, revision, event } = eventAt(i, eventsPerStream);
        await shared.append(`w${writer}-${streamId}`, [event], expectedFor(revision));
      }),
    ),
  );
  await shared.close();

  const rawUrl = await server.createDatabase();
  const clients = await Promise.all(
    Array.from({ length: writers }, async () => {
      const client = new Client({ connectionString: rawUrl });
      await client.connect();
      return client;
    }),
  );
  await clients[0].query(POSTGRES_EVENTS_TABLE_SCHEMA);
  const rawCounts = await Promise.all(
    clients.map((client, writer) =>
      loop(async (i) => {
        const { streamId, revision, event } = eventAt(i, eventsPerStream);
        await client.query('BEGIN');
        await client.query(
          `INSERT INTO events (stream_id, revision, event_id, type, schema_version, data, metadata)
           VALUES ($1, $2, $3, $4, $5, $6, $7)`,
          [
            `w${writer}-${streamId}`,
            revision,
            event.id,
            event.type,
            event.schemaVersion,
            JSON.stringify(event.data),
            JSON.stringify(event.metadata),
          ],
        );
        await client.query('COMMIT');
      }),
    ),
  );
  await Promise.all(clients.map((client) => client.end()));
  return { separate: rate(separateCounts), shared: rate(sharedCounts), raw: rate(rawCounts) };
}

/** Event i of a run: stream `project-s<i / perStream>`, revision i % perStream. */
function eventAt(i: number, perStream: number): { streamId: string; revision: number; event: NewEvent } {
  const stream = Math.floor(i / perStream);
  const revision = i % perStream;
  const projectId = `s${stream}`;
  return {
    streamId: `project-${projectId}`,
    revision,
    event: {
      id: randomUUID(),
      type: revision === 0 ? 'ProjectSigned' : 'InvestmentProgressReported',
      schemaVersion: 1,
      data:
        revision === 0
          ? { projectId, name: `年产10万吨新材料项目 ${projectId}`, totalInvestmentWan: 470_300 }
          : { projectId, occurredOn: '2024-05-01' },
      metadata: {
        recordedAt: new Date().toISOString(),
        recordedBy: 'officer-1',
        source: { kind: 'api', requestId: randomUUID() },
        correlationId: randomUUID(),
        causationId: randomUUID(),
      },
    },
  };
}

const expectedFor = (revision: number) => (revision === 0 ? ('no_stream' as const) : revision - 1);
