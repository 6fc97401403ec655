import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { PostgresEventStore, RecordedEvent } from '@app/event-store';
import {
  LifecycleReadModel,
  ProjectionRunner,
  leadTimes,
  listProjects,
  rateTable,
  stalledProjects,
} from '@app/projections';
import { HistoryBuilder } from '../libs/projections/src/testing/history-builder';
import { describeWithPostgres } from './support/postgres';

/**
 * Eight writer processes append to one PostgreSQL store at once while this process follows
 * `$all` with a subscription and a live projection. A store whose positions are taken before
 * commit without ordering the commits would let the subscriber pass a position whose event
 * commits later: it would then never be delivered. GAP_TEST_SECONDS sets how long they write.
 */
const WRITERS = 8;
const SECONDS = Number(process.env.GAP_TEST_SECONDS ?? 5);
const ROOT = join(__dirname, '..');
const WRITER = join(__dirname, 'support', 'store-gap-writer.ts');
const REGISTER_TS = join(__dirname, 'support', 'register-ts.js');

/** Writer processes still running, killed after a failed test. */
const children: ChildProcess[] = [];

interface Ack {
  streamId: string;
  nextRevision: number;
  position: number;
  ids: string[];
}

describeWithPostgres('PostgreSQL store: concurrent writers while a subscriber follows $all', (server) => {
  let store: PostgresEventStore | undefined;
  afterEach(async () => {
    for (const child of children.splice(0)) child.kill('SIGKILL');
    await store?.close();
  });

  it(
    `delivers every acknowledged event once, in position order, without a gap, from ${WRITERS} writers over ${SECONDS} s`,
    async () => {
      // given the reference data, a subscriber and a live projection following $all
      const url = await server().createDatabase();
      store = await PostgresEventStore.connect({ connectionString: url, pollIntervalMs: 500 });
      const reference = new HistoryBuilder()
        .zone({ id: 'z1', cityId: 'c1' })
        .zone({ id: 'z2', cityId: 'c2' })
        .round('r1', '2023-02-22')
        .round('r2', '2023-05-29').events;
      for (const { streamId, revision: _revision, position: _position, ...event } of reference) {
        await store.append(streamId, [event], 'no_stream');
      }
      const received: RecordedEvent[] = [];
      const subscription = store.subscribeToAll({
        after: 0,
        onEvents: (events) => void received.push(...events),
      });
      const model = new LifecycleReadModel();
      const runner = new ProjectionRunner(store, model);
      await runner.start();

      // when eight processes append at once, all starting when the last one is connected
      const started = Array.from({ length: WRITERS }, (_, writer) => runWriter(url, writer, SECONDS * 1000));
      await Promise.all(started.map((writer) => writer.ready));
      for (const writer of started) writer.go();
      const writers = await Promise.all(started.map((writer) => writer.done));
      for (const [writer, outcome] of writers.entries()) {
        expect({ writer, code: outcome.code, stderr: outcome.stderr }).toEqual({
          writer,
          code: 0,
          stderr: '',
        });
        expect(outcome.acks.length).toBeGreaterThan(0);
      }
      const acked = writers.flatMap((outcome) => outcome.acks);
      const all = await store.readAll();
      const head = all[all.length - 1].position;
      // Waits for the last position only: an event skipped over would never arrive.
      await waitUntil(() => received[received.length - 1]?.position >= head && runner.position >= head);
      await subscription.stop();

      // then the subscriber saw exactly what is stored, once each, in position order
      expect(received.length).toBe(all.length);
      expect(received.map((event) => event.id)).toEqual(all.map((event) => event.id));
      // no append was rolled back, so positions are consecutive: nothing in between was skipped
      expect(all.map((event) => event.position)).toEqual(all.map((_, i) => all[0].position + i));
      // and everything stored was acknowledged, where it was acknowledged
      const byId = new Map(all.map((event) => [event.id, event]));
      const ackedIds = acked.flatMap((ack) => ack.ids);
      expect(ackedIds.length + reference.length).toBe(all.length);
      const misplaced = acked.filter((ack) => {
        const events = ack.ids.map((id) => byId.get(id));
        const last = events[events.length - 1];
        return (
          events.some((event) => event?.streamId !== ack.streamId) ||
          last?.revision !== ack.nextRevision ||
          last?.position !== ack.position
        );
      });
      expect(misplaced).toEqual([]);

      // and rebuilding the projection from the log gives the same answers as the live one
      const live = answers(model);
      expect(model.eventCount).toBe(all.length);
      const report = await runner.rebuild();
      expect(report.events).toBe(all.length);
      expect(answers(model)).toEqual(live);
      expect(live.projects.items.length).toBeGreaterThan(WRITERS);
      await runner.stop();
    },
    60_000 + SECONDS * 4_000,
  );
});

/** Every view the API serves, for comparing two models. */
function answers(model: LifecycleReadModel) {
  const asOf = '2023-10-31';
  return {
    rates: (['province', 'city', 'zone'] as const).map((scope) => rateTable(model, { scope, asOf })),
    ratesScanned: rateTable(model, { scope: 'zone', asOf, roundIds: ['r2'] }),
    leadTimes: leadTimes(model, { scope: 'zone', asOf }),
    projects: listProjects(model, { asOf, limit: 100_000 }),
    stalled: stalledProjects(model, { asOf }),
  };
}

/** Starts a writer process; it connects, says `ready`, and appends once told to go. */
function runWriter(url: string, writer: number, durationMs: number) {
  const child = spawn(
    process.execPath,
    ['--require', REGISTER_TS, WRITER, url, String(writer), String(durationMs)],
    {
      cwd: ROOT,
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  let onReady!: () => void;
  const ready = new Promise<void>((resolve) => (onReady = resolve));
  const acks: Ack[] = [];
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    const lines = stdout.split('\n');
    stdout = lines.pop()!;
    for (const line of lines) {
      if (line === 'ready') {
        onReady();
        continue;
      }
      const [word, streamId, nextRevision, position, ...ids] = line.split(' ');
      if (word !== 'ack' || ids.length === 0) throw new Error(`unexpected writer output: ${line}`);
      acks.push({ streamId, nextRevision: Number(nextRevision), position: Number(position), ids });
    }
  });
  const done = new Promise<{ acks: Ack[]; code: number | null; stderr: string }>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => {
      // A writer that dies before it is ready must not leave the test waiting for it.
      onReady();
      resolve({ acks, code, stderr });
    });
  });
  return { ready, done, go: () => child.stdin!.end('go\n') };
}

async function waitUntil(condition: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
