import {
  ADMIN,
  AUDITOR,
  ManualClock,
  RunningApi,
  expectProblem,
  seedReference,
  startApi,
} from './support/api-harness';

/**
 * Mistakes officers can undo (issue 11): a project entered twice is voided, a listing
 * withdrawn, zones and rounds corrected, implausible figures refused or flagged, mistyped ids
 * in reads refused, and a notification issued for the wrong month withdrawn or corrected by
 * an erratum, every issued record staying byte-identical and verifiable.
 */
const clock = new ManualClock(new Date('2023-06-01T02:00:00Z'));
let api: RunningApi;

const post = (path: string, body: object, as = ADMIN) =>
  api.http.post(`/api/v1${path}`).set('Authorization', api.bearer(as)).send(body);
const get = (path: string) => api.http.get(`/api/v1${path}`).set('Authorization', api.bearer(AUDITOR));

const signBody = (projectId: string, overrides: object = {}) => ({
  projectId,
  name: '年产10万吨新材料项目',
  enterprise: '晋中新材料有限公司',
  zoneId: 'jinzhong-kfq',
  totalInvestmentWan: 470_300,
  industrial: true,
  signedOn: '2023-02-22',
  ...overrides,
});

async function startRate(knownAt?: string) {
  const response = await get(
    `/rates?scope=zone&zoneId=jinzhong-kfq${knownAt ? `&knownAt=${knownAt}` : ''}`,
  ).expect(200);
  return response.body.rows[0].start;
}

beforeAll(async () => {
  api = await startApi({ clock });
  await seedReference(api);
});

afterAll(() => api.close());

describe('a project entered twice (JZ-2O24-010, letter O) is voided', () => {
  let beforeVoid: string;

  it('warns about the possible duplicate at signing, naming the other project; ?strict=true refuses it', async () => {
    // given
    await post('/projects', signBody('JZ-2024-010')).expect(201);
    await post('/projects/JZ-2024-010/listings', { roundId: '2023-r1', batch: 'signing' }).expect(201);
    await post('/projects/JZ-2024-010/milestones', {
      milestone: 'construction-started',
      occurredOn: '2023-05-01',
    }).expect(201);
    // when
    const strict = await post('/projects?strict=true', signBody('JZ-2O24-010'));
    const twice = await post('/projects', signBody('JZ-2O24-010')).expect(201);
    // then
    expectProblem(strict, 409, { code: 'possible-duplicate' });
    expect(strict.body.detail).toContain('JZ-2024-010');
    expect(twice.body.warnings).toEqual([
      expect.objectContaining({ code: 'possible-duplicate', projectId: 'JZ-2024-010' }),
    ]);
    expect(twice.body.warnings[0].message).toContain('JZ-2024-010');
    await post('/projects/JZ-2O24-010/listings', { roundId: '2023-r1', batch: 'signing' }).expect(201);
  });

  it('counts twice in the start rate until voided', async () => {
    expect(await startRate()).toMatchObject({ cohortCount: 2, count: 1, byCount: 0.5 });
  });

  it('leaves the rates as of today once voided, and stays in them as known before the void', async () => {
    // given
    clock.advance(86_400_000);
    beforeVoid = clock.now().toISOString();
    clock.advance(60_000);
    // when
    await post('/projects/JZ-2O24-010/void', { reason: '重复录入，与 JZ-2024-010 为同一项目' }).expect(201);
    // then
    expect(await startRate()).toMatchObject({ cohortCount: 1, count: 1, byCount: 1 });
    expect(await startRate(beforeVoid)).toMatchObject({ cohortCount: 2, count: 1, byCount: 0.5 });
  });

  it('leaves the project lists, keeps its history with both facts and their reasons', async () => {
    const list = await get('/projects?zoneId=jinzhong-kfq').expect(200);
    expect(list.body.items.map((p: { projectId: string }) => p.projectId)).toEqual(['JZ-2024-010']);
    const history = await get('/projects/JZ-2O24-010/history').expect(200);
    const events = history.body.events as {
      type: string;
      data: { reason?: string };
      metadata: { reason?: string };
    }[];
    expect(events.map((event) => event.type)).toEqual(['ProjectSigned', 'ProjectListed', 'ProjectVoided']);
    expect(events[2].data.reason).toBe('重复录入，与 JZ-2024-010 为同一项目');
    expect(events[2].metadata.reason).toBe('重复录入，与 JZ-2024-010 为同一项目');
    const view = await get('/projects/JZ-2O24-010').expect(200);
    expect(view.body.voided).toEqual({ reason: '重复录入，与 JZ-2024-010 为同一项目' });
    const before = await get(`/projects/JZ-2O24-010?knownAt=${beforeVoid}`).expect(200);
    expect(before.body.voided).toBeUndefined();
  });

  it('refuses anything more for the voided project, in both languages', async () => {
    const response = await post('/projects/JZ-2O24-010/milestones', {
      milestone: 'construction-started',
      occurredOn: '2023-05-01',
    });
    expectProblem(response, 409, { code: 'project-voided' });
    expect(response.body.detail).toContain('已作废');
  });
});

