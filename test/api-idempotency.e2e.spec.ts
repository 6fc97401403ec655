import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { IdempotencyRetention } from '../apps/api/src/infrastructure/idempotency-retention';
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

/**
 * IDEMPOTENCY_RETENTION_DAYS: a key older than the retention is deleted from the store and
 * may carry another request; a younger one still binds its first request.
 */
describe('Idempotency-Key retention', () => {
  let api: RunningApi;
  let dataDir: string;
  const clock = new ManualClock(new Date('2023-11-01T02:00:00Z'));
  const DAY = 86_400_000;
  const milestone = (projectId: string, key: string, occurredOn: string) =>
    api.http
      .post(`/api/v1/projects/${projectId}/milestones`)
      .set('Authorization', api.bearer(ADMIN))
      .set('Idempotency-Key', key)
      .send({ milestone: 'construction-started', occurredOn });

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'plt-idempotency-'));
    api = await startApi({ clock, dataDir, env: { IDEMPOTENCY_RETENTION_DAYS: '7' } });
    await seedReference(api);
    await seedSignedProjects(api);
  });

  afterAll(async () => {
    await api.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** The keys the embedded store holds (null on another store: PostgreSQL in e2e-postgres). */
  function storedKeys(): string[] | null {
    if (api.config.eventStore !== 'embedded') return null;
    const db = new Database(join(dataDir, 'events.sqlite'), { readonly: true });
    try {
      const rows = db.prepare('SELECT key FROM idempotency_keys ORDER BY key').all() as { key: string }[];
      return rows.map((row) => row.key);
    } finally {
      db.close();
    }
  }

  it('a key past the retention is pruned and free again; a kept key still refuses another request (409)', async () => {
    await milestone('a', 'key-old', '2023-05-01').expect(201);
    clock.advance(5 * DAY);
    await milestone('b', 'key-kept', '2023-05-01').expect(201);
    clock.advance(3 * DAY);
    // key-old is 8 days old, key-kept 3: with a retention of 7 days only key-old goes
    expect(await api.app.get(IdempotencyRetention).prune()).toBe(1);
    const kept = storedKeys();
    if (kept) expect(kept).toEqual(['key-kept']);
    expect(await api.app.get(IdempotencyRetention).prune()).toBe(0);

    const reused = await milestone('c', 'key-kept', '2023-05-01');
    expectProblem(reused, 409, { code: 'idempotency-key-reused' });
    expect(await historyTypes(api, 'c')).toEqual(['ProjectSigned', 'ProjectListed']);
    await milestone('c', 'key-old', '2023-05-01').expect(201);
    expect(await historyTypes(api, 'c')).toEqual(['ProjectSigned', 'ProjectListed', 'ConstructionStarted']);
  });
});
