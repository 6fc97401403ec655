import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { EventStore, Subscription } from '@app/event-store';
import {
  ADMIN,
  AUDITOR,
  RunningApi,
  expectProblem,
  seedReference,
  seedSignedProjects,
  startApi,
} from './support/api-harness';

/** Issue 14, items 1, 3 and 4: rate limits, paging, health that tells the truth, one rebuild at a time. */

const zone = (id: string) => ({
  id,
  name: `开发区 ${id}`,
  cityId: 'jinzhong',
  category: 'industrial',
  level: 'provincial',
});

/**
 * The embedded store's live subscriptions (its own set: a stopped or failed one leaves it),
 * with every new subscription's catch-up made a second longer so that concurrent rebuilds
 * overlap.
 */
function liveSubscriptions(api: RunningApi): () => number {
  const store = api.app.get<EventStore>(EventStore);
  const subscribe = store.subscribeToAll.bind(store);
  store.subscribeToAll = (options) => {
    const subscription: Subscription = subscribe(options);
    return {
      caughtUp: subscription.caughtUp.then(() => new Promise<void>((resolve) => setTimeout(resolve, 1_000))),
      stop: () => subscription.stop(),
    };
  };
  return () => (store as unknown as { subscriptions: Set<unknown> }).subscriptions.size;
}

describe('one rebuild at a time', () => {
  let api: RunningApi;
  beforeAll(async () => {
    api = await startApi();
    await seedReference(api);
    await seedSignedProjects(api);
  });
  afterAll(() => api.close());

  it('concurrent POST /projections/rebuild join the running one: one live subscription, not 1 → 5 → 9', async () => {
    const live = liveSubscriptions(api);
    expect(live()).toBe(1);
    const admin = api.bearer(ADMIN);
    for (let wave = 0; wave < 2; wave++) {
      const reports = await Promise.all(
        Array.from({ length: 4 }, () =>
          api.http.post('/api/v1/projections/rebuild').set('Authorization', admin).expect(201),
        ),
      );
      expect(live()).toBe(1);
      // all four got the one rebuild's report
      expect(new Set(reports.map((r) => JSON.stringify(r.body))).size).toBe(1);
    }
    const rates = await api.http
      .get('/api/v1/stalled-projects?asOf=2023-10-31')
      .set('Authorization', api.bearer(AUDITOR))
      .expect(200);
    expect(rates.body.signedNotStarted).toHaveLength(3);
  });
});

describe('per-caller rate limits', () => {
  let api: RunningApi;
  beforeAll(async () => {
    api = await startApi({ env: { RATE_LIMIT_PER_MINUTE: '8', RATE_LIMIT_EXPENSIVE_PER_MINUTE: '2' } });
  });
  afterAll(() => api.close());

  it('the expensive reads share a tighter limit; a 429 is a bilingual problem with Retry-After', async () => {
    const auditor = api.bearer({ role: 'auditor', sub: 'auditor-expensive' });
    const stalled = () =>
      api.http.get('/api/v1/stalled-projects').set('Authorization', auditor).set('Accept-Language', 'en');
    await stalled().expect(200);
    await api.http
      .get('/api/v1/notifications/2023-10/verification')
      .set('Authorization', auditor)
      .expect(404);
    const refused = await stalled();
    expectProblem(refused, 429, { code: 'rate-limited', first: 'en' });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    // cheap reads of the same caller are still under the general limit
    await api.http.get('/api/v1/zones').set('Authorization', auditor).expect(200);
    // another caller has limits of its own
    await api.http
      .get('/api/v1/stalled-projects')
      .set('Authorization', api.bearer({ role: 'auditor', sub: 'auditor-other' }))
      .expect(200);
  });

  it('every request counts against the general limit; health is never limited', async () => {
    const officer = api.bearer({ role: 'officer', sub: 'officer-busy', zones: [] });
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) {
      statuses.push((await api.http.get('/api/v1/zones').set('Authorization', officer)).status);
    }
    expect(statuses).toEqual([...Array(8).fill(200), 429, 429]);
    const refused = await api.http.get('/api/v1/zones').set('Authorization', officer);
    expectProblem(refused, 429, { code: 'rate-limited' });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    for (let i = 0; i < 12; i++) await api.http.get('/api/v1/health').expect(200);
  });
});