describe('a listing recorded in error is withdrawn; a round is corrected once nothing depends on its date', () => {
  it('refuses moving the date of a round with a listing, then withdraws the listing and corrects the date', async () => {
    // given: JZ-2024-010 listed in 2023-r2's construction batch by mistake
    await post('/projects/JZ-2024-010/listings', { roundId: '2023-r2', batch: 'construction' }).expect(201);
    const rates = await get('/rates?scope=zone&zoneId=jinzhong-kfq').expect(200);
    expect(rates.body.rows[0].production.cohortCount).toBe(1);
    // when / then: the round's date cannot move while the listing depends on it
    const refused = await post('/rounds/2023-r2/correction', {
      heldOn: '2023-05-30',
      reason: '日期登记有误',
    });
    expectProblem(refused, 409, { code: 'round-has-listings' });
    // when: the listing is withdrawn
    await post('/projects/JZ-2024-010/listings/2023-r2/withdrawal', { reason: '应列入下一次活动' }).expect(
      201,
    );
    // then
    const after = await get('/rates?scope=zone&zoneId=jinzhong-kfq').expect(200);
    expect(after.body.rows[0].production.cohortCount).toBe(0);
    const history = await get('/projects/JZ-2024-010/history').expect(200);
    expect(history.body.events.at(-1)).toMatchObject({
      type: 'ListingWithdrawn',
      data: { roundId: '2023-r2', batch: 'construction', reason: '应列入下一次活动' },
    });
    const corrected = await post('/rounds/2023-r2/correction', {
      heldOn: '2023-05-30',
      reason: '日期登记有误',
    }).expect(201);
    expect(corrected.body).toMatchObject({ id: '2023-r2', heldOn: '2023-05-30' });
    expect((await get('/rounds').expect(200)).body).toContainEqual(
      expect.objectContaining({ id: '2023-r2', heldOn: '2023-05-30' }),
    );
  });

  it("corrects a zone's name and city with a reason; an unknown zone is a 404; officers may not", async () => {
    const corrected = await post('/zones/jiexiu-jkq/correction', {
      name: '介休经济技术开发区',
      reason: '全称',
    }).expect(201);
    expect(corrected.body).toMatchObject({
      id: 'jiexiu-jkq',
      name: '介休经济技术开发区',
      cityId: 'jinzhong',
    });
    expect((await get('/zones').expect(200)).body).toContainEqual(
      expect.objectContaining({ name: '介休经济技术开发区' }),
    );
    expectProblem(await post('/zones/no-such-zone/correction', { name: 'x', reason: 'r' }), 404, {
      code: 'zone-not-found',
    });
    expectProblem(
      await post(
        '/zones/jiexiu-jkq/correction',
        { name: 'x', reason: 'r' },
        { role: 'officer', zones: ['jiexiu-jkq'] },
      ),
      403,
    );
  });
});

describe('plausibility', () => {
  it('refuses completed investment above the total, naming both figures', async () => {
    const response = await post('/projects/JZ-2024-010/investment-progress', {
      month: '2023-05',
      completedInvestmentWan: 9_000_000,
    });
    expectProblem(response, 409, { code: 'progress-exceeds-total' });
    expect(response.body.detail).toContain('9000000');
    expect(response.body.detail).toContain('470300');
  });

  it('warns when an amount looks like 亿元 typed as 万元, in the preferred language first', async () => {
    const response = await api.http
      .post('/api/v1/projects')
      .set('Authorization', api.bearer(ADMIN))
      .set('Accept-Language', 'en')
      .send(
        signBody('JZ-2024-020', { name: '光伏组件项目', enterprise: '某光伏公司', totalInvestmentWan: 47 }),
      )
      .expect(201);
    expect(response.body.warnings).toEqual([
      expect.objectContaining({ code: 'amount-looks-like-yi', field: 'totalInvestmentWan' }),
    ]);
    expect(response.body.warnings[0].message).toMatch(/^47 万元 is very small.* \/ 金额 47 万元偏小/);
  });

  it('refuses dates before the programme began (PROGRAMME_START, default 2022-01-01)', async () => {
    const response = await post(
      '/projects',
      signBody('JZ-2021-001', { name: '旧项目', signedOn: '2021-12-31' }),
    );
    expectProblem(response, 400, { code: 'before-programme', field: 'signedOn' });
  });
});

