import { Writable } from 'node:stream';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import ExcelJS from 'exceljs';
import { HeavyReadsService } from '../apps/api/src/heavy-reads/heavy-reads.service';
import {
  ADMIN,
  AUDITOR,
  ManualClock,
  RunningApi,
  expectProblem,
  seedReference,
  seedSignedProjects,
  startApi,
} from './support/api-harness';

/**
 * The worker path over real HTTP (the other suites run HEAVY_READS=inline): verification,
 * previews and stalled lists answered by the worker thread are the answers the same store
 * gives inline; the worker follows writes and edits; a worker that dies or stops answering
 * is a 503 with Retry-After, logged, and replaced (issue 14).
 */

// Each worker transpiles the sources when it starts: seconds, more on a loaded machine.
jest.setTimeout(120_000);

/** The API's log lines (JSON), to find what it says of a failed worker. */
class LogLines extends Writable {
  readonly raw: string[] = [];

  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.raw.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    done();
  }

  messages(): string[] {
    return this.raw.map((line) => String((JSON.parse(line) as { msg?: unknown }).msg));
  }
}

const binary = (request: ReturnType<RunningApi['http']['get']>) =>
  request.buffer(true).parse((res, done) => {
    const chunks: Buffer[] = [];
    res.on('data', (chunk: Buffer) => chunks.push(chunk));
    res.on('end', () => done(null, Buffer.concat(chunks)));
  });

/** Every sheet's name and cell values, row by row (the file's own timestamps left aside). */
async function cellsOf(file: Buffer): Promise<unknown[]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(file as unknown as ExcelJS.Buffer);
  return workbook.worksheets.map((sheet) => [
    sheet.name,
    sheet.getSheetValues().map((row) => JSON.stringify(row)),
  ]);
}

const heavyReadsOf = (api: RunningApi) => api.app.get(HeavyReadsService);
const workerOf = (api: RunningApi) => (heavyReadsOf(api) as unknown as { worker?: Worker }).worker;

async function until(condition: () => boolean, what: string, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('the worker thread answers as the inline path does, over HTTP', () => {
  const clock = new ManualClock(new Date('2023-11-05T02:00:00Z'));
  let dataDir: string;
  let worker: RunningApi;
  let inline: RunningApi;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'plt-worker-'));
    worker = await startApi({ dataDir, clock, env: { HEAVY_READS: 'worker' } });
    await seedReference(worker);
    await seedSignedProjects(worker);
    const admin = worker.bearer(ADMIN);
    await worker.http
      .post('/api/v1/projects/c/milestones')
      .set('Authorization', admin)
      .send({ milestone: 'construction-started', occurredOn: '2023-04-10' })
      .expect(201);
    await worker.http
      .post('/api/v1/notifications')
      .set('Authorization', admin)
      .send({ month: '2023-10' })
      .expect(201);
    // the same store, read on the event loop by a second API
    inline = await startApi({ dataDir, clock, env: { HEAVY_READS: 'inline' } });
  });

  afterAll(async () => {
    await inline?.close();
    await worker?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const both = async (path: string, format?: 'binary') => {
    const answers = [];
    for (const api of [worker, inline]) {
      const request = api.http.get(`/api/v1${path}`).set('Authorization', api.bearer(AUDITOR));
      answers.push(await (format === 'binary' ? binary(request) : request).expect(200));
    }
    return answers;
  };

  it('stalled lists, with filters and pages: the same answers', async () => {
    for (const query of [
      '?asOf=2023-10-31',
      '?asOf=2023-10-31&limit=1&offset=1',
      '?asOf=2023-10-31&zoneId=jinzhong-kfq',
      '?asOf=2023-10-31&minDaysSignedNotStarted=200',
    ]) {
      const [fromWorker, fromInline] = await both(`/stalled-projects${query}`);
      expect({ query, body: fromWorker.body }).toEqual({ query, body: fromInline.body });
    }
    const [all] = await both('/stalled-projects?asOf=2023-10-31');
    expect(all.body.signedNotStarted.map((p: { projectId: string }) => p.projectId)).toEqual(['a', 'b']);
    expect(all.body.startedNotProducing.map((p: { projectId: string }) => p.projectId)).toEqual(['c']);
  });

  it('previews: the same bytes as JSON and CSV, the same cells as XLSX', async () => {
    const [json, jsonInline] = await both('/notifications/2023-11/preview');
    expect(json.text).toBe(jsonInline.text);
    expect(JSON.parse(json.text)).toMatchObject({ month: '2023-11', issue: 2 });
    const [csv, csvInline] = await both('/notifications/2023-11/preview?format=csv');
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.text).toBe(csvInline.text);
    const [xlsx, xlsxInline] = await both('/notifications/2023-11/preview?format=xlsx', 'binary');
    expect(xlsx.headers['content-type']).toMatch(/spreadsheetml/);
    expect((xlsx.body as Buffer).subarray(0, 2).toString()).toBe('PK');
    expect(await cellsOf(xlsx.body as Buffer)).toEqual(await cellsOf(xlsxInline.body as Buffer));
    expect((await cellsOf(xlsx.body as Buffer)).length).toBeGreaterThan(1);
  });

  it('verification matches; an edited record is seen at once; the worker follows new writes', async () => {
    const [verified, verifiedInline] = await both('/notifications/2023-10/verification');
    expect(verified.body).toEqual(verifiedInline.body);
    expect(verified.body).toMatchObject({ month: '2023-10', issue: 1, matches: true });

    // someone edits the issued record in the store: its stored content no longer hashes to the issue
    const db = new Database(join(dataDir, 'events.sqlite'));
    try {
      const row = db.prepare(`SELECT position, data FROM events WHERE type = 'NotificationIssued'`).get() as {
        position: number;
        data: string;
      };
      const data = JSON.parse(row.data) as { content: { title: string } };
      data.content.title = `${data.content.title}（改）`;
      db.prepare('UPDATE events SET data = ? WHERE position = ?').run(JSON.stringify(data), row.position);
    } finally {
      db.close();
    }
    const [edited, editedInline] = await both('/notifications/2023-10/verification');
    expect(edited.body).toEqual(editedInline.body);
    expect(edited.body).toMatchObject({ matches: false, issuedHash: verified.body.issuedHash });
    expect(edited.body.storedContentHash).not.toBe(verified.body.storedContentHash);

    // a write through the worker's API is in the worker's next answer (read-your-writes)
    await worker.http
      .post('/api/v1/projects/a/milestones')
      .set('Authorization', worker.bearer(ADMIN))
      .send({ milestone: 'construction-started', occurredOn: '2023-06-01' })
      .expect(201);
    const after = await worker.http
      .get('/api/v1/stalled-projects?asOf=2023-10-31')
      .set('Authorization', worker.bearer(AUDITOR))
      .expect(200);
    expect(after.body.signedNotStarted.map((p: { projectId: string }) => p.projectId)).toEqual(['b']);
    expect(after.body.startedNotProducing.map((p: { projectId: string }) => p.projectId).sort()).toEqual([
      'a',
      'c',
    ]);
    expect(heavyReadsOf(worker).status).toMatchObject({ mode: 'worker', started: 1, failures: 0 });
  });
});