describe('a server-side request timeout', () => {
  let api: RunningApi;
  beforeAll(async () => {
    api = await startApi({ env: { REQUEST_TIMEOUT_MS: '200' } });
  });
  afterAll(() => api.close());

  it('a request the handler does not answer in REQUEST_TIMEOUT_MS is a 503 request-timeout with Retry-After', async () => {
    const store = api.app.get<EventStore>(EventStore);
    const headPosition = store.headPosition.bind(store);
    store.headPosition = () => new Promise((resolve) => setTimeout(() => resolve(headPosition()), 1_000));
    const response = await api.http
      .get('/api/v1/notifications/2023-10/verification')
      .set('Authorization', api.bearer(AUDITOR));
    expectProblem(response, 503, { code: 'request-timeout' });
    expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
    store.headPosition = headPosition;
    await api.http.get('/api/v1/zones').set('Authorization', api.bearer(AUDITOR)).expect(200);
  });

  it('the OpenAPI document gives 429 and 503 problems, the paging parameters and readiness', async () => {
    const document = (await api.http.get('/api/docs-json').expect(200)).body as {
      paths: Record<
        string,
        Record<string, { parameters?: { name: string }[]; responses: Record<string, { content: object }> }>
      >;
    };
    for (const path of [
      '/api/v1/stalled-projects',
      '/api/v1/notifications/{month}/verification',
      '/api/v1/notifications/{month}/preview',
    ]) {
      for (const status of ['429', '503'])
        expect(Object.keys(document.paths[path].get.responses[status].content)).toEqual([
          'application/problem+json',
        ]);
    }
    const stalled = document.paths['/api/v1/stalled-projects'].get;
    expect(stalled.parameters!.map((p) => p.name)).toEqual(expect.arrayContaining(['limit', 'offset']));
    expect(document.paths['/api/v1/health/ready'].get.responses['503']).toBeDefined();
  });
});

describe('stalled lists, previews and verifications in the worker thread', () => {
  let api: RunningApi;
  beforeAll(async () => {
    api = await startApi({ env: { HEAVY_READS: 'worker' } });
    await seedReference(api);
    await seedSignedProjects(api);
  });
  afterAll(() => api.close());
  // The worker transpiles the sources when it starts (the compiled API starts it at once).
  jest.setTimeout(60_000);

  const get = (query: string) =>
    api.http
      .get(`/api/v1/stalled-projects?asOf=2023-10-31${query}`)
      .set('Authorization', api.bearer(AUDITOR));

  it('the first page keeps the shape; limit and offset page each list, with totals and nextOffset', async () => {
    const first = await get('').expect(200);
    expect(Object.keys(first.body).sort()).toEqual([
      'asOf',
      'knownAt',
      'page',
      'producingNotAttained',
      'signedNotStarted',
      'startedNotProducing',
    ]);
    expect(first.body.signedNotStarted.map((p: { projectId: string }) => p.projectId)).toEqual([
      'a',
      'b',
      'c',
    ]);
    expect(first.body.page).toEqual({
      limit: 100,
      offset: 0,
      totals: { signedNotStarted: 3, startedNotProducing: 0, producingNotAttained: 0 },
      nextOffset: null,
    });
    const page1 = await get('&limit=2').expect(200);
    expect(page1.body.signedNotStarted.map((p: { projectId: string }) => p.projectId)).toEqual(['a', 'b']);
    expect(page1.body.page.nextOffset).toBe(2);
    const page2 = await get('&limit=2&offset=2').expect(200);
    expect(page2.body.signedNotStarted.map((p: { projectId: string }) => p.projectId)).toEqual(['c']);
    expect(page2.body.page.nextOffset).toBeNull();
    expectProblem(await get('&limit=0'), 400, { field: 'limit' });
    expectProblem(await get('&limit=1001'), 400, { field: 'limit' });
  });

  it('verifies an issued notification (again from the cache at the same head) and previews it as XLSX', async () => {
    const admin = api.bearer(ADMIN);
    await api.http
      .post('/api/v1/notifications')
      .set('Authorization', admin)
      .send({ month: '2023-10' })
      .expect(201);
    const verifications = await Promise.all(
      [1, 2, 3].map(() =>
        api.http.get('/api/v1/notifications/2023-10/verification').set('Authorization', admin).expect(200),
      ),
    );
    for (const verification of verifications)
      expect(verification.body).toMatchObject({ matches: true, issue: 1 });
    const again = await api.http
      .get('/api/v1/notifications/2023-10/verification')
      .set('Authorization', admin)
      .expect(200);
    expect(again.body).toEqual(verifications[0].body);
    const xlsx = await api.http
      .get('/api/v1/notifications/2023-11/preview?format=xlsx')
      .set('Authorization', admin)
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect(xlsx.headers['content-type']).toMatch(/spreadsheetml/);
    expect((xlsx.body as Buffer).subarray(0, 2).toString()).toBe('PK');
    const json = await api.http
      .get('/api/v1/notifications/2023-11/preview')
      .set('Authorization', admin)
      .expect(200);
    expect(json.body).toMatchObject({ month: '2023-11' });
  });
});

