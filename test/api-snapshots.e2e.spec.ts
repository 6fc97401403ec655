import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { SNAPSHOT_FILE } from '@app/projections';
import {
  ADMIN,
  AUDITOR,
  ManualClock,
  RunningApi,
  seedReference,
  seedSignedProjects,
  startApi,
} from './support/api-harness';

/** The API's log messages (each write is one JSON line). */
class LogMessages extends Writable {
  readonly messages: string[] = [];

  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    for (const line of chunk.toString('utf8').split('\n').filter(Boolean))
      this.messages.push((JSON.parse(line) as { msg: string }).msg);
    done();
  }
}

/** What the read model answers, as known now and as known before the late report. */
const QUERIES = [
  '/rates?asOf=2023-10-31&scope=zone',
  '/rates?asOf=2023-10-31&knownAt=2023-11-05T00:00:00Z&scope=city',
  '/lead-times?asOf=2023-10-31&scope=zone',
  '/lead-times?asOf=2023-10-31&scope=zone&knownAt=2023-11-05T00:00:00Z',
  '/projects?asOf=2023-10-31',
  '/projects?asOf=2023-10-31&knownAt=2023-11-05T00:00:00Z',
  '/stalled-projects?asOf=2023-10-31',
  '/project-lights?asOf=2023-10-31',
  '/projects/c',
];

/**
 * Start-up from a projection snapshot in DATA_DIR (issue 17): a restart loads it and folds only
 * the tail, and answers what a full fold of the log answers; a snapshot that cannot be trusted
 * or is of another projection version is ignored with a log line, and the log folded.
 */
