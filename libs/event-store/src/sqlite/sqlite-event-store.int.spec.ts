import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import {
  AppendReport,
  DuplicateEventIdError,
  RecordedEvent,
  WrongExpectedRevisionError,
} from '../event-store.port';
import {
  describeAtomicAppendConformance,
  describeEventStoreConformance,
  newEvent as event,
} from '../testing';
import { SqliteEventStore } from './sqlite-event-store';

function tempFile(): { file: string; removeDir(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'plt-event-store-'));
  return { file: join(dir, 'events.sqlite'), removeDir: () => rmSync(dir, { recursive: true, force: true }) };
}

describeEventStoreConformance('SqliteEventStore', async () => {
  const { file, removeDir } = tempFile();
  const store = SqliteEventStore.open({ file, pollIntervalMs: 20 });
  return {
    store,
    dispose: async () => {
      await store.close();
      removeDir();
    },
  };
});

describeAtomicAppendConformance('SqliteEventStore', async () => {
  const { file, removeDir } = tempFile();
  const store = SqliteEventStore.open({ file, pollIntervalMs: 20 });
  return {
    store,
    dispose: async () => {
      await store.close();
      removeDir();
    },
  };
});

describe('SqliteEventStore on a real file', () => {
  let file: string;
  let removeDir: () => void;
  const opened: SqliteEventStore[] = [];
  const open = (pollIntervalMs = 20) => {
    const store = SqliteEventStore.open({ file, pollIntervalMs });
    opened.push(store);
    return store;
  };

  beforeEach(() => {
    ({ file, removeDir } = tempFile());
  });

  afterEach(async () => {
    await Promise.all(opened.splice(0).map((store) => store.close()));
    removeDir();
  });

  it('uses WAL with synchronous=FULL and waits for other processes’ locks', () => {
    expect(open().connectionSettings()).toEqual({
      journalMode: 'wal',
      synchronous: 'FULL',
      busyTimeoutMs: 5000,
    });
  });

  it('keeps one events table whose (stream_id, revision) index serves readStream', () => {
    open();
    const db = new Database(file, { readonly: true });
    try {
      const columns = db.prepare("SELECT name, pk FROM pragma_table_info('events')").all();
      expect(columns).toEqual([
        { name: 'position', pk: 1 },
        { name: 'stream_id', pk: 0 },
        { name: 'revision', pk: 0 },
        { name: 'event_id', pk: 0 },
        { name: 'type', pk: 0 },
        { name: 'schema_version', pk: 0 },
        { name: 'data', pk: 0 },
        { name: 'metadata', pk: 0 },
      ]);
      const plan = db
        .prepare('EXPLAIN QUERY PLAN SELECT * FROM events WHERE stream_id = ? ORDER BY revision')
        .all('project-1') as { detail: string }[];
      expect(plan.map((step) => step.detail)).toEqual([
        expect.stringMatching(/^SEARCH events USING INDEX .*stream_id=/),
      ]);
    } finally {
      db.close();
    }
  });

  it('gives the same events after closing and reopening the file, and continues positions', async () => {
    const first = open();
    await first.append('project-1', [event('Signed'), event('Listed')], 'no_stream');
    await first.append('project-2', [event('Signed')], 'no_stream');
    const before = await first.readAll();
    await first.close();

    const reopened = open();

    expect(await reopened.readAll()).toEqual(before);
    expect(await reopened.headPosition()).toBe(before[2].position);
    const next = await reopened.append('project-1', [event('Started')], 1);
    expect(next).toEqual({ nextRevision: 2, position: before[2].position + 1 });
  });

  it('keeps its identity across reopening and for every instance on the file; another file has another', async () => {
    // given
    const first = open();
    const identity = await first.storeId();
    await first.close();
    // when
    const [reopened, second] = [open(), open()];
    const other = SqliteEventStore.open({ file: `${file}.other` });
    opened.push(other);
    // then
    expect(await reopened.storeId()).toBe(identity);
    expect(await second.storeId()).toBe(identity);
    expect(await other.storeId()).not.toBe(identity);
  });

  it('opens a file another process has only begun creating (WAL header, no tables yet) as a new store', async () => {
    // given the state a second process meets between the first one's journal_mode=WAL and its schema
    const creator = new Database(file);
    creator.pragma('journal_mode = WAL');
    try {
      // when
      const store = open();
      // then it is a store of its own, not "a store that had been dropped"
      await store.append('s', [event('Signed')], 'no_stream');
      expect(await store.storeId()).toEqual(expect.any(String));
      expect(await store.readAll()).toHaveLength(1);
    } finally {
      creator.close();
    }
  });

  it('refuses a file whose tables are there but not the events table', async () => {
    // given a store whose events table was dropped, and a SQLite file that is not a store
    await open().close();
    opened.splice(0);
    const db = new Database(file);
    db.exec('DROP TABLE events');
    db.close();
    const foreign = new Database(`${file}.foreign`);
    foreign.exec('CREATE TABLE invoices (id INTEGER PRIMARY KEY)');
    foreign.close();
    // when / then
    expect(() => open()).toThrow(/has no events table where a store had been/);
    expect(() => SqliteEventStore.open({ file: `${file}.foreign` })).toThrow(/has no events table/);
  });

  it('lets two instances on one file (as two processes) see and follow each other’s appends', async () => {
    // given
    const api = open();
    const relay = open(10);
    const received: RecordedEvent[] = [];
    const subscription = relay.subscribeToAll({
      after: 0,
      onEvents: (events) => void received.push(...events),
    });
    await subscription.caughtUp;

    // when one instance appends, and they race on the same stream
    await api.append('project-1', [event('Signed'), event('Listed')], 'no_stream');
    await api.append('project-2', [event('Signed')], 'no_stream');
    await relay.append('project-1', [event('Started')], 1);
    const conflict = api.append('project-1', [event('Stalled')], 1);

    // then
    await expect(conflict).rejects.toBeInstanceOf(WrongExpectedRevisionError);
    await expect(conflict).rejects.toMatchObject({ actual: 2 });
    expect((await api.readStream('project-1')).map((e) => e.type)).toEqual(['Signed', 'Listed', 'Started']);
    const all = await api.readAll();
    expect(all).toHaveLength(4);
    await waitUntil(() => received.length === 4);
    expect(received).toEqual(all);
  });

  it('delivers appends from another instance to a subscription by polling alone', async () => {
    const writer = open();
    const reader = open(10);
    const received: RecordedEvent[] = [];
    reader.subscribeToAll({ after: 0, onEvents: (events) => void received.push(...events) });

    for (let i = 0; i < 5; i++) await writer.append('project-1', [event(`E${i}`)], i - 1);

    await waitUntil(() => received.length === 5);
    expect(received.map((e) => e.revision)).toEqual([0, 1, 2, 3, 4]);
  });

  describe('event ids', () => {
    it('rejects an append whose later event id is stored in another stream, writing none of it', async () => {
      // given
      const store = open();
      const taken = event('Signed');
      await store.append('project-1', [taken], 'no_stream');
      const head = await store.headPosition();

      // when
      const attempt = store.append('project-2', [event('Signed'), { ...taken }], 'no_stream');

      // then
      await expect(attempt).rejects.toBeInstanceOf(DuplicateEventIdError);
      await expect(attempt).rejects.toMatchObject({ streamId: 'project-2', eventId: taken.id });
      expect(await store.readStream('project-2')).toEqual([]);
      expect(await store.headPosition()).toBe(head);
    });

    it('rejects ids that match a stored append only in part, or sit in another stream', async () => {
      const store = open();
      const [a, b] = [event('A'), event('B')];
      await store.append('project-1', [a, b], 'no_stream');

      await expect(store.append('project-1', [a, event('C')], 'no_stream')).rejects.toThrow(
        DuplicateEventIdError,
      );
      await expect(store.append('project-1', [b, event('C')], 'any')).rejects.toThrow(DuplicateEventIdError);
      await expect(store.append('project-2', [a], 'any')).rejects.toThrow(
        /already stored in stream project-1/,
      );
      const repeated = event('X');
      await expect(store.append('project-3', [repeated, repeated], 'any')).rejects.toThrow(/appears twice/);
      expect((await store.readAll()).map((e) => e.id)).toEqual([a.id, b.id]);
    });

    it('treats a retry as a no-op only right after the expected revision, like EventStoreDB', async () => {
      const store = open();
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
      await expect(open().append('', [event('A')], 'any')).rejects.toThrow(/streamId/);
    });
  });

  it('commits appends requested before an atomic append first, keeping their order', async () => {
    const store = open();
    const single = store.append('project-1', [event('First')], 'no_stream');
    await store.appendAtomically([
      { streamId: 'project-2', events: [event('Second')], expected: 'no_stream' },
    ]);
    await single;
    expect((await store.readAll()).map((e) => e.type)).toEqual(['First', 'Second']);
  });

  describe('subscriptions', () => {
    it('wakes at once for appends through the same instance, without waiting for the poll', async () => {
      const store = open(60_000);
      const received = await followed(store);

      await store.append('project-1', [event('A')], 'no_stream');

      await waitUntil(() => received.length === 1, 1_000);
    });

    it('commits the appends of one tick together, each standing or failing on its own', async () => {
      // given
      const store = open();
      // when: three appends requested at once, the second with a wrong expected revision
      const outcomes = await Promise.allSettled([
        store.append('project-1', [event('A')], 'no_stream'),
        store.append('project-2', [event('B')], 5),
        store.append('project-3', [event('C')], 'no_stream'),
      ]);
      // then
      expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      expect((outcomes[1] as PromiseRejectedResult).reason).toBeInstanceOf(WrongExpectedRevisionError);
      expect((await store.readAll()).map((e) => e.type)).toEqual(['A', 'C']);
      await store.close();
    });

    it('delivers an atomic append from the rows it committed, exactly as reading the file gives them', async () => {
      // given: two subscriptions, and another instance's events (as another process) they have not polled yet
      const store = open(60_000);
      const other = open();
      const fileReads = jest.spyOn(
        store as unknown as { readAllSync(after: number): unknown },
        'readAllSync',
      );
      const received = await Promise.all([followed(store), followed(store)]);
      await other.append('elsewhere', [event('A'), event('B'), event('C')], 'no_stream');
      // when: an import-sized atomic append (more than two batches of 500), data with nested values
      const appends = ['project-1', 'project-2', 'project-3'].map((streamId) => ({
        streamId,
        expected: 'no_stream' as const,
        events: Array.from({ length: 400 }, (_, i) =>
          event('Recorded', { streamId, i, name: `项目 ${i}`, dates: { on: '2024-03-15' }, empty: null }),
        ),
      }));
      const results = await store.appendAtomically(appends);
      const last = results[results.length - 1].position;
      await waitUntil(() => received.every((events) => events.length === 1_203));
      // then: each has what a read of the file gives, in order
      const all = await store.readAll();
      expect(all.map((recorded) => recorded.position)).toEqual(
        Array.from({ length: 1_203 }, (_, i) => i + 1),
      );
      expect(received[0]).toEqual(all);
      expect(received[1]).toEqual(all);
      // and one of them read the append's rows from memory: only the other read the file from inside them
      const first = last - 1_200 + 1;
      const readsInside = fileReads.mock.calls.filter(([after]) => after >= first && after < last);
      expect(readsInside.map(([after]) => after)).toEqual([500, 1_000]);
    });

    it('stores a metadata object shared by several events for each of them, as it is at each append', async () => {
      // given: a subscription, and one metadata object for every event of an atomic append
      const store = open(60_000);
      const received = await followed(store);
      const shared = event('Shared').metadata;
      const withShared = (type: string) => ({ ...event(type), metadata: shared });
      // when: appended, then the object changed and appended again
      await store.appendAtomically([
        { streamId: 'project-1', events: [withShared('A'), withShared('B')], expected: 'no_stream' },
        { streamId: 'project-2', events: [withShared('C')], expected: 'no_stream' },
      ]);
      shared.reason = 'changed afterwards';
      await store.appendAtomically([
        { streamId: 'project-3', events: [withShared('D')], expected: 'no_stream' },
      ]);
      await waitUntil(() => received.length === 4);
      // then: each event's row holds the metadata as it was when that append was made
      const rows = new Database(file, { readonly: true })
        .prepare('SELECT metadata FROM events ORDER BY position')
        .all() as { metadata: string }[];
      const stored = rows.map((row) => JSON.parse(row.metadata) as { reason?: string });
      expect(stored.map((metadata) => metadata.reason)).toEqual([
        undefined,
        undefined,
        undefined,
        'changed afterwards',
      ]);
      expect(received).toEqual(await store.readAll());
    });

    it('delivers nothing of an atomic append that was rolled back', async () => {
      const store = open(60_000);
      const received = await followed(store);
      await store.append('project-2', [event('Existing')], 'no_stream');
      const refused = store.appendAtomically([
        { streamId: 'project-1', events: [event('Phantom'), event('Phantom')], expected: 'no_stream' },
        { streamId: 'project-2', events: [event('Phantom')], expected: 'no_stream' },
      ]);
      await expect(refused).rejects.toBeInstanceOf(WrongExpectedRevisionError);
      await store.append('project-3', [event('Later')], 'no_stream');
      await waitUntil(() => received.length === 2);
      await sleep(50);
      expect(received).toEqual(await store.readAll());
      expect(received.map((recorded) => recorded.type)).toEqual(['Existing', 'Later']);
    });

    it('close() stops subscriptions before closing the file', async () => {
      const store = SqliteEventStore.open({ file, pollIntervalMs: 10 });
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
      await expect(store.append('project-1', [event('B')], 0)).rejects.toThrow();
    });
  });
});