describe('reads refuse unknown references', () => {
  const reads = [
    '/rates',
    '/lead-times',
    '/projects',
    '/stalled-projects',
    '/large-project-shares',
    '/plan-progress',
    '/investment-completion',
    '/project-lights',
  ];
  const unknown = [
    ['zoneId=jinzong-kfq', 'jinzong-kfq', 'unknown-zone'],
    ['cityId=jinzong', 'jinzong', 'unknown-city'],
    ['roundId=2023-r9', '2023-r9', 'unknown-round'],
  ];

  it.each(reads)('%s: 404 naming a mistyped zone, city or round, never an empty 200', async (path) => {
    for (const [query, id, code] of unknown) {
      const response = await get(`${path}?${query}`);
      expectProblem(response, 404, { code });
      expect(response.body.detail).toContain(id);
    }
    await get(`${path}?zoneId=jinzhong-kfq&cityId=jinzhong&roundId=2023-r1`).expect(200);
  });
});

describe('a notification issued for the wrong month', () => {
  const bytes = async (path: string) =>
    (
      await get(path)
        .buffer(true)
        .parse((res, done) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => done(null, Buffer.concat(chunks)));
        })
        .expect(200)
    ).body as Buffer;

  it('is withdrawn by an admin, which frees the earlier months; an erratum supersedes; every record stays byte-identical and verified', async () => {
    // given: 2025-10 issued by mistake
    clock.set('2025-11-05T02:00:00Z');
    await post('/notifications', { month: '2025-10' }).expect(201);
    const wrong = await bytes('/notifications/2025-10');
    expectProblem(await post('/notifications', { month: '2023-10' }), 409, { code: 'out-of-order' });
    // when: withdrawn
    expectProblem(await post('/notifications/2025-10/withdrawal', { reason: '月份选错' }, AUDITOR), 403);
    const withdrawn = await post('/notifications/2025-10/withdrawal', { reason: '月份选错' }).expect(201);
    expect(withdrawn.body).toMatchObject({ month: '2025-10', issue: 1, status: 'withdrawn' });
    // then: an earlier month can be issued, as the next number
    const october = await post('/notifications', { month: '2023-10' }).expect(201);
    expect(october.body.issue).toBe(2);
    const original = await bytes('/notifications/2023-10');
    // when: an erratum for October
    const erratum = await post('/notifications/2023-10/erratum', { reason: '晋中数据录入有误' }).expect(201);
    // then
    expect(erratum.body).toMatchObject({
      month: '2023-10',
      issue: 3,
      supersedes: { issue: 2, reason: '晋中数据录入有误' },
    });
    const series = await get('/notifications').expect(200);
    expect(series.body.map((n: { issue: number; status: string }) => [n.issue, n.status])).toEqual([
      [1, 'withdrawn'],
      [2, 'superseded'],
      [3, 'in-force'],
    ]);
    expect(series.body[0].withdrawal).toEqual({ reason: '月份选错' });
    expect(await bytes('/notifications/2025-10?issue=1')).toEqual(wrong);
    expect(await bytes('/notifications/2023-10?issue=2')).toEqual(original);
    expect(JSON.parse((await bytes('/notifications/2023-10')).toString()).issue).toBe(3);
    for (const [month, issue] of [
      ['2025-10', 1],
      ['2023-10', 2],
      ['2023-10', 3],
    ] as const) {
      const verification = await get(`/notifications/${month}/verification?issue=${issue}`).expect(200);
      expect({ month, issue, matches: verification.body.matches }).toEqual({ month, issue, matches: true });
    }
    // and November follows the erratum
    const november = await post('/notifications', { month: '2023-11' }).expect(201);
    expect(november.body.issue).toBe(4);
    const novemberCheck = await get('/notifications/2023-11/verification').expect(200);
    expect(novemberCheck.body.matches).toBe(true);
  });

  it('refuses withdrawing a month that is not the latest, or without a reason', async () => {
    expectProblem(await post('/notifications/2023-10/withdrawal', { reason: '误发' }), 409, {
      code: 'not-latest-issue',
    });
    expectProblem(await post('/notifications/2023-11/withdrawal', { reason: '' }), 400, { field: 'reason' });
  });
});

