import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

/** Plans, investment, obstacles and lights through the API (issue 10). */
describe('plan against actual, investment completion, obstacles and lights', () => {
  let dataDir: string;
  let api: RunningApi;
  const clock = new ManualClock(new Date('2023-10-20T02:00:00Z'));
  const post = (path: string, body: object) =>
    api.http.post(`/api/v1${path}`).set('Authorization', api.bearer(ADMIN)).send(body);
  const get = (path: string) => api.http.get(`/api/v1${path}`).set('Authorization', api.bearer(AUDITOR));

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'plt-figures-'));
    api = await startApi({ dataDir, clock });
    await seedReference(api);
    await seedSignedProjects(api);
  });

  afterAll(async () => {
    await api.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('planned dates: set after signing, planned production before planned start is a 400, a change needs a reason', async () => {
    expectProblem(
      await post('/projects/a/planned-dates', {
        plannedStartOn: '2023-06-01',
        plannedProductionOn: '2023-05-01',
      }),
      400,
      { code: 'planned-production-before-start' },
    );
    expect((await post('/projects/a/planned-dates', { plannedStartOn: '2023-06-01' })).status).toBe(201);
    expectProblem(await post('/projects/a/planned-dates', { plannedStartOn: '2023-07-01' }), 400, {
      code: 'reason-required',
    });
    const changed = await post('/projects/a/planned-dates', {
      plannedProductionOn: '2024-06-30',
      reason: '调整',
    });
    expect(changed.status).toBe(201);
    expectProblem(await post('/projects/a/planned-dates', { plannedStartOn: 'June' }), 400, {
      field: 'plannedStartOn',
    });
  });

  it('completed investment: negative is a 400; a decrease without a reason is a 409 naming the month', async () => {
    expectProblem(
      await post('/projects/a/investment-progress', { month: '2023-09', completedInvestmentWan: -5 }),
      400,
      {
        field: 'completedInvestmentWan',
      },
    );
    expect(
      (await post('/projects/a/investment-progress', { month: '2023-09', completedInvestmentWan: 5_000 }))
        .status,
    ).toBe(201);
    const decrease = await post('/projects/a/investment-progress', {
      month: '2023-09',
      completedInvestmentWan: 4_000,
    });
    expectProblem(decrease, 409, { code: 'progress-not-cumulative' });
    expect(decrease.body.detail).toContain('reported for 2023-09');
    const below = await post('/projects/a/investment-progress', {
      month: '2023-10',
      completedInvestmentWan: 3_000,
    });
    expectProblem(below, 409, { code: 'progress-not-cumulative' });
    expect(below.body.detail).toContain('2023-09');
    const corrected = await post('/projects/a/investment-progress', {
      month: '2023-09',
      completedInvestmentWan: 4_000,
      reason: '统计口径调整',
    });
    expect(corrected.status).toBe(201);
    expect(
      (await post('/projects/a/annual-investment-plans', { year: 2023, plannedInvestmentWan: 10_000 }))
        .status,
    ).toBe(201);
    expectProblem(
      await post('/projects/a/annual-investment-plans', { year: 2023, plannedInvestmentWan: -1 }),
      400,
    );
  });

  it('obstacles: an unknown category is a 400; resolved twice is a 409', async () => {
    const obstacle = {
      obstacleId: 'o1',
      category: 'land',
      description: '用地指标未落实',
      responsibleUnit: '自然资源局',
      raisedOn: '2023-07-01',
    };
    expectProblem(await post('/projects/b/obstacles', { ...obstacle, category: 'weather' }), 400, {
      field: 'category',
    });
    expect((await post('/projects/b/obstacles', obstacle)).status).toBe(201);
    expect(
      (await post('/projects/b/obstacles/o1/updates', { measures: '专班协调', reason: '协调进展' })).status,
    ).toBe(201);
    expect(
      (await post('/projects/b/obstacles/o1/resolution', { resolvedOn: '2023-10-10', resolution: '已供地' }))
        .status,
    ).toBe(201);
    expectProblem(
      await post('/projects/b/obstacles/o1/resolution', { resolvedOn: '2023-10-15', resolution: '已供地' }),
      409,
      { code: 'obstacle-resolved' },
    );
    expectProblem(
      await post('/projects/b/obstacles/o9/resolution', { resolvedOn: '2023-10-15', resolution: 'x' }),
      404,
      {
        code: 'obstacle-not-found',
      },
    );
    // c: an open obstacle that explains its late start
    expect((await post('/projects/c/obstacles', { ...obstacle, category: 'permits' })).status).toBe(201);
    expect((await post('/projects/c/planned-dates', { plannedStartOn: '2023-05-01' })).status).toBe(201);
  });

  it('reads the figures: overdue with days and obstacles, investment completion, lights naming their rules', async () => {
    const plan = (await get('/plan-progress?asOf=2023-10-20').expect(200)).body;
    expect(plan.rows[0].start).toMatchObject({ due: 2, reached: 0, rate: 0 });
    expect(
      plan.overdue.start.map((p: { projectId: string; daysOverdue: number }) => [p.projectId, p.daysOverdue]),
    ).toEqual([
      ['c', 172],
      ['a', 141],
    ]);
    expect(plan.overdue.start[0].obstacles).toMatchObject([{ obstacleId: 'o1', category: 'permits' }]);
    const investment = (await get('/investment-completion?asOf=2023-10-20').expect(200)).body;
    expect(investment.rows[0].investment).toMatchObject({
      plannedWan: 10_000,
      completedWan: 4_000,
      rate: 0.4,
    });
    const lights = (await get('/project-lights?asOf=2023-10-20').expect(200)).body.projects;
    const startOf = (id: string) =>
      lights
        .find((p: { projectId: string }) => p.projectId === id)
        .lights.find((l: { kind: string }) => l.kind === 'start');
    expect(startOf('a')).toMatchObject({ colour: 'red', rule: 'start.overdue-3-months', justified: false });
    expect(startOf('c')).toMatchObject({ colour: 'red', justified: true, justifiedBy: ['o1'] });
    const shares = (await get('/large-project-shares?asOf=2023-10-20').expect(200)).body;
    expect(shares.rows[0].signing).toMatchObject({ count: 3, largeCount: 3 });
  });

  it('documents the new endpoints in OpenAPI', async () => {
    const paths = Object.keys((await api.http.get('/api/docs-json').expect(200)).body.paths);
    for (const path of [
      '/api/v1/projects/{projectId}/planned-dates',
      '/api/v1/projects/{projectId}/annual-investment-plans',
      '/api/v1/projects/{projectId}/obstacles',
      '/api/v1/projects/{projectId}/obstacles/{obstacleId}/updates',
      '/api/v1/projects/{projectId}/obstacles/{obstacleId}/resolution',
      '/api/v1/plan-progress',
      '/api/v1/investment-completion',
      '/api/v1/project-lights',
      '/api/v1/large-project-shares',
    ])
      expect(paths).toContain(path);
  });
});
