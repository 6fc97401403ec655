import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ADMIN,
  AUDITOR,
  ManualClock,
  RunningApi,
  seedReference,
  seedSignedProjects,
  startApi,
} from './support/api-harness';

/** Rates, lead times and stalled lists over HTTP, across restarts and rebuilds. */
describe('reports over HTTP', () => {
  let dataDir: string;
  let api: RunningApi;
  const clock = new ManualClock(new Date('2023-11-01T02:00:00Z'));

  const post = (path: string, body: object) =>
    api.http.post(`/api/v1${path}`).set('Authorization', api.bearer(ADMIN)).send(body).expect(201);
  const get = (path: string) =>
    api.http.get(`/api/v1${path}`).set('Authorization', api.bearer(AUDITOR)).expect(200);

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'plt-rates-'));
    api = await startApi({ dataDir, clock });
    await seedReference(api);
    await seedSignedProjects(api);
    await post('/projects/a/milestones', { milestone: 'construction-started', occurredOn: '2023-06-01' });
    clock.set('2023-11-20T02:00:00Z');
    // a late report: it happened in October but was recorded on 20 November
    await post('/projects/c/milestones', { milestone: 'construction-started', occurredOn: '2023-10-15' });
  });

  afterAll(async () => {
    await api.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('GET /rates gives both bases with numerators, denominators and the reported basis', async () => {
    const response = await get('/rates?asOf=2023-10-31');
    expect(response.body.asOf).toBe('2023-10-31');
    expect(response.body.rows).toHaveLength(1);
    expect(response.body.rows[0]).toMatchObject({
      scope: 'province',
      id: 'province',
      start: {
        cohortCount: 3,
        cohortWan: 1_000_000,
        count: 2,
        wan: 900_000,
        byCount: 2 / 3,
        byInvestment: 0.9,
        reported: 'investment',
      },
      statisticsEntry: { cohortCount: 0, byCount: null, reported: 'count' },
    });
  });

  it('as known at a time before the late report, October looked different', async () => {
    const response = await get('/rates?asOf=2023-10-31&knownAt=2023-11-05T00:00:00Z&scope=city');
    expect(response.body.knownAt).toBe('2023-11-05T00:00:00.000Z');
    const byCity = Object.fromEntries(
      response.body.rows.map((row: { id: string; start: { count: number } }) => [row.id, row.start.count]),
    );
    expect(byCity).toEqual({ jinzhong: 1, linfen: 0 });
  });

  it('filters and cohort selection', async () => {
    const large = await get('/rates?asOf=2023-10-31&minTotalInvestmentWan=200000');
    expect(large.body.rows[0].start.cohortCount).toBe(2);
    const otherRound = await get('/rates?asOf=2023-10-31&roundId=2023-r2');
    expect(otherRound.body.rows[0].start.cohortCount).toBe(0);
    const bad = await api.http
      .get('/api/v1/rates?roundId=2023-r1&since=2023-01-01')
      .set('Authorization', api.bearer(AUDITOR))
      .expect(400);
    expect(bad.body.errors).toEqual([
      { field: 'since', message: '不能与 roundId 同时使用 / cannot be combined with roundId' },
    ]);
    const invalid = await api.http
      .get('/api/v1/rates?scope=planet')
      .set('Authorization', api.bearer(AUDITOR))
      .expect(400);
    expect(invalid.body.errors[0].field).toBe('scope');
  });

  it('lead times and stalled projects', async () => {
    const lead = await get('/lead-times?asOf=2023-10-31&scope=zone&zoneId=jinzhong-kfq');
    expect(lead.body.rows[0].signToStart).toEqual({ count: 1, median: 99, p90: 99 });
    const stalled = await get('/stalled-projects?asOf=2023-10-31');
    expect(stalled.body.signedNotStarted.map((p: { projectId: string }) => p.projectId)).toEqual(['b']);
    expect(stalled.body.signedNotStarted[0].daysStalled).toBe(251);
    const list = await get('/projects?asOf=2023-10-31&stage=construction-started');
    expect(list.body.items.map((p: { projectId: string }) => p.projectId)).toEqual(['a', 'c']);
  });

  it('a restart on the same DATA_DIR and a rebuild give identical answers', async () => {
    const queries = [
      '/rates?asOf=2023-10-31&scope=zone',
      '/rates?asOf=2023-10-31&knownAt=2023-11-05T00:00:00Z&scope=city',
    ];
    const before = await Promise.all(queries.map(async (q) => (await get(q)).body));
    const rebuilt = await api.http
      .post('/api/v1/projections/rebuild')
      .set('Authorization', api.bearer(ADMIN))
      .expect(201);
    expect(rebuilt.body.events).toBeGreaterThan(10);
    expect(await Promise.all(queries.map(async (q) => (await get(q)).body))).toEqual(before);
    await api.close();
    api = await startApi({ dataDir, clock });
    expect(await Promise.all(queries.map(async (q) => (await get(q)).body))).toEqual(before);
  });

  it('only admins rebuild', async () => {
    await api.http.post('/api/v1/projections/rebuild').set('Authorization', api.bearer(AUDITOR)).expect(403);
  });
});

/**
 * Every list view counts the rates' cohort (issue 10): by default the programme's (every round
 * held by D), with `cohort=year` for the rounds of D's year; zone corrections are bitemporal.
 */