describe('a worker that dies is a 503, logged, and replaced', () => {
  const logs = new LogLines();
  let api: RunningApi;

  beforeAll(async () => {
    api = await startApi({ env: { HEAVY_READS: 'worker', LOG_LEVEL: 'error' }, logDestination: logs });
    await seedReference(api);
    await seedSignedProjects(api);
  });
  afterAll(() => api?.close());

  const stalled = () =>
    api.http
      .get('/api/v1/stalled-projects?asOf=2023-10-31')
      .set('Authorization', api.bearer(AUDITOR))
      .set('Accept-Language', 'en');

  it('a task held by a worker that exits: 503 worker-failed with Retry-After; the next task gets a new worker', async () => {
    const pending = stalled().then((response) => response);
    // the worker is still starting (it has the task and has answered nothing): it dies now
    await until(() => workerOf(api) !== undefined, 'the worker to start');
    await workerOf(api)!.terminate();
    const refused = await pending;
    expectProblem(refused, 503, { code: 'worker-failed', first: 'en' });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(logs.messages().some((message) => /heavy-reads worker crashed/.test(message))).toBe(true);
    expect(heavyReadsOf(api).status).toMatchObject({
      started: 1,
      failures: 1,
      lastFailure: { reason: 'crashed' },
    });

    const served = await stalled().expect(200);
    expect(served.body.page.totals.signedNotStarted).toBe(3);
    expect(heavyReadsOf(api).status.started).toBe(2);
    const health = await api.http.get('/api/v1/health').set('Authorization', api.bearer(ADMIN)).expect(200);
    expect(health.body.heavyReads).toMatchObject({ mode: 'worker', started: 2, failures: 1 });
  });

  it('a worker that had answered and dies while idle is replaced at once', async () => {
    const dead = workerOf(api)!;
    await dead.terminate();
    await until(() => heavyReadsOf(api).status.failures === 2, 'the failure to be seen');
    expect(heavyReadsOf(api).status.started).toBe(3);
    expect(workerOf(api)).not.toBe(dead);
    await stalled().expect(200);
    expect(heavyReadsOf(api).status.started).toBe(3);
  });
});

describe('a worker that stops answering is given up after HEAVY_READS_TIMEOUT_MS', () => {
  const logs = new LogLines();
  let api: RunningApi;

  beforeAll(async () => {
    // no worker can start, open the store and answer within 1 ms
    api = await startApi({
      env: { HEAVY_READS: 'worker', HEAVY_READS_TIMEOUT_MS: '1', LOG_LEVEL: 'error' },
      logDestination: logs,
    });
  });
  afterAll(() => api?.close());

  it('503 worker-timeout with Retry-After in both languages, logged; the worker is terminated and the next task starts another', async () => {
    const refused = await api.http
      .get('/api/v1/notifications/2023-10/verification')
      .set('Authorization', api.bearer(AUDITOR));
    expectProblem(refused, 503, { code: 'worker-timeout' });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(logs.messages().some((message) => /heavy-reads worker timed-out/.test(message))).toBe(true);
    expect(heavyReadsOf(api).status).toMatchObject({
      started: 1,
      failures: 1,
      lastFailure: { reason: 'timed-out' },
    });
    expect(workerOf(api)).toBeUndefined();

    expectProblem(
      await api.http.get('/api/v1/notifications/2023-10/preview').set('Authorization', api.bearer(AUDITOR)),
      503,
      { code: 'worker-timeout' },
    );
    expect(heavyReadsOf(api).status).toMatchObject({ started: 2, failures: 2 });
  });
});
