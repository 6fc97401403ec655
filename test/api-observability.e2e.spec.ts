import { Writable } from 'node:stream';
import { AppendTooLargeError, EventStore, StoreUnavailableError } from '@app/event-store';
import {
  ADMIN,
  RunningApi,
  expectProblem,
  seedReference,
  seedSignedProjects,
  startApi,
} from './support/api-harness';

/** Collects the API's log lines as parsed JSON objects (each write must be one whole line). */
class LogLines extends Writable {
  readonly raw: string[] = [];

  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.raw.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    done();
  }

  get lines(): Record<string, unknown>[] {
    return this.raw.map((line) => JSON.parse(line) as Record<string, unknown>);
  }

  withRequestId(requestId: string): Record<string, unknown>[] {
    return this.lines.filter((line) => line.requestId === requestId);
  }
}

const SIGN = {
  projectId: 'p-log',
  name: '某某项目',
  enterprise: '某某有限公司',
  zoneId: 'jinzhong-kfq',
  totalInvestmentWan: 120_000,
  industrial: true,
  signedOn: '2023-02-22',
};

/** Parses the Prometheus text format into `name{labels}` → value. */
function samples(text: string): Map<string, number> {
  const result = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const space = line.lastIndexOf(' ');
    result.set(line.slice(0, space), Number(line.slice(space + 1)));
  }
  return result;
}