describe('list views over the same cohort as /rates', () => {
  let api: RunningApi;
  const clock = new ManualClock(new Date('2023-03-01T02:00:00Z'));
  const post = (path: string, body: object) =>
    api.http.post(`/api/v1${path}`).set('Authorization', api.bearer(ADMIN)).send(body).expect(201);
  const get = (path: string) =>
    api.http.get(`/api/v1${path}`).set('Authorization', api.bearer(AUDITOR)).expect(200);
  const ids = (items: { projectId: string }[]) => items.map((item) => item.projectId).sort();
  const sign = (projectId: string, zoneId: string, signedOn: string, plannedStartOn: string) =>
    post('/projects', {
      projectId,
      name: `项目${projectId}`,
      enterprise: `企业${projectId}`,
      zoneId,
      totalInvestmentWan: 50_000,
      industrial: true,
      signedOn,
      plannedStartOn,
      plannedProductionOn: '2024-12-31',
    });
  let beforeCorrection: string;

  beforeAll(async () => {
    api = await startApi({ clock });
    await seedReference(api);
    await post('/rounds', { id: '2022-r4', heldOn: '2022-11-20' });
    // given: old listed in a 2022 round, new in a 2023 one, loose signed but listed in none;
    // none of them started, all planned to start long before 31 October 2023
    await sign('old', 'jinzhong-kfq', '2022-11-20', '2023-01-10');
    await post('/projects/old/listings', { roundId: '2022-r4', batch: 'signing' });
    await sign('new', 'jiexiu-jkq', '2023-02-22', '2023-03-10');
    await post('/projects/new/listings', { roundId: '2023-r1', batch: 'signing' });
    await sign('loose', 'jinzhong-kfq', '2023-02-25', '2023-03-10');
    beforeCorrection = clock.now().toISOString();
    clock.advance(60_000);
    // and then: 介休 was registered under the wrong city
    await post('/zones/jiexiu-jkq/correction', { cityId: 'linfen', reason: '所属地市登记有误' });
  });

  afterAll(() => api.close());

  it('stalled lists, overdue lists and lights default to the programme cohort, as /rates does', async () => {
    // when
    const rates = await get('/rates?asOf=2023-10-31');
    const stalled = await get('/stalled-projects?asOf=2023-10-31');
    const plan = await get('/plan-progress?asOf=2023-10-31');
    const lights = await get('/project-lights?asOf=2023-10-31');
    // then: old and new are in the cohort; loose, listed in no round, is in none of them
    expect(rates.body.rows[0].start.cohortCount).toBe(2);
    expect(ids(stalled.body.signedNotStarted)).toEqual(['new', 'old']);
    expect(ids(plan.body.overdue.start)).toEqual(['new', 'old']);
    expect(ids(lights.body.projects)).toEqual(['new', 'old']);
    expect((await get('/stalled-projects?asOf=2023-10-31&cohort=programme')).body).toEqual(stalled.body);
  });

  it("cohort=year counts the rounds of D's year in every view alike", async () => {
    // when
    const rates = await get('/rates?asOf=2023-10-31&cohort=year');
    const stalled = await get('/stalled-projects?asOf=2023-10-31&cohort=year');
    const plan = await get('/plan-progress?asOf=2023-10-31&cohort=year');
    const lights = await get('/project-lights?asOf=2023-10-31&cohort=year');
    // then
    expect(rates.body.rows[0].start.cohortCount).toBe(1);
    expect(ids(stalled.body.signedNotStarted)).toEqual(['new']);
    expect(ids(plan.body.overdue.start)).toEqual(['new']);
    expect(ids(lights.body.projects)).toEqual(['new']);
    expect((await get('/rates?asOf=2022-12-31&cohort=year')).body.rows[0].start.cohortCount).toBe(1);
  });

  it('refuses cohort together with roundId or since, naming the field', async () => {
    const response = await api.http
      .get('/api/v1/stalled-projects?cohort=year&roundId=2023-r1')
      .set('Authorization', api.bearer(AUDITOR))
      .expect(400);
    expect(response.body.errors).toEqual([
      expect.objectContaining({ field: 'cohort', message: expect.stringContaining('cannot be combined') }),
    ]);
  });

  it('rates by city as known before a city correction count the zone in its old city, after it in the new', async () => {
    // when
    const byCity = async (knownAt?: string) =>
      Object.fromEntries(
        (await get(`/rates?asOf=2023-10-31&scope=city${knownAt ? `&knownAt=${knownAt}` : ''}`)).body.rows.map(
          (row: { id: string; start: { cohortCount: number } }) => [row.id, row.start.cohortCount],
        ),
      );
    // then
    expect(await byCity(beforeCorrection)).toEqual({ jinzhong: 2, linfen: 0 });
    expect(await byCity()).toEqual({ jinzhong: 1, linfen: 1 });
    const stalledBefore = await get(`/stalled-projects?asOf=2023-10-31&knownAt=${beforeCorrection}`);
    const newBefore = stalledBefore.body.signedNotStarted.find(
      (p: { projectId: string }) => p.projectId === 'new',
    );
    expect(newBefore.cityId).toBe('jinzhong');
    const zonesBefore = (await get(`/zones?knownAt=${beforeCorrection}`)).body as {
      id: string;
      cityId: string;
    }[];
    expect(zonesBefore.find((zone) => zone.id === 'jiexiu-jkq')?.cityId).toBe('jinzhong');
    const zonesNow = (await get('/zones')).body as { id: string; cityId: string }[];
    expect(zonesNow.find((zone) => zone.id === 'jiexiu-jkq')?.cityId).toBe('linfen');
  });
});