/** A subscription from the start, caught up: the events it receives, in order. */
async function followed(store: SqliteEventStore): Promise<RecordedEvent[]> {
  const received: RecordedEvent[] = [];
  const subscription = store.subscribeToAll({
    after: 0,
    onEvents: (events) => void received.push(...events),
  });
  await subscription.caughtUp;
  return received;
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

describe('SqliteEventStore observer', () => {
  it('reports each group commit and how each append of it settled', async () => {
    // given
    const { file, removeDir } = tempFile();
    const groups: { appends: number; events: number }[] = [];
    const settled: AppendReport[] = [];
    const store = SqliteEventStore.open({
      file,
      observer: {
        groupCommitted: ({ appends, events }) => groups.push({ appends, events }),
        appendSettled: (report) => settled.push(report),
      },
    });
    try {
      const first = [event('A'), event('B')];
      await store.append('s-1', first, 'no_stream');
      groups.length = 0;
      settled.length = 0;
      // when: three appends in one tick: a new one, an exact retry and a conflicting one
      const outcomes = await Promise.allSettled([
        store.append('s-2', [event('C')], 'no_stream'),
        store.append('s-1', first, 'no_stream'),
        store.append('s-1', [event('D')], 'no_stream'),
      ]);
      // then
      expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'fulfilled', 'rejected']);
      expect(groups).toEqual([{ appends: 3, events: 4 }]);
      expect(
        settled.map((report) => [report.streamId, report.outcome?.written, report.error?.constructor]),
      ).toEqual([
        ['s-2', true, undefined],
        ['s-1', false, undefined],
        ['s-1', undefined, WrongExpectedRevisionError],
      ]);
      expect(settled[0].outcome).toEqual({ nextRevision: 0, position: 3, written: true });
      for (const report of settled) expect(report.seconds).toBeGreaterThanOrEqual(0);
    } finally {
      await store.close();
      removeDir();
    }
  });

  it('keeps an append durable and resolved when the observer throws', async () => {
    // given
    const { file, removeDir } = tempFile();
    const store = SqliteEventStore.open({
      file,
      observer: {
        appendSettled: () => {
          throw new Error('observer bug');
        },
        groupCommitted: () => {
          throw new Error('observer bug');
        },
      },
    });
    try {
      // when
      const result = await store.append('s', [event('A')], 'no_stream');
      // then
      expect(result).toEqual({ nextRevision: 0, position: 1 });
      expect((await store.readStream('s')).map((recorded) => recorded.type)).toEqual(['A']);
    } finally {
      await store.close();
      removeDir();
    }
  });
});
