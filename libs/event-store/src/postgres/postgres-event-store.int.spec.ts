import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import {
  AppendReport,
  DuplicateEventIdError,
  RecordedEvent,
  WrongExpectedRevisionError,
} from '../event-store.port';
import { openEventStore } from '../open-event-store';
import {
  describeAtomicAppendConformance,
  describeEventStoreConformance,
  describeWithPostgres,
  newEvent as event,
} from '../testing';
import { APPEND_LOCK_KEY, PostgresEventStore, PostgresEventStoreOptions } from './postgres-event-store';

describeWithPostgres('PostgresEventStore on a real server', (server) => {
  describe('shared database', () => {
    let url: string;
    beforeAll(async () => {
      url = await server().createDatabase();
    });
    describeEventStoreConformance('PostgresEventStore', async () => {
      const store = await PostgresEventStore.connect({ connectionString: url, pollIntervalMs: 20 });
      return { store, dispose: () => store.close() };
    });
    describeAtomicAppendConformance('PostgresEventStore', async () => {
      const store = await PostgresEventStore.connect({ connectionString: url, pollIntervalMs: 20 });
      return { store, dispose: () => store.close() };
    });
  });

  describe('one database per test', () => {
    let url: string;
    const opened: PostgresEventStore[] = [];
    const clients: Client[] = [];
    const open = async (options: Omit<PostgresEventStoreOptions, 'connectionString'> = {}) => {
      const store = await PostgresEventStore.connect({
        connectionString: url,
        pollIntervalMs: 20,
        ...options,
      });
      opened.push(store);
      return store;
    };
    const sql = async () => {
      const client = new Client({ connectionString: url });
      await client.connect();
      clients.push(client);
      return client;
    };

    beforeEach(async () => {
      url = await server().createDatabase();
    });

    afterEach(async () => {
      await Promise.all(opened.splice(0).map((store) => store.close()));
      await Promise.all(clients.splice(0).map((client) => client.end()));
    });

    it('keeps one events table with unique (stream_id, revision) and unique event ids', async () => {
      await open();
      const client = await sql();
      const columns = await client.query(
        `SELECT column_name, data_type FROM information_schema.columns
         WHERE table_name = 'events' ORDER BY ordinal_position`,
      );
      expect(columns.rows).toEqual([
        { column_name: 'position', data_type: 'bigint' },
        { column_name: 'stream_id', data_type: 'text' },
        { column_name: 'revision', data_type: 'bigint' },
        { column_name: 'event_id', data_type: 'text' },
        { column_name: 'type', data_type: 'text' },
        { column_name: 'schema_version', data_type: 'integer' },
        { column_name: 'data', data_type: 'jsonb' },
        { column_name: 'metadata', data_type: 'jsonb' },
        { column_name: 'recorded_at', data_type: 'timestamp with time zone' },
      ]);
      const unique = await client.query(
        `SELECT pg_get_constraintdef(oid) AS definition FROM pg_constraint
         WHERE conrelid = 'events'::regclass AND contype IN ('p', 'u') ORDER BY 1`,
      );
      expect(unique.rows.map((row) => row.definition)).toEqual([
        'PRIMARY KEY ("position")',
        'UNIQUE (event_id)',
        'UNIQUE (stream_id, revision)',
      ]);
    });

    it('is what openEventStore opens for EVENT_STORE=postgres', async () => {
      const store = await openEventStore({
        eventStore: 'postgres',
        databaseUrl: url,
        dataDir: '/nonexistent',
      });
      try {
        expect(store).toBeInstanceOf(PostgresEventStore);
        await store.append('project-1', [event('Signed')], 'no_stream');
        expect(await (await open()).readStream('project-1')).toHaveLength(1);
      } finally {
        await store.close();
      }
    });

    it('creates the table once when several processes connect at the same time', async () => {
      const stores = await Promise.all(Array.from({ length: 4 }, () => open()));
      await stores[0].append('project-1', [event('Signed')], 'no_stream');
      expect(await stores[3].readStream('project-1')).toHaveLength(1);
    });

    it('gives the same events after reconnecting, and continues positions', async () => {
      const first = await open();
      await first.append('project-1', [event('Signed'), event('Listed')], 'no_stream');
      await first.append('project-2', [event('Signed')], 'no_stream');
      const before = await first.readAll();
      await first.close();

      const reopened = await open();

      expect(await reopened.readAll()).toEqual(before);
      expect(await reopened.headPosition()).toBe(before[2].position);
      const next = await reopened.append('project-1', [event('Started')], 1);
      expect(next.nextRevision).toBe(2);
      expect(next.position).toBeGreaterThan(before[2].position);
    });

    it('lets two instances (as two processes) see and follow each other’s appends', async () => {
      const api = await open();
      const relay = await open();
      const received: RecordedEvent[] = [];
      const subscription = relay.subscribeToAll({
        after: 0,
        onEvents: (events) => void received.push(...events),
      });
      await subscription.caughtUp;

      await api.append('project-1', [event('Signed'), event('Listed')], 'no_stream');
      await api.append('project-2', [event('Signed')], 'no_stream');
      await relay.append('project-1', [event('Started')], 1);
      const conflict = api.append('project-1', [event('Stalled')], 1);

      await expect(conflict).rejects.toBeInstanceOf(WrongExpectedRevisionError);
      await expect(conflict).rejects.toMatchObject({ actual: 2 });
      expect((await api.readStream('project-1')).map((e) => e.type)).toEqual(['Signed', 'Listed', 'Started']);
      const all = await api.readAll();
      expect(all).toHaveLength(4);
      await waitUntil(() => received.length === 4);
      expect(received).toEqual(all);
    });

    it('wakes a subscription through NOTIFY when another instance appends, without polling', async () => {
      const writer = await open();
      const reader = await open({ pollIntervalMs: 600_000 });
      const received: RecordedEvent[] = [];
      const subscription = reader.subscribeToAll({
        after: 0,
        onEvents: (events) => void received.push(...events),
      });
      await subscription.caughtUp;
      await waitUntilListening(await sql());

      for (let i = 0; i < 3; i++) await writer.append('project-1', [event(`E${i}`)], i - 1);

      await waitUntil(() => received.length === 3);
      expect(received.map((e) => e.revision)).toEqual([0, 1, 2]);
    });

    it('delivers appends by polling alone when notifications are not heard', async () => {
      const reader = await open({ pollIntervalMs: 20 });
      const received: RecordedEvent[] = [];
      reader.subscribeToAll({ after: 0, onEvents: (events) => void received.push(...events) });
      const raw = await sql();
      await waitUntilListening(raw);
      // Rows written without the adapter, so no NOTIFY is sent.
      for (let i = 0; i < 3; i++) {
        await raw.query(
          `INSERT INTO events (stream_id, revision, event_id, type, schema_version, data, metadata)
           VALUES ('project-1', $1, $2, 'E', 1, '{}', '{}')`,
          [i, randomUUID()],
        );
      }

      await waitUntil(() => received.length === 3);
      expect(received.map((e) => e.revision)).toEqual([0, 1, 2]);
    });

    it('makes a second appender wait for the first one’s commit, so $all never shows a later position first', async () => {
      // given a transaction holding the append lock with an uncommitted event at position p
      const store = await open();
      await store.append('project-0', [event('Before')], 'no_stream');
      const holder = await sql();
      await holder.query(`BEGIN; SELECT pg_advisory_xact_lock(${APPEND_LOCK_KEY})`);
      const held = await holder.query<{ position: string }>(
        `INSERT INTO events (stream_id, revision, event_id, type, schema_version, data, metadata)
         VALUES ('project-1', 0, $1, 'Slow', 1, '{}', '{}') RETURNING position`,
        [randomUUID()],
      );

      // when the adapter appends meanwhile
      const append = store.append('project-2', [event('Fast')], 'no_stream');
      await waitUntilWaitingOnAdvisoryLock(await sql());

      // then it has taken no position and shows nothing until the first commits
      expect((await store.readAll()).map((e) => e.type)).toEqual(['Before']);
      await holder.query('COMMIT');
      const { position } = await append;
      expect(position).toBeGreaterThan(Number(held.rows[0].position));
      expect((await store.readAll()).map((e) => e.type)).toEqual(['Before', 'Slow', 'Fast']);
    });

    describe('event ids', () => {
      it('rejects an append whose later event id is stored in another stream, writing none of it', async () => {
        const store = await open();
        const taken = event('Signed');
        await store.append('project-1', [taken], 'no_stream');
        const head = await store.headPosition();

        const attempt = store.append('project-2', [event('Signed'), { ...taken }], 'no_stream');

        await expect(attempt).rejects.toBeInstanceOf(DuplicateEventIdError);
        await expect(attempt).rejects.toMatchObject({ streamId: 'project-2', eventId: taken.id });
        await expect(attempt).rejects.toThrow(
          /already stored in stream project-1 at revision 0; nothing was appended/,
        );
        expect(await store.readStream('project-2')).toEqual([]);
        expect(await store.headPosition()).toBe(head);
      });

      it('rejects ids that match a stored append only in part, or sit in another stream', async () => {
        const store = await open();
        const [a, b] = [event('A'), event('B')];
        await store.append('project-1', [a, b], 'no_stream');

        await expect(store.append('project-1', [a, event('C')], 'no_stream')).rejects.toThrow(
          DuplicateEventIdError,
        );
        await expect(store.append('project-1', [b, event('C')], 'any')).rejects.toThrow(
          DuplicateEventIdError,
        );
        await expect(store.append('project-2', [a], 'any')).rejects.toThrow(
          /already stored in stream project-1/,
        );
        const repeated = event('X');
        await expect(store.append('project-3', [repeated, repeated], 'any')).rejects.toThrow(/appears twice/);
        expect((await store.readAll()).map((e) => e.id)).toEqual([a.id, b.id]);
      });

      it('treats a retry as a no-op only right after the expected revision, like EventStoreDB', async () => {
        const store = await open();
        const [a, b] = [event('A'), event('B')];
        const first = await store.append('project-1', [a], 'no_stream');
        const second = await store.append('project-1', [b], 0);

        expect(await store.append('project-1', [a], 'no_stream')).toEqual(first);
        expect(await store.append('project-1', [b], 'stream_exists')).toEqual(second);
        const misplaced = store.append('project-1', [b], 'no_stream');
        await expect(misplaced).rejects.toBeInstanceOf(WrongExpectedRevisionError);
        await expect(misplaced).rejects.toMatchObject({ actual: 1 });
        expect(await store.readStream('project-1')).toHaveLength(2);
      });

      it('rejects an empty stream id', async () => {
        await expect((await open()).append('', [event('A')], 'any')).rejects.toThrow(/streamId/);
      });
    });

    describe('group commit', () => {
      it('commits appends requested together, each standing or failing on its own', async () => {
        const store = await open();
        const outcomes = await Promise.allSettled([
          store.append('project-1', [event('A')], 'no_stream'),
          store.append('project-2', [event('B')], 5),
          store.append('project-3', [event('C')], 'no_stream'),
        ]);
        expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
        expect((outcomes[1] as PromiseRejectedResult).reason).toBeInstanceOf(WrongExpectedRevisionError);
        expect((await store.readAll()).map((e) => e.type)).toEqual(['A', 'C']);
      });

      it('fails only the append the database refuses when it shares a transaction with others', async () => {
        // PostgreSQL's jsonb cannot hold U+0000: the database, not the adapter, refuses this one.
        const store = await open();
        const outcomes = await Promise.allSettled([
          store.append('project-1', [event('A')], 'no_stream'),
          store.append('project-2', [event('B', { text: 'nul \u0000 here' })], 'no_stream'),
          store.append('project-3', [event('C')], 'no_stream'),
        ]);
        expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
        expect((await store.readAll()).map((e) => e.type)).toEqual(['A', 'C']);
      });

      it('tells its observer of each append as it settled and of the group it was committed in', async () => {
        // given
        const settled: AppendReport[] = [];
        const groups: number[] = [];
        const store = await open({
          observer: {
            appendSettled: (report) => settled.push(report),
            groupCommitted: ({ appends }) => groups.push(appends),
          },
        });
        await store.append('project-0', [event('Warm-up')], 'no_stream');
        settled.length = 0;
        groups.length = 0;
        // when
        await Promise.allSettled([
          store.append('project-1', [event('A')], 'no_stream'),
          store.append('project-2', [event('B')], 5),
        ]);
        // then
        expect(groups.reduce((sum, appends) => sum + appends, 0)).toBe(2);
        expect(
          settled.map((report) => [report.streamId, report.outcome?.written, report.error?.constructor]),
        ).toEqual([
          ['project-1', true, undefined],
          ['project-2', undefined, WrongExpectedRevisionError],
        ]);
      });
    });

    it('resumes its subscriptions without a gap or a duplicate when the server drops their connections', async () => {
      // given a subscriber whose connections are terminated again and again while a writer appends
      const writer = await open();
      const reader = await open({ applicationName: 'dropped-reader', pollIntervalMs: 50 });
      const received: RecordedEvent[] = [];
      reader.subscribeToAll({ after: 0, onEvents: (events) => void received.push(...events) });
      const admin = await sql();
      let terminated = 0;
      for (let round = 0; round < 10; round++) {
        for (let i = 0; i < 20; i++) {
          await writer.append(`project-${i % 4}`, [event(`E${round}.${i}`), event('Then')], 'any');
        }
        // the reader back on a connection first (under load its reconnect can still be backing off)
        await waitUntilRow(admin, `SELECT 1 FROM pg_stat_activity WHERE application_name = 'dropped-reader'`);
        const result = await admin.query(
          `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'dropped-reader'`,
        );
        terminated += result.rowCount ?? 0;
      }

      // then it receives every event exactly once, in position order
      const all = await writer.readAll();
      expect(all).toHaveLength(400);
      await waitUntil(() => received.length >= all.length, 15_000);
      expect(terminated).toBeGreaterThanOrEqual(10);
      expect(received.map((e) => e.id)).toEqual(all.map((e) => e.id));
    });

    it('close() stops subscriptions before closing its connections', async () => {
      const store = await PostgresEventStore.connect({ connectionString: url, pollIntervalMs: 10 });
      let finished = false;
      store.subscribeToAll({
        after: 0,
        onEvents: async () => {
          await sleep(100);
          finished = true;
        },
      });
      await store.append('project-1', [event('A')], 'no_stream');
      await sleep(20);

      await store.close();

      expect(finished).toBe(true);
      await expect(store.append('project-1', [event('B')], 0)).rejects.toThrow(/closed/);
    });
  });
});

async function waitUntilListening(client: Client): Promise<void> {
  await waitUntilRow(client, `SELECT 1 FROM pg_stat_activity WHERE query LIKE 'LISTEN %' AND state = 'idle'`);
}

async function waitUntilWaitingOnAdvisoryLock(client: Client): Promise<void> {
  await waitUntilRow(client, `SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND NOT granted`);
}

async function waitUntilRow(client: Client, query: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await client.query(query)).rowCount === 0) {
    if (Date.now() > deadline) throw new Error(`no row within ${timeoutMs} ms for ${query}`);
    await sleep(10);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function waitUntil(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(5);
  }
}
