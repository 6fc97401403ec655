import {
  ADMIN,
  ManualClock,
  RunningApi,
  addStoreLatency,
  expectProblem,
  headPosition,
  historyTypes,
  seedReference,
  startApi,
} from './support/api-harness';

/**
 * Many conflicting writes to one project at once, over real HTTP against one API process:
 * exactly one wins, every other request is told why (409 or 412), and the stream holds one
 * fact, never two.
 */
const N = 50;
const clock = new ManualClock(new Date('2023-11-01T02:00:00Z'));
let api: RunningApi;
let counter = 0;

function post(path: string, body: object, headers: Record<string, string> = {}) {
  let req = api.http.post(`/api/v1${path}`).set('Authorization', api.bearer(ADMIN));
  for (const [name, value] of Object.entries(headers)) req = req.set(name, value);
  return req.send(body);
}

async function freshProject(): Promise<string> {
  const projectId = `c-${++counter}`;
  await post('/projects', {
    projectId,
    name: '年产10万吨新材料项目',
    enterprise: '山西某新材料有限公司',
    zoneId: 'jinzhong-kfq',
    totalInvestmentWan: 470300,
    industrial: true,
    signedOn: '2023-02-22',
  }).expect(201);
  return projectId;
}

/** 2023-03-01 plus `days`. */
function dayAfterMarch1(days: number): string {
  return new Date(Date.UTC(2023, 2, 1 + days)).toISOString().slice(0, 10);
}

async function project(projectId: string) {
  return (
    await api.http.get(`/api/v1/projects/${projectId}`).set('Authorization', api.bearer(ADMIN)).expect(200)
  ).body;
}

/**
 * Run twice: against the embedded store as it is (it answers synchronously, so requests
 * interleave only between HTTP round trips) and with I/O latency added to the store, so that
 * all N requests read the stream before any of them appends (as with EventStoreDB or a
 * second process on the same file): the optimistic-concurrency and retry paths then run.
 */