describe('the OpenAPI document', () => {
  type Schema = {
    $ref?: string;
    type?: string;
    required?: string[];
    items?: Schema;
    properties?: Record<string, Schema>;
  };
  type Operation = { responses: Record<string, { content?: Record<string, { schema?: Schema }> }> };
  const openApi = async () =>
    (await api.http.get('/api/docs-json').expect(200)).body as {
      paths: Record<string, Record<string, Operation>>;
      components: { schemas: Record<string, Schema> };
    };

  it('documents a response schema for the success of every operation (204 alone has no body)', async () => {
    const document = await openApi();
    const missing: string[] = [];
    for (const [path, item] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(item)) {
        const successes = Object.entries(operation.responses).filter(([status]) => /^2\d\d$/.test(status));
        const described = successes.some(
          ([status, response]) =>
            status === '204' ||
            Object.values(response.content ?? {}).some((media) => media.schema !== undefined),
        );
        if (!described) missing.push(`${method.toUpperCase()} ${path}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it("the read endpoints' documented schemas hold the fields their answers have", async () => {
    const document = await openApi();
    const resolve = (schema: Schema): Schema =>
      schema.$ref ? document.components.schemas[schema.$ref.split('/').at(-1) as string] : schema;
    const reads = [
      '/rates',
      '/lead-times',
      '/large-project-shares',
      '/plan-progress',
      '/investment-completion',
      '/project-lights',
      '/projects',
      '/stalled-projects',
      '/zones',
      '/rounds',
      '/notifications',
      '/projects/JZ-2024-010',
      '/projects/JZ-2024-010/history',
    ];
    for (const path of reads) {
      const template = path.startsWith('/projects/') ? path.replace('JZ-2024-010', '{projectId}') : path;
      const schema = resolve(
        document.paths[`/api/v1${template}`].get.responses['200'].content?.['application/json']
          ?.schema as Schema,
      );
      const body = (await get(path).expect(200)).body as unknown;
      // the top level and the first item of each documented array: every required field is there
      const check = (value: unknown, at: Schema, where: string) => {
        const shape = resolve(at);
        if (shape.type === 'array') {
          expect({ where, isArray: Array.isArray(value) }).toEqual({ where, isArray: true });
          if ((value as unknown[]).length > 0 && shape.items)
            check((value as unknown[])[0], shape.items, `${where}[0]`);
          return;
        }
        if (shape.type !== 'object' || value === null) return;
        for (const field of shape.required ?? [])
          expect({ where, field, present: field in (value as object) }).toEqual({
            where,
            field,
            present: true,
          });
        for (const [field, property] of Object.entries(shape.properties ?? {}))
          if (field in (value as object))
            check((value as Record<string, unknown>)[field], property, `${where}.${field}`);
      };
      check(body, schema, path);
    }
  });

  it('documents the error responses of every operation as problem+json, and the new endpoints', async () => {
    const document = (await api.http.get('/api/docs-json').expect(200)).body as {
      paths: Record<string, Record<string, { responses: Record<string, { content?: object }> }>>;
      components: { schemas: Record<string, unknown> };
    };
    expect(document.components.schemas.Problem).toBeDefined();
    for (const path of [
      '/api/v1/projects/{projectId}/void',
      '/api/v1/projects/{projectId}/listings/{roundId}/withdrawal',
      '/api/v1/zones/{zoneId}/correction',
      '/api/v1/rounds/{roundId}/correction',
      '/api/v1/notifications/{month}/erratum',
      '/api/v1/notifications/{month}/withdrawal',
    ])
      expect(Object.keys(document.paths)).toContain(path);
    for (const [path, item] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(item)) {
        const expected = method === 'get' ? ['400', '404'] : ['400', '403', '404', '409', '412', '413'];
        // /health and /health/ready are open, and their 503 is the health report itself
        const health = /\/health(\/ready)?$/.test(path);
        if (!health) expected.push('401');
        const declaredErrors = Object.keys(operation.responses).filter(
          (status) => Number(status) >= 400 && !(health && status === '503'),
        );
        for (const status of new Set([...expected, ...declaredErrors])) {
          expect({
            path,
            method,
            status,
            content: Object.keys(operation.responses[status]?.content ?? {}),
          }).toEqual({
            path,
            method,
            status,
            content: ['application/problem+json'],
          });
        }
      }
    }
  });
});