describe('a verification is recomputed once per issue and log head', () => {
  let api: RunningApi;
  beforeAll(async () => {
    // inline: the same tasks on the API's own store, so that its reads can be counted here
    api = await startApi({ env: { HEAVY_READS: 'inline' } });
    await seedReference(api);
    await seedSignedProjects(api);
    await api.http
      .post('/api/v1/notifications')
      .set('Authorization', api.bearer(ADMIN))
      .send({ month: '2023-10' })
      .expect(201);
  });
  afterAll(() => api.close());

  it('asked again at the same head it folds nothing; once the head moves it folds the log again', async () => {
    const store = api.app.get<EventStore>(EventStore);
    const readAll = store.readAll.bind(store);
    let folds = 0;
    store.readAll = (options) => {
      if ((options?.after ?? 0) === 0) folds++;
      return readAll(options);
    };
    const verify = () =>
      api.http
        .get('/api/v1/notifications/2023-10/verification')
        .set('Authorization', api.bearer(AUDITOR))
        .expect(200);
    expect((await verify()).body.matches).toBe(true);
    expect(folds).toBe(1);
    expect((await verify()).body.matches).toBe(true);
    expect(folds).toBe(1);
    await api.http
      .post('/api/v1/zones')
      .set('Authorization', api.bearer(ADMIN))
      .send(zone('moved'))
      .expect(201);
    expect((await verify()).body.matches).toBe(true);
    expect(folds).toBe(2);
  });
});