describe('projection snapshots across restarts', () => {
  let dataDir: string;
  const clock = new ManualClock(new Date('2023-11-01T02:00:00Z'));
  const started: RunningApi[] = [];
  // One destination for every instance: Nest's own logger keeps the first app's pino.
  const log = new LogMessages();

  /** An API on the DATA_DIR, with the log messages written since it started. */
  const start = async (env: NodeJS.ProcessEnv = {}) => {
    const from = log.messages.length;
    const api = await startApi({ dataDir, clock, env: { LOG_LEVEL: 'info', ...env }, logDestination: log });
    started.push(api);
    return { api, logs: { messages: log.messages.slice(from) } };
  };
  const stop = async (api: RunningApi) => {
    started.splice(started.indexOf(api), 1);
    await api.close();
  };
  const get = (api: RunningApi, path: string) =>
    api.http.get(`/api/v1${path}`).set('Authorization', api.bearer(AUDITOR)).expect(200);
  const answers = (api: RunningApi) =>
    Promise.all(QUERIES.map(async (q) => (await get(api, q)).body as object));
  const snapshotHealth = async (api: RunningApi) => {
    const response = await api.http.get('/api/v1/health').set('Authorization', api.bearer(ADMIN)).expect(200);
    return response.body.projections.snapshot as Record<string, unknown>;
  };
  const headOf = async (api: RunningApi) =>
    (await api.http.get('/api/v1/health').set('Authorization', api.bearer(ADMIN))).body
      .headPosition as number;
  /** Answers of an API that folds the whole log (snapshots off): the reference. */
  const fullFold = async () => {
    const { api } = await start({ PROJECTION_SNAPSHOT_EVERY: '0' });
    const reference = { answers: await answers(api), head: await headOf(api) };
    await stop(api);
    return reference;
  };

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'plt-snapshots-'));
    const { api } = await start();
    await seedReference(api);
    await seedSignedProjects(api);
    const admin = api.bearer(ADMIN);
    await api.http
      .post('/api/v1/projects/a/milestones')
      .set('Authorization', admin)
      .send({ milestone: 'construction-started', occurredOn: '2023-06-01' })
      .expect(201);
    expect((await snapshotHealth(api)).source).toBe('log');
    await stop(api); // writes the snapshot on shutdown
  }, 60_000);

  afterAll(async () => {
    for (const api of started) await api.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('a restart loads the snapshot, folds only the tail, and answers what a full fold answers', async () => {
    // given: events appended after the snapshot by an API that writes no snapshot
    const { api: writer } = await start({ PROJECTION_SNAPSHOT_EVERY: '0' });
    const snapshotAt = await headOf(writer);
    clock.set('2023-11-20T02:00:00Z');
    // a late report: it happened in October but was recorded on 20 November
    await writer.http
      .post('/api/v1/projects/c/milestones')
      .set('Authorization', writer.bearer(ADMIN))
      .send({ milestone: 'construction-started', occurredOn: '2023-10-15' })
      .expect(201);
    await stop(writer);
    const reference = await fullFold();

    // when
    const { api, logs } = await start();

    // then
    expect(await snapshotHealth(api)).toMatchObject({
      enabled: true,
      source: 'snapshot',
      position: snapshotAt,
      tailEvents: reference.head - snapshotAt,
    });
    expect(reference.head - snapshotAt).toBeGreaterThan(0);
    expect(logs.messages).toContainEqual(expect.stringMatching(/^projection snapshot loaded: position \d+/));
    expect(await answers(api)).toEqual(reference.answers);
    await stop(api);
    const { api: again } = await start();
    expect(await snapshotHealth(again)).toMatchObject({
      source: 'snapshot',
      position: reference.head,
      tailEvents: 0,
    });
    expect(await answers(again)).toEqual(reference.answers);
    await stop(again);
  }, 120_000);

  it('a corrupt snapshot is ignored with a log line and the log folded', async () => {
    // given: one byte of the snapshot changed
    const reference = await fullFold();
    const file = join(dataDir, SNAPSHOT_FILE);
    const bytes = readFileSync(file);
    const at = bytes.indexOf('"c",[[') + 12;
    bytes[at] = bytes[at] === 0x30 ? 0x31 : 0x30;
    writeFileSync(file, bytes);

    // when
    const { api, logs } = await start();

    // then
    expect(await snapshotHealth(api)).toMatchObject({
      source: 'log',
      position: null,
      tailEvents: reference.head,
      ignored: 'corrupt: checksum mismatch',
    });
    expect(logs.messages).toContainEqual(expect.stringContaining('ignored (corrupt: checksum mismatch)'));
    expect(await answers(api)).toEqual(reference.answers);
    await stop(api);
  }, 120_000);

  it('a snapshot of an older projection schema version is ignored', async () => {
    // given: a sound snapshot (written by the last shutdown), resealed as version 0
    const file = join(dataDir, SNAPSHOT_FILE);
    const lines = readFileSync(file, 'utf8').split('\n');
    const header = JSON.parse(lines[0]) as { schemaVersion: number; projects: number };
    const body = [JSON.stringify({ ...header, schemaVersion: 0 }), ...lines.slice(1, -2)]
      .map((line) => `${line}\n`)
      .join('');
    const sha256 = createHash('sha256').update(body).digest('hex');
    writeFileSync(file, `${body}${JSON.stringify({ end: true, projects: header.projects, sha256 })}\n`);
    const reference = await fullFold();

    // when
    const { api, logs } = await start();

    // then
    const health = await snapshotHealth(api);
    expect(health).toMatchObject({ source: 'log', tailEvents: reference.head });
    expect(health.ignored).toMatch(/^projection schema version 0, this code is at \d+$/);
    expect(logs.messages).toContainEqual(expect.stringContaining('ignored (projection schema version 0'));
    expect(await answers(api)).toEqual(reference.answers);
    await stop(api);
  }, 120_000);

  it('writes a snapshot every PROJECTION_SNAPSHOT_EVERY events once caught up', async () => {
    // given
    const { api } = await start({ PROJECTION_SNAPSHOT_EVERY: '2' });
    const before = (await snapshotHealth(api)).lastWritten as { position: number } | undefined;

    // when: two more events
    for (const milestone of ['production-started', 'statistics-entered'])
      await api.http
        .post('/api/v1/projects/a/milestones')
        .set('Authorization', api.bearer(ADMIN))
        .send({ milestone, occurredOn: '2023-10-20' })
        .expect(201);

    // then: a snapshot at the new head is written while the API runs
    const head = await headOf(api);
    let written = before;
    while (written === undefined || written.position < head) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      written = (await snapshotHealth(api)).lastWritten as { position: number } | undefined;
    }
    expect(written.position).toBe(head);
    const header = JSON.parse(readFileSync(join(dataDir, SNAPSHOT_FILE), 'utf8').split('\n')[0]) as {
      checkpoint: { after: number };
    };
    expect(header.checkpoint.after).toBe(head);
    await stop(api);
  }, 120_000);
});
