import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ADMIN,
  AUDITOR,
  ManualClock,
  RunningApi,
  expectProblem,
  historyTypes,
  seedReference,
  seedSignedProjects,
  startApi,
} from './support/api-harness';

// The setup signs and lists several projects: seconds on a loaded machine.
jest.setTimeout(60_000);
/** Issue 14, item 8: headers, 405 with Allow, strict If-Match, health without a token. */
describe('HTTP hardening', () => {
  let dataDir: string;
  let api: RunningApi;
  const clock = new ManualClock(new Date('2023-11-01T02:00:00Z'));
  const progress = (projectId: string, ifMatch: string, wan: number) =>
    api.http
      .post(`/api/v1/projects/${projectId}/investment-progress`)
      .set('Authorization', api.bearer(ADMIN))
      .set('If-Match', ifMatch)
      .send({ month: '2023-10', completedInvestmentWan: wan });

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'plt-http-'));
    api = await startApi({ dataDir, clock });
    await seedReference(api);
    await seedSignedProjects(api);
  });

  afterAll(async () => {
    await api.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('sends security headers, no X-Powered-By, and no-store on authenticated JSON', async () => {
    const response = await api.http
      .get('/api/v1/projects/a')
      .set('Authorization', api.bearer(AUDITOR))
      .expect(200);
    expect(response.headers['x-powered-by']).toBeUndefined();
    expect(response.headers).toMatchObject({
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'SAMEORIGIN',
      'cache-control': 'no-store',
      'referrer-policy': 'no-referrer',
    });
    const csp = response.headers['content-security-policy'];
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('upgrade-insecure-requests');
    // errors too
    const problem = await api.http.get('/api/v1/projects/a');
    expect(problem.headers['x-powered-by']).toBeUndefined();
    expect(problem.headers['x-content-type-options']).toBe('nosniff');
    expect(problem.headers['cache-control']).toBe('no-store');
  });

  it.each([
    ['put', '/api/v1/projects/a', 'GET, HEAD'],
    ['delete', '/api/v1/projects/a', 'GET, HEAD'],
    ['patch', '/api/v1/projects', 'GET, HEAD, POST'],
    ['put', '/api/v1/projects/a/milestones', 'POST'],
    ['get', '/api/v1/projects/a/milestones', 'POST'],
    ['delete', '/api/v1/health', 'GET, HEAD'],
  ] as const)('%s %s is a 405 with Allow: %s', async (method, path, allow) => {
    const response = await api.http[method](path).set('Authorization', api.bearer(ADMIN));
    expectProblem(response, 405, { code: 'method-not-allowed' });
    expect(response.headers.allow).toBe(allow);
  });

  it("the OpenAPI document gives every operation its path's 405 with the Allow the server answers", async () => {
    type Response = { headers?: Record<string, { schema?: { example?: string } }>; content?: object };
    const document = (await api.http.get('/api/docs-json').expect(200)).body as {
      paths: Record<string, Record<string, { responses: Record<string, Response> }>>;
    };
    const checked: string[] = [];
    for (const [template, item] of Object.entries(document.paths)) {
      const path = template.replace(/\{[^}]+\}/g, 'x');
      const lacking = ['put', 'patch', 'delete', 'post'].find((method) => !(method in item)) as
        'put' | 'patch' | 'delete' | 'post';
      const answered = await api.http[lacking](path).set('Authorization', api.bearer(ADMIN));
      expectProblem(answered, 405, { code: 'method-not-allowed' });
      for (const [method, operation] of Object.entries(item)) {
        const documented = operation.responses['405'];
        expect({ template, method, content: Object.keys(documented?.content ?? {}) }).toEqual({
          template,
          method,
          content: ['application/problem+json'],
        });
        expect({ template, method, allow: documented.headers?.Allow?.schema?.example }).toEqual({
          template,
          method,
          allow: answered.headers.allow,
        });
      }
      checked.push(template);
    }
    expect(checked.length).toBeGreaterThan(30);
  });

  it("the OpenAPI document: Retry-After on every 429 and 503 problem, the worker's 503s on the expensive reads, 403 where roles are limited", async () => {
    type Response = { description: string; headers?: Record<string, object>; content?: object };
    const document = (await api.http.get('/api/docs-json').expect(200)).body as {
      paths: Record<string, Record<string, { responses: Record<string, Response> }>>;
    };
    for (const [path, item] of Object.entries(document.paths)) {
      if (/\/health(\/ready)?$/.test(path)) continue;
      for (const [method, operation] of Object.entries(item)) {
        for (const status of ['429', '503'].filter((s) => operation.responses[s])) {
          expect({
            path,
            method,
            status,
            retryAfter: 'Retry-After' in (operation.responses[status].headers ?? {}),
          }).toEqual({ path, method, status, retryAfter: true });
        }
      }
    }
    for (const path of [
      '/api/v1/stalled-projects',
      '/api/v1/notifications/{month}/verification',
      '/api/v1/notifications/{month}/preview',
    ]) {
      const { responses } = document.paths[path].get;
      expect(responses['503'].description).toMatch(/worker-failed.*worker-timeout/);
      expect(responses['429'].description).toMatch(/RATE_LIMIT_EXPENSIVE_PER_MINUTE/);
    }
    expect(
      document.paths['/api/v1/projects/{projectId}/milestones'].post.responses['503'].description,
    ).toMatch(/storage-full/);
    expect(document.paths['/api/v1/zones'].get.responses['429'].description).not.toMatch(/EXPENSIVE/);
    // GET /accounts is for admins: an auditor is refused (403), and the document says so
    expect(document.paths['/api/v1/accounts'].get.responses['403']).toBeDefined();
    expectProblem(
      await api.http.get('/api/v1/accounts').set('Authorization', api.bearer({ role: 'auditor' })),
      403,
    );
    expect(document.paths['/api/v1/zones'].get.responses['403']).toBeUndefined();
  });

  it('still answers 404 for an unknown path', async () => {
    expectProblem(await api.http.put('/api/v1/no-such-thing').set('Authorization', api.bearer(ADMIN)), 404);
  });

  it('If-Match compares strongly: W/"1" and "0001" match nothing (412), "1" and a list holding it match', async () => {
    // a's stream: signed (0), listed (1)
    for (const tag of ['W/"1"', '"0001"', '"01"', '"1.0"', '"2", "3"']) {
      expectProblem(await progress('a', tag, 1000), 412, { code: 'revision-mismatch' });
    }
    expect(await historyTypes(api, 'a')).toEqual(['ProjectSigned', 'ProjectListed']);
    await progress('a', '"9", "1"', 1000).expect(201);
  });

  it('If-Match: * matches any revision of a project that exists, and is a 412 for one that does not', async () => {
    await progress('b', '*', 1000).expect(201);
    const response = await api.http
      .post('/api/v1/projects')
      .set('Authorization', api.bearer(ADMIN))
      .set('If-Match', '*')
      .send({
        projectId: 'new-one',
        name: '新项目',
        enterprise: 'e',
        zoneId: 'jinzhong-kfq',
        totalInvestmentWan: 1000,
        industrial: true,
        signedOn: '2023-02-22',
      });
    expectProblem(response, 412, { code: 'revision-mismatch' });
  });

  it('refuses an If-Match that is not a list of entity tags (400)', async () => {
    for (const value of ['1', '"1', 'W/1', '"1",,x']) {
      expectProblem(await progress('c', value, 1000), 400, { field: 'If-Match' });
    }
  });

  it('health without a token says up and nothing about the store', async () => {
    const response = await api.http.get('/api/v1/health').expect(200);
    expect(response.body).toEqual({ status: 'up' });
  });
});