describe('logs', () => {
  let api: RunningApi;
  const logs = new LogLines();

  beforeAll(async () => {
    api = await startApi({ env: { LOG_LEVEL: 'info' }, logDestination: logs });
    await seedReference(api);
  });

  afterAll(async () => {
    await api.close();
  });

  it('writes one JSON line per request and one per write, both with the request id', async () => {
    // when
    const response = await api.http
      .post('/api/v1/projects')
      .set('Authorization', api.bearer({ role: 'admin', sub: 'officer-42' }))
      .set('X-Correlation-Id', 'batch-7')
      .send(SIGN)
      .expect(201);
    // then
    const requestId = response.headers['x-request-id'];
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    const lines = logs.withRequestId(requestId);
    const written = lines.filter((line) => line.msg === 'events appended');
    const completed = lines.filter((line) => line.msg === 'request completed');
    expect(written).toHaveLength(1);
    expect(written[0]).toMatchObject({
      level: 'info',
      streamId: 'project-p-log',
      revision: 0,
      eventTypes: ['ProjectSigned'],
      correlationId: 'batch-7',
      caller: 'officer-42',
    });
    expect(completed).toHaveLength(1);
    expect(completed[0]).toMatchObject({
      level: 'info',
      method: 'POST',
      route: '/api/v1/projects',
      status: 201,
      correlationId: 'batch-7',
      caller: 'officer-42',
    });
    expect(typeof completed[0].durationMs).toBe('number');
    for (const line of lines) expect(new Date(line.time as string).toISOString()).toBe(line.time);
  });

  it('keeps personal data and credentials out: no names, enterprises, tokens or headers', async () => {
    // given
    const token = api.token(ADMIN);
    // when
    await api.http
      .post('/api/v1/projects')
      .set('Authorization', `Bearer ${token}`)
      .send({ ...SIGN, projectId: 'p-private' })
      .expect(201);
    // then
    const everything = logs.raw.join('\n');
    expect(everything).toContain('project-p-private');
    expect(everything).not.toContain(token);
    expect(everything).not.toContain(SIGN.name);
    expect(everything).not.toContain(SIGN.enterprise);
    expect(everything).not.toMatch(/authorization/i);
  });

  it('uses a sane client X-Request-Id and logs a notification issue on its own line', async () => {
    // given
    await seedSignedProjects(api);
    // when
    await api.http
      .post('/api/v1/notifications')
      .set('Authorization', api.bearer(ADMIN))
      .set('X-Request-Id', 'issue-2023-10')
      .send({ month: '2023-10' })
      .expect(201);
    // then
    const issued = logs.withRequestId('issue-2023-10').filter((line) => line.msg === 'notification issued');
    expect(issued).toHaveLength(1);
    expect(issued[0]).toMatchObject({ month: '2023-10', issue: 1, caller: ADMIN.sub });
    expect(issued[0].contentHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('logs nothing below LOG_LEVEL', async () => {
    // given
    const quiet = new LogLines();
    const warnOnly = await startApi({ env: { LOG_LEVEL: 'warn' }, logDestination: quiet });
    try {
      // when
      await warnOnly.http.get('/api/v1/health').expect(200);
      await warnOnly.http.get('/api/v1/projects/nope').expect(401);
    } finally {
      await warnOnly.close();
    }
    // then
    expect(quiet.lines.length).toBeGreaterThan(0);
    expect(quiet.lines.map((line) => line.level)).not.toContain('info');
    expect(quiet.lines.filter((line) => line.status === 401)).toHaveLength(1);
  });
});

describe('GET /metrics', () => {
  let api: RunningApi;

  beforeAll(async () => {
    api = await startApi();
    await seedReference(api);
  });

  afterAll(async () => {
    await api.close();
  });

  const scrape = async () => {
    const response = await api.http.get('/metrics').expect(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain;.*version=0\.0\.4/);
    return samples(response.text);
  };

  it('exposes the named series, and they move when writes flow', async () => {
    // given
    const before = await scrape();
    // when
    for (const projectId of ['m1', 'm2', 'm3']) {
      await api.http
        .post('/api/v1/projects')
        .set('Authorization', api.bearer(ADMIN))
        .send({ ...SIGN, projectId })
        .expect(201);
    }
    const after = await scrape();
    // then
    const moved = (name: string) => (after.get(name) ?? 0) - (before.get(name) ?? 0);
    const route = 'method="POST",route="/api/v1/projects",status="201"';
    expect(moved(`http_request_duration_seconds_count{${route}}`)).toBe(3);
    expect(after.has(`http_request_duration_seconds_bucket{le="0.1",${route}}`)).toBe(true);
    expect(moved('event_store_append_duration_seconds_count{outcome="written"}')).toBe(3);
    expect(moved('event_store_group_commit_appends_count')).toBeGreaterThanOrEqual(1);
    expect(moved('event_store_group_commit_appends_sum')).toBe(3);
    expect(moved('event_store_appended_events_total{type="ProjectSigned"}')).toBe(3);
    expect(moved('event_store_events{type="ProjectSigned"}')).toBe(3);
    expect(after.get('event_store_events{type="ZoneRegistered"}')).toBe(3);
    expect(moved('event_store_head_position')).toBe(3);
    expect(after.get('projection_position')).toBe(after.get('event_store_head_position'));
    expect(after.get('projection_lag_positions')).toBe(0);
    expect(after.get('projection_caught_up')).toBe(1);
    expect(after.get('event_store_size_bytes')).toBeGreaterThan(0);
    // a fresh store's write-ahead log grows with every commit (until its first checkpoint)
    expect(moved('event_store_size_bytes')).toBeGreaterThan(0);
    expect(after.has('process_cpu_seconds_total')).toBe(true);
  });

  it('counts requests that match no route under one label, not by path', async () => {
    // given
    const before = await scrape();
    const unmatched = 'http_request_duration_seconds_count{method="GET",route="unmatched",status="404"}';
    // when
    await api.http.get('/api/v1/no-such-route-1').expect(404);
    await api.http.get('/api/v1/no-such-route-2').expect(404);
    const after = await scrape();
    // then
    expect((after.get(unmatched) ?? 0) - (before.get(unmatched) ?? 0)).toBe(2);
    expect([...after.keys()].some((name) => name.includes('no-such-route'))).toBe(false);
  });

  it('reports the relay from its status file when a relay runs beside the embedded store', async () => {
    // given: what the relay writes every few seconds (apps/relay)
    const { writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { RELAY_STATUS_FILE } = await import('@app/messaging');
    writeFileSync(
      join(api.config.dataDir, RELAY_STATUS_FILE),
      JSON.stringify({
        at: new Date().toISOString(),
        leader: true,
        position: 4,
        headPosition: 6,
        lag: 2,
        published: 4,
        deadLettered: 1,
        state: 'failing',
        health: { status: 'stuck', reasons: ['failing for 40 s (5 runs): broker down'] },
      }),
    );
    // when
    const after = await scrape();
    // then
    expect(after.get('relay_position{role="leader"}')).toBe(4);
    expect(after.get('relay_lag_positions{role="leader"}')).toBe(2);
    expect(after.get('relay_published_events{role="leader"}')).toBe(4);
    expect(after.get('relay_dead_lettered_events{role="leader"}')).toBe(1);
    expect(after.get('relay_stuck{role="leader"}')).toBe(1);
    expect(after.get('relay_healthy{role="leader"}')).toBe(0);
    expect(after.get('relay_status_age_seconds{role="leader"}')).toBeGreaterThanOrEqual(0);
    const health = (await api.http.get('/api/v1/health').set('Authorization', api.bearer(ADMIN)).expect(200))
      .body.relay;
    expect(health).toMatchObject({ deadLettered: 1, health: { status: 'stuck' } });
  });

  it('needs the METRICS_TOKEN as a bearer token when one is configured', async () => {
    // given
    const guarded = await startApi({ env: { METRICS_TOKEN: 'scrape-secret' } });
    try {
      // when / then
      const refused = await guarded.http.get('/metrics').expect(401);
      expectProblem(refused, 401, { code: 'unauthorized' });
      expect(refused.body.detail).toMatch(/^读取 \/metrics 需要 .* \/ GET \/metrics needs /);
      await guarded.http.get('/metrics').set('Authorization', 'Bearer wrong').expect(401);
      await guarded.http.get('/metrics').set('Authorization', 'Bearer scrape-secret').expect(200);
    } finally {
      await guarded.close();
    }
  });
});

describe('a write while the store cannot be reached', () => {
  it('is a 503 problem with Retry-After, not a 500', async () => {
    // given a store that has lost its server, as the EventStoreDB adapter reports it
    const api = await startApi();
    try {
      await seedReference(api);
      const store = api.app.get<EventStore>(EventStore);
      store.append = () => Promise.reject(new StoreUnavailableError(new Error('connection lost')));
      // when
      const response = await api.http
        .post('/api/v1/projects')
        .set('Authorization', api.bearer(ADMIN))
        .send({ ...SIGN, projectId: 'p-offline' });
      // then
      expectProblem(response, 503, { code: 'store-unavailable' });
      expect(response.headers['retry-after']).toBe('1');
    } finally {
      await api.close();
    }
  });
});

describe('a write above the store limit', () => {
  it('is a 413 problem naming the limit, not a 500', async () => {
    // given a store that refuses the append as the EventStoreDB adapter does above its limit
    const api = await startApi();
    try {
      await seedReference(api);
      const store = api.app.get<EventStore>(EventStore);
      store.append = (streamId) => Promise.reject(new AppendTooLargeError(streamId, 2_985_000, 1_048_576));
      // when
      const response = await api.http
        .post('/api/v1/projects')
        .set('Authorization', api.bearer(ADMIN))
        .send({ ...SIGN, projectId: 'p-big' });
      // then
      expectProblem(response, 413, { code: 'append-too-large' });
      expect(response.body.detail).toContain('1048576');
    } finally {
      await api.close();
    }
  });
});