describe.each([
  ['the embedded store', false],
  ['a store with I/O latency', true],
])(`${N} concurrent writes to one project, with %s`, (_label, latency) => {
  beforeAll(async () => {
    api = await startApi({ clock });
    await seedReference(api);
    if (latency) addStoreLatency(api);
  });

  afterAll(() => api.close());

  it('different construction-start dates: one is recorded, every other request gets 409', async () => {
    const id = await freshProject();
    const head = await headPosition(api);
    const dates = Array.from({ length: N }, (_, i) => dayAfterMarch1(i));
    const responses = await Promise.all(
      dates.map((occurredOn) =>
        post(`/projects/${id}/milestones`, { milestone: 'construction-started', occurredOn }),
      ),
    );

    const winners = responses.flatMap((response, i) => (response.status === 201 ? [i] : []));
    expect(winners).toHaveLength(1);
    const winner = winners[0];
    expect(responses[winner].body).toEqual({ projectId: id, revision: 1 });
    for (const [i, response] of responses.entries()) {
      if (i === winner) continue;
      expectProblem(response, 409);
      expect(['milestone-already-recorded', 'write-contention']).toContain(response.body.code);
    }

    expect(await historyTypes(api, id)).toEqual(['ProjectSigned', 'ConstructionStarted']);
    expect(await headPosition(api)).toBe(head + 1);
    const view = await project(id);
    expect(view.milestones).toEqual({ 'construction-started': dates[winner] });
    expect(view.revision).toBe(1);
  });

  it('writes that all carry If-Match of the same revision: one wins, every other gets 412', async () => {
    const id = await freshProject();
    const head = await headPosition(api);
    const responses = await Promise.all(
      Array.from({ length: N }, (_, i) =>
        post(
          `/projects/${id}/amendments`,
          { reason: `修正 ${i}`, totalInvestmentWan: 500000 + i },
          { 'If-Match': '"0"' },
        ),
      ),
    );

    const winners = responses.flatMap((response, i) => (response.status === 201 ? [i] : []));
    expect(winners).toHaveLength(1);
    const winner = winners[0];
    expect(responses[winner].body).toEqual({ projectId: id, revision: 1 });
    expect(responses[winner].headers.etag).toBe('"1"');
    for (const [i, response] of responses.entries())
      if (i !== winner) expectProblem(response, 412, { code: 'revision-mismatch' });

    expect(await historyTypes(api, id)).toEqual(['ProjectSigned', 'ProjectAmended']);
    expect(await headPosition(api)).toBe(head + 1);
    const view = await project(id);
    expect(view.totalInvestmentWan).toBe(500000 + winner);
    expect(view.revision).toBe(1);
  });

  it('If-Match on different milestone writes: one wins, 412 for the rest, the winner’s fact alone stands', async () => {
    const id = await freshProject();
    const responses = await Promise.all(
      Array.from({ length: N }, (_, i) =>
        post(
          `/projects/${id}/milestones`,
          { milestone: 'construction-started', occurredOn: dayAfterMarch1(i) },
          { 'If-Match': '"0"' },
        ),
      ),
    );
    expect(responses.filter((response) => response.status === 201)).toHaveLength(1);
    for (const response of responses.filter((r) => r.status !== 201)) expectProblem(response, 412);
    expect(await historyTypes(api, id)).toEqual(['ProjectSigned', 'ConstructionStarted']);
  });

  it('identical requests without a key: one 201, the repeats 200, one event', async () => {
    const id = await freshProject();
    const head = await headPosition(api);
    const responses = await Promise.all(
      Array.from({ length: N }, () =>
        post(`/projects/${id}/milestones`, { milestone: 'construction-started', occurredOn: '2023-05-01' }),
      ),
    );
    const statuses = responses.map((response) => response.status).sort();
    expect(statuses).toEqual([...Array(N - 1).fill(200), 201]);
    for (const response of responses) expect(response.body).toEqual({ projectId: id, revision: 1 });
    expect(await historyTypes(api, id)).toEqual(['ProjectSigned', 'ConstructionStarted']);
    expect(await headPosition(api)).toBe(head + 1);
  });

  it('identical keyed retries: every one gets the same 201 and body, one event', async () => {
    const id = await freshProject();
    const head = await headPosition(api);
    const responses = await Promise.all(
      Array.from({ length: N }, () =>
        post(
          `/projects/${id}/milestones`,
          { milestone: 'construction-started', occurredOn: '2023-05-01' },
          { 'Idempotency-Key': `retry-${id}` },
        ),
      ),
    );
    for (const response of responses) {
      expect(response.status).toBe(201);
      expect(response.body).toEqual({ projectId: id, revision: 1 });
      expect(response.headers.etag).toBe('"1"');
    }
    expect(await historyTypes(api, id)).toEqual(['ProjectSigned', 'ConstructionStarted']);
    expect(await headPosition(api)).toBe(head + 1);
  });

  it('identical keyed signings without a projectId: one project, one event, the same answer', async () => {
    const head = await headPosition(api);
    const body = {
      name: '并发签约项目',
      enterprise: '某公司',
      zoneId: 'linfen-kfq',
      totalInvestmentWan: 10000,
      industrial: false,
      signedOn: '2023-05-29',
    };
    const responses = await Promise.all(
      Array.from({ length: N }, () => post('/projects', body, { 'Idempotency-Key': 'concurrent-sign' })),
    );
    const projectIds = new Set(responses.map((response) => response.body.projectId));
    expect(projectIds.size).toBe(1);
    for (const response of responses) {
      expect(response.status).toBe(201);
      expect(response.body.revision).toBe(0);
    }
    expect(await historyTypes(api, [...projectIds][0])).toEqual(['ProjectSigned']);
    expect(await headPosition(api)).toBe(head + 1);
  });

  it('one Idempotency-Key with different bodies at once: one is recorded, the rest 409 idempotency-key-reused', async () => {
    const id = await freshProject();
    const dates = Array.from({ length: N }, (_, i) => dayAfterMarch1(i));
    const responses = await Promise.all(
      dates.map((occurredOn) =>
        post(
          `/projects/${id}/milestones`,
          { milestone: 'construction-started', occurredOn },
          { 'Idempotency-Key': `shared-${id}` },
        ),
      ),
    );
    const winners = responses.flatMap((response, i) => (response.status === 201 ? [i] : []));
    // no request may be told "done" when its date was not the one recorded
    expect(winners).toHaveLength(1);
    for (const [i, response] of responses.entries())
      if (i !== winners[0]) expectProblem(response, 409, { code: 'idempotency-key-reused' });
    expect(await historyTypes(api, id)).toEqual(['ProjectSigned', 'ConstructionStarted']);
    expect((await project(id)).milestones).toEqual({ 'construction-started': dates[winners[0]] });
  });

  it('signings of one project id with different details: one 201, every other 409 project-exists', async () => {
    const projectId = `c-sign-${++counter}`;
    const head = await headPosition(api);
    const responses = await Promise.all(
      Array.from({ length: N }, (_, i) =>
        post('/projects', {
          projectId,
          name: '并发签约项目',
          enterprise: '某公司',
          zoneId: 'jinzhong-kfq',
          totalInvestmentWan: 10000 + i,
          industrial: true,
          signedOn: '2023-02-22',
        }),
      ),
    );
    const winners = responses.flatMap((response, i) => (response.status === 201 ? [i] : []));
    expect(winners).toHaveLength(1);
    expect(responses[winners[0]].body).toEqual({ projectId, revision: 0 });
    for (const [i, response] of responses.entries())
      if (i !== winners[0]) expectProblem(response, 409, { code: 'project-exists' });
    expect(await historyTypes(api, projectId)).toEqual(['ProjectSigned']);
    expect(await headPosition(api)).toBe(head + 1);
    expect((await project(projectId)).totalInvestmentWan).toBe(10000 + winners[0]);
  });

  it('terminations racing production starts: the final state obeys the lifecycle, losers get 409', async () => {
    const id = await freshProject();
    await post(`/projects/${id}/milestones`, {
      milestone: 'construction-started',
      occurredOn: '2023-04-01',
    }).expect(201);
    const head = await headPosition(api);
    // production on 2023-05-01 + i, termination on 2023-05-10 + i, interleaved
    const requests = Array.from({ length: N }, (_, i) =>
      i % 2 === 0
        ? {
            kind: 'production',
            path: `/projects/${id}/milestones`,
            body: { milestone: 'production-started', occurredOn: dayAfterMarch1(61 + i / 2) },
          }
        : {
            kind: 'termination',
            path: `/projects/${id}/termination`,
            body: { occurredOn: dayAfterMarch1(70 + (i - 1) / 2), reason: `退出 ${i}` },
          },
    );
    const responses = await Promise.all(requests.map((request) => post(request.path, request.body)));

    const winners = responses.flatMap((response, i) => (response.status === 201 ? [i] : []));
    for (const [i, response] of responses.entries()) {
      if (winners.includes(i)) continue;
      expectProblem(response, 409);
      expect(['milestone-already-recorded', 'project-terminated', 'write-contention']).toContain(
        response.body.code,
      );
    }
    // at most one of each fact; a production start, if any, is not after the termination
    const kinds = winners.map((i) => requests[i].kind).sort();
    expect(['production', 'termination'].filter((kind) => kinds.includes(kind))).toEqual(kinds);
    expect(winners.length).toBeGreaterThanOrEqual(1);
    expect(await headPosition(api)).toBe(head + winners.length);
    const types = await historyTypes(api, id);
    expect(types.filter((type) => type === 'ProjectTerminated').length).toBeLessThanOrEqual(1);
    expect(types.filter((type) => type === 'ProductionStarted').length).toBeLessThanOrEqual(1);
    const view = await project(id);
    if (view.termination && view.milestones['production-started'])
      expect(view.milestones['production-started'] <= view.termination.occurredOn).toBe(true);
    expect(view.revision).toBe(1 + winners.length);
  });

  it('writes to 50 different projects at once all succeed (no false contention)', async () => {
    const ids: string[] = [];
    for (let i = 0; i < N; i++) ids.push(await freshProject());
    const head = await headPosition(api);
    const responses = await Promise.all(
      ids.map((id) =>
        post(`/projects/${id}/milestones`, { milestone: 'construction-started', occurredOn: '2023-05-01' }),
      ),
    );
    for (const [i, response] of responses.entries()) {
      expect(response.status).toBe(201);
      expect(response.body).toEqual({ projectId: ids[i], revision: 1 });
    }
    expect(await headPosition(api)).toBe(head + N);
  });
});
