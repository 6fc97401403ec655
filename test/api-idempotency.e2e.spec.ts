import {
  ADMIN,
  ManualClock,
  RunningApi,
  expectProblem,
  headPosition,
  historyTypes,
  seedReference,
  seedSignedProjects,
  startApi,
} from './support/api-harness';

// The setup signs and lists several projects: seconds on a loaded machine.
jest.setTimeout(60_000);
/**
 * Issue 14, item 5: an Idempotency-Key is bound store-wide to the request it was first used
 * with, whatever that request's outcome. Runs on SQLite and, in the e2e-postgres project, on
 * PostgreSQL.
 */
describe('Idempotency-Key store-wide, for every outcome', () => {
  let api: RunningApi;
  const clock = new ManualClock(new Date('2023-11-01T02:00:00Z'));
  const OTHER_ADMIN = { role: 'admin', sub: 'admin-2' } as const;
  const milestone = (projectId: string, key: string, occurredOn: string, as = ADMIN) =>
    api.http
      .post(`/api/v1/projects/${projectId}/milestones`)
      .set('Authorization', api.bearer(as))
      .set('Idempotency-Key', key)
      .send({ milestone: 'construction-started', occurredOn });

  beforeAll(async () => {
    api = await startApi({ clock });
    await seedReference(api);
    await seedSignedProjects(api);
  });

  afterAll(() => api.close());

  /** Runs `request` and checks that the store's head did not move. */
  async function writesNothing<T>(request: () => Promise<T>): Promise<T> {
    const before = await headPosition(api);
    const response = await request();
    expect(await headPosition(api)).toBe(before);
    return response;
  }

  it('a key used on project a cannot carry a request to project b (409), with no event', async () => {
    await milestone('a', 'key-across', '2023-05-01').expect(201);
    const reused = await writesNothing(() => milestone('b', 'key-across', '2023-05-01'));
    expectProblem(reused, 409, { code: 'idempotency-key-reused' });
    expect(await historyTypes(api, 'b')).toEqual(['ProjectSigned', 'ProjectListed']);
    // the original request repeated: its first result, no second event
    const retry = await writesNothing(() => milestone('a', 'key-across', '2023-05-01'));
    expect(retry.status).toBe(201);
  });

  it('a key first used on a refused request stays bound to it: another request with it is a 409', async () => {
    // production before construction: refused
    const refused = await api.http
      .post('/api/v1/projects/b/milestones')
      .set('Authorization', api.bearer(ADMIN))
      .set('Idempotency-Key', 'key-refused')
      .send({ milestone: 'production-started', occurredOn: '2023-06-01' });
    expectProblem(refused, 409, { code: 'milestone-out-of-order' });
    const reused = await writesNothing(() => milestone('b', 'key-refused', '2023-05-01'));
    expectProblem(reused, 409, { code: 'idempotency-key-reused' });
    expect(await historyTypes(api, 'b')).toEqual(['ProjectSigned', 'ProjectListed']);
  });

  it('a key first used on a no-op (a fact already known) stays bound to it too', async () => {
    const noop = await milestone('a', 'key-noop', '2023-05-01');
    expect(noop.status).toBe(200);
    const reused = await writesNothing(() => milestone('c', 'key-noop', '2023-05-01'));
    expectProblem(reused, 409, { code: 'idempotency-key-reused' });
    expect(await historyTypes(api, 'c')).toEqual(['ProjectSigned', 'ProjectListed']);
  });

  it("keys are the caller's own: another caller may use the same key", async () => {
    await milestone('c', 'key-across', '2023-05-02', OTHER_ADMIN).expect(201);
  });
});