describe('health tells the truth about the read-model subscription', () => {
  let api: RunningApi;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'plt-health-'));
    api = await startApi({ dataDir });
    await seedReference(api);
  });
  afterAll(async () => {
    await api.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** Polls /health until `done` holds, for at most `ms`; returns the last report. */
  interface HealthBody {
    status?: string;
    projections?: { subscription?: { state?: string; restarts?: number } };
  }

  async function healthUntil(done: (body: HealthBody) => boolean, ms: number) {
    const deadline = Date.now() + ms;
    for (;;) {
      const response = await api.http.get('/api/v1/health').set('Authorization', api.bearer(ADMIN));
      if (done(response.body) || Date.now() > deadline) return response;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  it('a malformed event row: reported within 5 s, writes still answer, recovered once the row is repaired', async () => {
    const healthy = await api.http.get('/api/v1/health').set('Authorization', api.bearer(ADMIN)).expect(200);
    expect(healthy.body).toMatchObject({
      status: 'ok',
      problems: [],
      store: 'embedded',
      storage: { writable: true },
      projections: { caughtUp: true, lag: 0, subscription: { state: 'live', restarts: 0 } },
    });
    expect(healthy.body.disk.freeBytes).toBeGreaterThan(0);
    await api.http.get('/api/v1/health/ready').expect(200);

    const db = new Database(join(dataDir, 'events.sqlite'));
    let badPosition: number;
    try {
      badPosition = Number(
        db
          .prepare(
            `INSERT INTO events (stream_id, revision, event_id, type, schema_version, data, metadata)
             VALUES ('zone-broken', 0, 'broken-event', 'ZoneRegistered', 1, '{"id": "broken', ?)`,
          )
          .run(JSON.stringify({ recordedAt: new Date().toISOString(), recordedBy: 'x' })).lastInsertRowid,
      );
    } finally {
      db.close();
    }
    const failed = await healthUntil((body) => body.projections?.subscription?.state === 'failed', 5_000);
    expect(failed.status).toBe(503);
    expect(Number(failed.headers['retry-after'])).toBeGreaterThan(0);
    expect(failed.body).toMatchObject({
      status: 'down',
      projections: { caughtUp: false, subscription: { state: 'failed' } },
    });
    expect(failed.body.problems).toContain('subscription-failed');
    expect(failed.body.projections.lag).toBeGreaterThan(0);
    expect(failed.body.projections.subscription.lastError).toMatch(/JSON/);
    await api.http.get('/api/v1/health/ready').expect(503);

    // a write is answered (it does not wait for a read model that cannot move)
    const admin = api.bearer(ADMIN);
    await api.http.post('/api/v1/zones').set('Authorization', admin).send(zone('during-outage')).expect(201);
    // it stays red while the row is malformed: restarts meet the same row
    const stillFailed = await healthUntil(
      (body) => (body.projections?.subscription?.restarts ?? 0) >= 2,
      5_000,
    );
    expect(stillFailed.body.projections.subscription.restarts).toBeGreaterThanOrEqual(2);
    expect(stillFailed.status).toBe(503);

    const repair = new Database(join(dataDir, 'events.sqlite'));
    try {
      repair
        .prepare('UPDATE events SET data = ? WHERE position = ?')
        .run(JSON.stringify(zone('broken')), badPosition);
    } finally {
      repair.close();
    }
    const recovered = await healthUntil((body) => body.status === 'ok', 10_000);
    expect(recovered.status).toBe(200);
    expect(recovered.body.projections).toMatchObject({
      caughtUp: true,
      lag: 0,
      subscription: { state: 'live' },
    });
    const zones = await api.http.get('/api/v1/zones').set('Authorization', admin).expect(200);
    const ids = (zones.body as { id: string }[]).map((z) => z.id);
    expect(ids).toEqual(expect.arrayContaining(['broken', 'during-outage']));
  });
});

/** A small tmpfs (root may mount one here); the suite is skipped with the reason when it cannot. */
function mountTmpfs(): { dir?: string; reason?: string } {
  const dir = mkdtempSync(join(tmpdir(), 'plt-full-'));
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', dir], { encoding: 'utf8' });
  if (mounted.status === 0) return { dir };
  rmSync(dir, { recursive: true, force: true });
  return { reason: (mounted.stderr || mounted.error?.message || `exit ${mounted.status}`).trim() };
}

const tmpfs = mountTmpfs();
if (!tmpfs.dir)
  console.warn(`disk-full test skipped: mount -t tmpfs is not permitted here (${tmpfs.reason})`);
const describeWithTmpfs = tmpfs.dir ? describe : describe.skip;

describeWithTmpfs('a full disk', () => {
  const dataDir = tmpfs.dir as string;
  afterAll(() => {
    spawnSync('umount', [dataDir]);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('writes get 503 storage-full with Retry-After, health says down, and nothing acknowledged is lost', async () => {
    let api = await startApi({ dataDir, env: { HEALTH_MIN_FREE_DISK_MB: '1' } });
    const admin = api.bearer(ADMIN);
    const acknowledged: string[] = [];
    let refused: Awaited<ReturnType<typeof api.http.post>> | undefined;
    const filler = join(dataDir, 'filler');
    try {
      // Leave the store a little room, then write until it has none.
      const free = (await api.http.get('/api/v1/health').set('Authorization', api.bearer(ADMIN)).expect(200))
        .body.disk.freeBytes as number;
      writeFileSync(filler, Buffer.alloc(Math.max(0, free - 96 * 1024)));
      for (let i = 0; i < 2_000 && !refused; i++) {
        const id = `full-${i}`;
        const response = await api.http
          .post('/api/v1/zones')
          .set('Authorization', admin)
          .send({ ...zone(id), name: `开发区 ${id} ${'填'.repeat(80)}` });
        if (response.status === 201) acknowledged.push(id);
        else refused = response;
      }
      expect(refused).toBeDefined();
      expectProblem(refused!, 503, { code: 'storage-full' });
      expect(Number(refused!.headers['retry-after'])).toBeGreaterThan(0);
      expect(acknowledged.length).toBeGreaterThan(0);
      const health = await api.http.get('/api/v1/health').set('Authorization', api.bearer(ADMIN));
      expect(health.status).toBe(503);
      expect(health.body.problems).toEqual(expect.arrayContaining(['store-not-writable', 'disk-low']));
      expect(health.body.storage).toMatchObject({
        writable: false,
        lastWriteFailure: { code: 'SQLITE_FULL' },
      });
    } finally {
      await api.close();
    }
    rmSync(filler, { force: true });
    api = await startApi({ dataDir, env: { HEALTH_MIN_FREE_DISK_MB: '0' } });
    try {
      const zones = await api.http.get('/api/v1/zones').set('Authorization', admin).expect(200);
      const stored = new Set((zones.body as { id: string }[]).map((z) => z.id));
      expect(acknowledged.filter((id) => !stored.has(id))).toEqual([]);
      await api.http.post('/api/v1/zones').set('Authorization', admin).send(zone('after-full')).expect(201);
      expect(
        (await api.http.get('/api/v1/health').set('Authorization', api.bearer(ADMIN)).expect(200)).body
          .storage.writable,
      ).toBe(true);
    } finally {
      await api.close();
    }
  });
});
