import { ADMIN, RunningApi, seedReference, startApi } from './support/api-harness';

describe('API smoke: sign a project and follow it through its lifecycle', () => {
  let api: RunningApi;

  beforeAll(async () => {
    api = await startApi();
    await seedReference(api);
  });

  afterAll(() => api.close());

  it('serves health without a token (up or down only) and in detail with one', async () => {
    expect((await api.http.get('/api/v1/health').expect(200)).body).toEqual({ status: 'up' });
    const response = await api.http.get('/api/v1/health').set('Authorization', api.bearer(ADMIN)).expect(200);
    expect(response.body).toMatchObject({ status: 'ok', store: 'embedded' });
  });

  it('records signing, listing and milestones and shows them in the project and its history', async () => {
    const admin = api.bearer(ADMIN);
    const signed = await api.http
      .post('/api/v1/projects')
      .set('Authorization', admin)
      .send({
        projectId: 'p-1',
        name: '年产10万吨新材料项目',
        enterprise: '山西某新材料有限公司',
        zoneId: 'jinzhong-kfq',
        totalInvestmentWan: 470300,
        industrial: true,
        signedOn: '2023-02-22',
      })
      .expect(201);
    expect(signed.body).toEqual({ projectId: 'p-1', revision: 0 });
    await api.http
      .post('/api/v1/projects/p-1/listings')
      .set('Authorization', admin)
      .send({ roundId: '2023-r1', batch: 'signing' })
      .expect(201);
    const started = await api.http
      .post('/api/v1/projects/p-1/milestones')
      .set('Authorization', admin)
      .send({ milestone: 'construction-started', occurredOn: '2023-05-01' })
      .expect(201);
    expect(started.body.revision).toBe(2);
    expect(started.headers.etag).toBe('"2"');

    const project = await api.http.get('/api/v1/projects/p-1').set('Authorization', admin).expect(200);
    expect(project.body).toMatchObject({
      projectId: 'p-1',
      zoneId: 'jinzhong-kfq',
      totalInvestmentWan: 470300,
      stage: 'construction-started',
      milestones: { 'construction-started': '2023-05-01' },
      listings: [{ roundId: '2023-r1', heldOn: '2023-02-22', batch: 'signing' }],
      revision: 2,
    });
    const before = await api.http
      .get('/api/v1/projects/p-1?asOf=2023-04-30')
      .set('Authorization', admin)
      .expect(200);
    expect(before.body.stage).toBe('signed');

    const history = await api.http
      .get('/api/v1/projects/p-1/history')
      .set('Authorization', admin)
      .expect(200);
    expect(history.body.events.map((e: { type: string }) => e.type)).toEqual([
      'ProjectSigned',
      'ProjectListed',
      'ConstructionStarted',
    ]);
    expect(history.body.events[2].metadata).toMatchObject({
      recordedBy: 'admin-1',
      role: 'admin',
      source: { kind: 'api' },
    });
  });

  it('answers a lifecycle violation with problem+json 409', async () => {
    const response = await api.http
      .post('/api/v1/projects/p-1/milestones')
      .set('Authorization', api.bearer(ADMIN))
      .send({ milestone: 'attained', occurredOn: '2023-06-01' })
      .expect(409);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({ status: 409, title: 'Conflict', code: 'milestone-out-of-order' });
  });
});
