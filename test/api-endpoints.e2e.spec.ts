import {
  ADMIN,
  AUDITOR,
  Claims,
  ManualClock,
  RunningApi,
  TEST_SECRET,
  expectProblem,
  headPosition,
  historyTypes,
  mintToken,
  seedReference,
  startApi,
} from './support/api-harness';

/**
 * Every endpoint of the v1 API against the public contract (../shared/API.md): success,
 * 400/401/403/404/409/412 as problem+json, Idempotency-Key and If-Match, and that no
 * rejected request appends an event.
 *
 * "Today" is 2023-11-01 in the province (+08:00): the clock stays within that day.
 */
const clock = new ManualClock(new Date('2023-11-01T02:00:00Z'));
const TODAY = '2023-11-01';
const TOMORROW = '2023-11-02';

const OFFICER_JINZHONG_ZONE: Claims = { role: 'officer', sub: 'officer-jz', zones: ['jinzhong-kfq'] };
const OFFICER_LINFEN_CITY: Claims = { role: 'officer', sub: 'officer-lf', cities: ['linfen'] };

type Headers = Record<string, string>;

let api: RunningApi;
let counter = 0;

/** POST with a JSON body (or a raw string sent as application/json). */
function post(
  path: string,
  body: unknown,
  options: { as?: Claims | null; auth?: string; headers?: Headers } = {},
) {
  let req = api.http.post(`/api/v1${path}`);
  const auth = options.auth ?? (options.as === null ? undefined : api.bearer(options.as ?? ADMIN));
  if (auth !== undefined) req = req.set('Authorization', auth);
  for (const [name, value] of Object.entries(options.headers ?? {})) req = req.set(name, value);
  if (typeof body === 'string') return req.set('Content-Type', 'application/json').send(body);
  return req.send(body as object);
}

function get(path: string, options: { as?: Claims | null; auth?: string } = {}) {
  let req = api.http.get(`/api/v1${path}`);
  const auth = options.auth ?? (options.as === null ? undefined : api.bearer(options.as ?? AUDITOR));
  if (auth !== undefined) req = req.set('Authorization', auth);
  return req;
}

function signBody(projectId: string, zoneId = 'jinzhong-kfq') {
  return {
    projectId,
    name: `年产10万吨新材料项目 ${projectId}`,
    enterprise: '山西某新材料有限公司',
    zoneId,
    totalInvestmentWan: 470300,
    industrial: true,
    signedOn: '2023-02-22',
  };
}

/** Signs a new project (as admin) and returns its id. */
async function freshProject(zoneId = 'jinzhong-kfq'): Promise<string> {
  const projectId = `p-${++counter}`;
  await post('/projects', signBody(projectId, zoneId)).expect(201);
  return projectId;
}

async function revisionOf(projectId: string): Promise<number> {
  const response = await get(`/projects/${projectId}`).expect(200);
  return response.body.revision as number;
}

/** Runs `act` and asserts that it appended nothing: head position and history unchanged. */
async function withoutNewEvents<T>(projectId: string | undefined, act: () => Promise<T>): Promise<T> {
  const head = await headPosition(api);
  const before = projectId ? await historyTypes(api, projectId) : [];
  const result = await act();
  expect(await headPosition(api)).toBe(head);
  if (projectId) expect(await historyTypes(api, projectId)).toEqual(before);
  return result;
}

async function recordMilestone(projectId: string, milestone: string, occurredOn: string) {
  await post(`/projects/${projectId}/milestones`, { milestone, occurredOn }).expect(201);
}

beforeAll(async () => {
  api = await startApi({ clock });
  await seedReference(api);
});

afterAll(() => api.close());

/** The project write endpoints (all but signing), each with bodies for every outcome. */
interface ProjectWrite {
  name: string;
  path(projectId: string): string;
  /** Brings a freshly signed project to where `body` is accepted. */
  prepare?(projectId: string): Promise<void>;
  body: object;
  /** Another valid body, to reuse an Idempotency-Key with. */
  otherBody: object;
  eventType: string;
  invalid: { body: object; field: string };
  /** A lifecycle rule this endpoint enforces (amendments have none: they only 409 on key reuse). */
  conflict?: { prepare?(projectId: string): Promise<void>; body: object; code: string };
  /** A date in the future, for endpoints with an effective date. */
  future?: { body: object; field: string; code: string };
  unknownMilestonePath?(projectId: string): string;
  /** Whether repeating the identical request (without a key) is a harmless no-op. */
  repeatIsNoOp: boolean;
  /** The 409 code of a repeat that is not a no-op. */
  repeatCode?: string;
  /** Nothing can be recorded for the project afterwards (a void). */
  closesProject?: boolean;
}

const PROJECT_WRITES: ProjectWrite[] = [
  {
    name: 'listings',
    path: (id) => `/projects/${id}/listings`,
    body: { roundId: '2023-r1', batch: 'signing' },
    otherBody: { roundId: '2023-r2', batch: 'signing' },
    eventType: 'ProjectListed',
    invalid: { body: { roundId: '2023-r1', batch: 'demolition' }, field: 'batch' },
    conflict: { body: { roundId: '2023-r2', batch: 'construction' }, code: 'listing-needs-milestone' },
    repeatIsNoOp: true,
  },
  {
    name: 'milestones',
    path: (id) => `/projects/${id}/milestones`,
    body: { milestone: 'construction-started', occurredOn: '2023-05-01' },
    otherBody: { milestone: 'construction-started', occurredOn: '2023-05-02' },
    eventType: 'ConstructionStarted',
    invalid: { body: { milestone: 'groundbreaking', occurredOn: '2023-05-01' }, field: 'milestone' },
    conflict: { body: { milestone: 'attained', occurredOn: '2023-06-01' }, code: 'milestone-out-of-order' },
    future: {
      body: { milestone: 'construction-started', occurredOn: TOMORROW },
      field: 'occurredOn',
      code: 'future-date',
    },
    repeatIsNoOp: true,
  },
  {
    name: 'milestones/{m}/correction',
    path: (id) => `/projects/${id}/milestones/construction-started/correction`,
    prepare: (id) => recordMilestone(id, 'construction-started', '2023-05-01'),
    body: { occurredOn: '2023-05-03', reason: '台账录入错误' },
    otherBody: { occurredOn: '2023-05-04', reason: '台账录入错误' },
    eventType: 'MilestoneDateCorrected',
    invalid: { body: { occurredOn: '2023-05-03', reason: '' }, field: 'reason' },
    conflict: {
      prepare: (id) => recordMilestone(id, 'construction-started', '2023-05-01'),
      body: { occurredOn: '2023-01-10', reason: 'before signing' },
      code: 'milestone-out-of-order',
    },
    future: { body: { occurredOn: TOMORROW, reason: 'x' }, field: 'occurredOn', code: 'future-date' },
    unknownMilestonePath: (id) => `/projects/${id}/milestones/groundbreaking/correction`,
    repeatIsNoOp: true,
  },
  {
    name: 'milestones/{m}/retraction',
    path: (id) => `/projects/${id}/milestones/construction-started/retraction`,
    prepare: (id) => recordMilestone(id, 'construction-started', '2023-05-01'),
    body: { reason: 'recorded for the wrong project' },
    otherBody: { reason: 'another reason' },
    eventType: 'MilestoneRetracted',
    invalid: { body: { reason: 42 }, field: 'reason' },
    conflict: {
      prepare: async (id) => {
        await recordMilestone(id, 'construction-started', '2023-05-01');
        await recordMilestone(id, 'statistics-entered', '2023-06-01');
      },
      body: { reason: 'x' },
      code: 'milestone-has-dependents',
    },
    // signing is correctable but not retractable
    unknownMilestonePath: (id) => `/projects/${id}/milestones/signed/retraction`,
    // the milestone is no longer recorded: a second retraction is refused (see the test)
    repeatIsNoOp: false,
  },
  {
    name: 'investment-progress',
    path: (id) => `/projects/${id}/investment-progress`,
    body: { month: '2023-06', completedInvestmentWan: 120000 },
    otherBody: { month: '2023-06', completedInvestmentWan: 130000 },
    eventType: 'InvestmentProgressReported',
    invalid: { body: { month: '2023-06', completedInvestmentWan: 1.5 }, field: 'completedInvestmentWan' },
    conflict: { body: { month: '2023-01', completedInvestmentWan: 1 }, code: 'progress-before-signing' },
    future: { body: { month: '2023-12', completedInvestmentWan: 1 }, field: 'month', code: 'future-month' },
    repeatIsNoOp: true,
  },
  {
    name: 'amendments',
    path: (id) => `/projects/${id}/amendments`,
    body: { reason: '合同变更', totalInvestmentWan: 520000 },
    otherBody: { reason: '合同变更', totalInvestmentWan: 530000 },
    eventType: 'ProjectAmended',
    // the zone cannot change
    invalid: { body: { reason: 'move', zoneId: 'linfen-kfq' }, field: 'zoneId' },
    repeatIsNoOp: true,
  },
  {
    name: 'termination',
    path: (id) => `/projects/${id}/termination`,
    body: { occurredOn: '2023-10-01', reason: '企业退出' },
    otherBody: { occurredOn: '2023-10-02', reason: '企业退出' },
    eventType: 'ProjectTerminated',
    invalid: { body: { occurredOn: '2023/10/01', reason: '企业退出' }, field: 'occurredOn' },
    conflict: {
      prepare: (id) => recordMilestone(id, 'construction-started', '2023-05-01'),
      body: { occurredOn: '2023-04-01', reason: '企业退出' },
      code: 'termination-out-of-order',
    },
    future: { body: { occurredOn: TOMORROW, reason: '企业退出' }, field: 'occurredOn', code: 'future-date' },
    repeatIsNoOp: true,
  },
  {
    name: 'void',
    path: (id) => `/projects/${id}/void`,
    body: { reason: '重复录入' },
    otherBody: { reason: '录入了不存在的项目' },
    eventType: 'ProjectVoided',
    invalid: { body: { reason: '' }, field: 'reason' },
    conflict: {
      prepare: async (id) => {
        await post(`/projects/${id}/void`, { reason: '重复录入' }).expect(201);
      },
      body: { reason: '另一个原因' },
      code: 'project-voided',
    },
    repeatIsNoOp: true,
    closesProject: true,
  },
  {
    name: 'listings/{roundId}/withdrawal',
    path: (id) => `/projects/${id}/listings/2023-r1/withdrawal`,
    prepare: async (id) => {
      await post(`/projects/${id}/listings`, { roundId: '2023-r1', batch: 'signing' }).expect(201);
    },
    body: { reason: '应列入下一次活动' },
    otherBody: { reason: '误列' },
    eventType: 'ListingWithdrawn',
    invalid: { body: { reason: ['x'] }, field: 'reason' },
    conflict: { body: { reason: '误列' }, code: 'listing-not-recorded' },
    // the listing is gone: a second withdrawal is refused
    repeatIsNoOp: false,
    repeatCode: 'listing-not-recorded',
  },
];

describe.each(PROJECT_WRITES)('POST $name', (endpoint) => {
  async function prepared(zoneId = 'jinzhong-kfq'): Promise<string> {
    const id = await freshProject(zoneId);
    await endpoint.prepare?.(id);
    return id;
  }

  it('records the fact: 201, the new revision, ETag, one event of the right type', async () => {
    const id = await prepared();
    const revision = await revisionOf(id);
    const head = await headPosition(api);
    const before = await historyTypes(api, id);
    const response = await post(endpoint.path(id), endpoint.body).expect(201);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.body).toEqual({ projectId: id, revision: revision + 1 });
    expect(response.headers.etag).toBe(`"${revision + 1}"`);
    expect(await historyTypes(api, id)).toEqual([...before, endpoint.eventType]);
    expect(await headPosition(api)).toBe(head + 1);
    expect(await revisionOf(id)).toBe(revision + 1);
  });

  it('400 problem+json naming the invalid field, no event', async () => {
    const id = await prepared();
    const response = await withoutNewEvents(id, () => post(endpoint.path(id), endpoint.invalid.body));
    expectProblem(response, 400, { field: endpoint.invalid.field });
  });

  it('400 for a malformed JSON body, no event', async () => {
    const id = await prepared();
    const response = await withoutNewEvents(id, () => post(endpoint.path(id), '{"reason": "x",'));
    expectProblem(response, 400);
  });

  it('400 for a JSON body that is not an object (array, string, null), no event', async () => {
    const id = await prepared();
    for (const raw of ['[]', '"text"', 'null', '42']) {
      const response = await withoutNewEvents(id, () => post(endpoint.path(id), raw));
      expectProblem(response, 400);
    }
  });

  it('400 (not a 500) for a body nested thousands of levels deep, no event', async () => {
    const id = await prepared();
    for (const raw of [
      `{"reason":"x","a":${'['.repeat(20000)}${']'.repeat(20000)}}`,
      `{"reason":"x","a":${'{"a":'.repeat(8000)}1${'}'.repeat(8000)}}`,
    ]) {
      const response = await withoutNewEvents(id, () => post(endpoint.path(id), raw));
      expectProblem(response, 400);
    }
  });

  it('400 for an unknown extra field, no event', async () => {
    const id = await prepared();
    const response = await withoutNewEvents(id, () =>
      post(endpoint.path(id), { ...endpoint.body, sneaky: true }),
    );
    expectProblem(response, 400, { field: 'sneaky', code: 'validation-failed' });
  });

  if (endpoint.future) {
    const future = endpoint.future;
    it(`400 for a future ${future.field} (today is ${TODAY}), no event`, async () => {
      const id = await prepared();
      const response = await withoutNewEvents(id, () => post(endpoint.path(id), future.body));
      expectProblem(response, 400, { field: future.field, code: future.code });
    });
  }

  it('403 for an officer outside the zone; an officer of the zone’s city succeeds', async () => {
    const id = await prepared('linfen-kfq');
    const denied = await withoutNewEvents(id, () =>
      post(endpoint.path(id), endpoint.body, { as: OFFICER_JINZHONG_ZONE }),
    );
    expectProblem(denied, 403, { code: 'forbidden' });
    // a stale If-Match does not turn the refusal into a 412 (nor reveal the revision)
    const deniedWithIfMatch = await withoutNewEvents(id, () =>
      post(endpoint.path(id), endpoint.body, { as: OFFICER_JINZHONG_ZONE, headers: { 'If-Match': '"99"' } }),
    );
    expectProblem(deniedWithIfMatch, 403, { code: 'forbidden' });
    const allowed = await post(endpoint.path(id), endpoint.body, { as: OFFICER_LINFEN_CITY }).expect(201);
    expect(allowed.body.projectId).toBe(id);
    const history = await api.http
      .get(`/api/v1/projects/${id}/history`)
      .set('Authorization', api.bearer(ADMIN));
    expect(history.body.events.at(-1).metadata).toMatchObject({ recordedBy: 'officer-lf', role: 'officer' });
  });

  it('an officer of the zone (zones claim) succeeds', async () => {
    const id = await prepared('jinzhong-kfq');
    await post(endpoint.path(id), endpoint.body, { as: OFFICER_JINZHONG_ZONE }).expect(201);
  });

  it('403 for an auditor, no event', async () => {
    const id = await prepared();
    const response = await withoutNewEvents(id, () =>
      post(endpoint.path(id), endpoint.body, { as: AUDITOR }),
    );
    expectProblem(response, 403);
  });

  it('404 for an unknown project, no event', async () => {
    const response = await withoutNewEvents(undefined, () =>
      post(endpoint.path('no-such-project'), endpoint.body),
    );
    expectProblem(response, 404, { code: 'project-not-found' });
    expect(await historyTypes(api, 'no-such-project')).toEqual([]);
  });

  it('404 for an unknown project even with If-Match (preconditions come after existence)', async () => {
    const response = await withoutNewEvents(undefined, () =>
      post(endpoint.path('no-such-project'), endpoint.body, { headers: { 'If-Match': '"3"' } }),
    );
    expectProblem(response, 404, { code: 'project-not-found' });
  });

  if (endpoint.unknownMilestonePath) {
    const path = endpoint.unknownMilestonePath;
    it('404 for an unknown milestone in the path, no event', async () => {
      const id = await prepared();
      const response = await withoutNewEvents(id, () => post(path(id), endpoint.body));
      expectProblem(response, 404, { code: 'unknown-milestone' });
    });
  }

  if (endpoint.conflict) {
    const conflict = endpoint.conflict;
    it(`409 ${conflict.code} when the request breaks a lifecycle rule, no event`, async () => {
      const id = await freshProject();
      await conflict.prepare?.(id);
      const response = await withoutNewEvents(id, () => post(endpoint.path(id), conflict.body));
      expectProblem(response, 409, { code: conflict.code });
    });
  }

  it('412 with a stale If-Match revision, no event; the current revision succeeds', async () => {
    const id = await prepared();
    const stale = await revisionOf(id);
    // someone else records a fact meanwhile
    await post(`/projects/${id}/investment-progress`, { month: '2023-03', completedInvestmentWan: 0 }).expect(
      201,
    );
    const response = await withoutNewEvents(id, () =>
      post(endpoint.path(id), endpoint.body, { headers: { 'If-Match': `"${stale}"` } }),
    );
    expectProblem(response, 412, { code: 'revision-mismatch' });
    const ok = await post(endpoint.path(id), endpoint.body, { headers: { 'If-Match': `"${stale + 1}"` } });
    expect(ok.status).toBe(201);
    expect(ok.body).toEqual({ projectId: id, revision: stale + 2 });
  });

  it('400 for a malformed If-Match, no event', async () => {
    const id = await prepared();
    const response = await withoutNewEvents(id, () =>
      post(endpoint.path(id), endpoint.body, { headers: { 'If-Match': 'yesterday' } }),
    );
    expectProblem(response, 400, { field: 'If-Match' });
  });

  it('Idempotency-Key: the same key and body replay the result with no second event; another body → 409', async () => {
    const id = await prepared();
    const key = `key-${endpoint.name}-${id}`;
    const first = await post(endpoint.path(id), endpoint.body, { headers: { 'Idempotency-Key': key } });
    expect(first.status).toBe(201);
    const history = await historyTypes(api, id);
    const retry = await withoutNewEvents(id, () =>
      post(endpoint.path(id), endpoint.body, { headers: { 'Idempotency-Key': key } }),
    );
    expect(retry.status).toBe(first.status);
    expect(retry.body).toEqual(first.body);
    expect(retry.headers.etag).toBe(first.headers.etag);
    expect(await historyTypes(api, id)).toHaveLength(history.length);

    const reused = await withoutNewEvents(id, () =>
      post(endpoint.path(id), endpoint.otherBody, { headers: { 'Idempotency-Key': key } }),
    );
    expectProblem(reused, 409, { code: 'idempotency-key-reused' });
  });

  // A voided project cannot move on: nothing more is recorded for it.
  if (!endpoint.closesProject) {
    it('Idempotency-Key: a replay still answers after the project moved on, even with the old If-Match', async () => {
      const id = await prepared();
      const revision = await revisionOf(id);
      const headers = { 'Idempotency-Key': `late-${id}`, 'If-Match': `"${revision}"` };
      const first = await post(endpoint.path(id), endpoint.body, { headers }).expect(201);
      await post(`/projects/${id}/investment-progress`, {
        month: '2023-03',
        completedInvestmentWan: 0,
      }).expect(201);
      const retry = await withoutNewEvents(id, () => post(endpoint.path(id), endpoint.body, { headers }));
      expect(retry.status).toBe(201);
      expect(retry.body).toEqual(first.body);
    });
  }

  it('400 for a malformed Idempotency-Key, no event', async () => {
    const id = await prepared();
    const response = await withoutNewEvents(id, () =>
      post(endpoint.path(id), endpoint.body, { headers: { 'Idempotency-Key': 'has space' } }),
    );
    expectProblem(response, 400, { field: 'Idempotency-Key' });
  });

  if (endpoint.repeatIsNoOp) {
    it('an identical repeat without a key answers 200 with the same revision and records nothing', async () => {
      const id = await prepared();
      const first = await post(endpoint.path(id), endpoint.body).expect(201);
      const repeat = await withoutNewEvents(id, () => post(endpoint.path(id), endpoint.body));
      expect(repeat.status).toBe(200);
      expect(repeat.body).toEqual(first.body);
      expect(repeat.headers.etag).toBe(first.headers.etag);
    });
  } else {
    const code = endpoint.repeatCode ?? 'milestone-not-recorded';
    it(`an identical repeat without a key is refused with 409 ${code}, no event`, async () => {
      const id = await prepared();
      await post(endpoint.path(id), endpoint.body).expect(201);
      const repeat = await withoutNewEvents(id, () => post(endpoint.path(id), endpoint.body));
      expectProblem(repeat, 409, { code });
    });
  }

  it.each([
    ['zh-CN', 'zh'],
    ['en', 'en'],
    ['en-US,en;q=0.9,zh-CN;q=0.5', 'en'],
    ['zh-CN,zh;q=0.9,en;q=0.8', 'zh'],
    ['fr', 'zh'],
  ] as const)(
    'Accept-Language %s: the 400 and the 409 carry both languages, %s first, the same code',
    async (acceptLanguage, first) => {
      const headers = { 'Accept-Language': acceptLanguage };
      const id = await prepared();
      const invalid = await post(endpoint.path(id), endpoint.invalid.body, { headers });
      expectProblem(invalid, 400, { field: endpoint.invalid.field, first });
      expect(invalid.headers['content-language']).toBe(first === 'zh' ? 'zh, en' : 'en, zh');
      if (endpoint.conflict) {
        const conflictId = await freshProject();
        await endpoint.conflict.prepare?.(conflictId);
        const refused = await post(endpoint.path(conflictId), endpoint.conflict.body, { headers });
        expectProblem(refused, 409, { code: endpoint.conflict.code, first });
      }
    },
  );
});

describe('Accept-Language on the other write endpoints: both languages, the preferred first, code unchanged', () => {
  const writes: [
    string,
    () => Promise<{ path: string; body: object; status: number; code?: string; field?: string }[]>,
  ][] = [
    [
      'POST /projects',
      async () => {
        const id = await freshProject();
        return [
          {
            path: '/projects',
            body: { ...signBody('p-lang'), totalInvestmentWan: '470300' },
            status: 400,
            field: 'totalInvestmentWan',
          },
          {
            path: '/projects',
            body: { ...signBody(id), name: '另一个名称' },
            status: 409,
            code: 'project-exists',
          },
        ];
      },
    ],
    [
      'POST /zones',
      async () => [
        {
          path: '/zones',
          body: { id: 'z-lang', name: 'x', cityId: 'c', category: 'mining', level: 'national' },
          status: 400,
          field: 'category',
        },
        {
          path: '/zones',
          body: {
            id: 'jinzhong-kfq',
            name: '别名',
            cityId: 'jinzhong',
            category: 'industrial',
            level: 'national',
          },
          status: 409,
          code: 'zone-exists',
        },
      ],
    ],
    [
      'POST /rounds',
      async () => [
        { path: '/rounds', body: { id: 'r-lang', heldOn: '2023-02-30' }, status: 400, field: 'heldOn' },
        { path: '/rounds', body: { id: '2023-r1', heldOn: '2023-02-23' }, status: 409, code: 'round-exists' },
      ],
    ],
    [
      'POST /zones/{id}/correction',
      async () => [
        {
          path: '/zones/jinzhong-kfq/correction',
          body: { level: 'city', reason: 'x' },
          status: 400,
          field: 'level',
        },
      ],
    ],
    [
      'POST /rounds/{id}/correction',
      async () => [
        {
          path: '/rounds/2023-r1/correction',
          body: { heldOn: '2023-02-22', reason: '' },
          status: 400,
          field: 'reason',
        },
      ],
    ],
    [
      'POST /notifications',
      async () => [
        { path: '/notifications', body: { month: '2023-13' }, status: 400, field: 'month' },
        { path: '/notifications', body: { month: '2023-11' }, status: 409, code: 'month-not-ended' },
      ],
    ],
    [
      'POST /notifications/{month}/erratum and /withdrawal',
      async () => [
        { path: '/notifications/2023-05/erratum', body: { reason: '' }, status: 400, field: 'reason' },
        { path: '/notifications/2023-05/withdrawal', body: {}, status: 400, field: 'reason' },
      ],
    ],
    [
      'POST /projects/{id}/planned-dates',
      async () => {
        const id = await freshProject();
        return [
          {
            path: `/projects/${id}/planned-dates`,
            body: { plannedStartOn: 'June' },
            status: 400,
            field: 'plannedStartOn',
          },
          {
            path: `/projects/${id}/planned-dates`,
            body: { plannedStartOn: '2023-06-01', plannedProductionOn: '2023-05-01' },
            status: 400,
            code: 'planned-production-before-start',
          },
        ];
      },
    ],
    [
      'POST /projects/{id}/annual-investment-plans',
      async () => {
        const id = await freshProject();
        return [
          {
            path: `/projects/${id}/annual-investment-plans`,
            body: { year: 2023, plannedInvestmentWan: -1 },
            status: 400,
            field: 'plannedInvestmentWan',
          },
        ];
      },
    ],
    [
      'POST /projects/{id}/obstacles, …/updates, …/resolution',
      async () => {
        const id = await freshProject();
        const obstacle = {
          obstacleId: 'o1',
          category: 'land',
          description: '用地指标未落实',
          responsibleUnit: '自然资源局',
          raisedOn: '2023-05-01',
        };
        await post(`/projects/${id}/obstacles`, obstacle).expect(201);
        await post(`/projects/${id}/obstacles/o1/resolution`, {
          resolvedOn: '2023-05-20',
          resolution: '已供地',
        }).expect(201);
        return [
          {
            path: `/projects/${id}/obstacles`,
            body: { ...obstacle, obstacleId: 'o2', category: 'weather' },
            status: 400,
            field: 'category',
          },
          {
            path: `/projects/${id}/obstacles/o1/updates`,
            body: { measures: '专班', reason: '进展' },
            status: 409,
            code: 'obstacle-resolved',
          },
          {
            path: `/projects/${id}/obstacles/o1/resolution`,
            body: { resolvedOn: '2023-05-25', resolution: '已供地' },
            status: 409,
            code: 'obstacle-resolved',
          },
        ];
      },
    ],
  ];

  it.each(writes)('%s', async (_name, cases) => {
    for (const { path, body, status, code, field } of await cases()) {
      for (const [acceptLanguage, first] of [
        ['zh-CN', 'zh'],
        ['en', 'en'],
      ] as const) {
        const response = await post(path, body, { headers: { 'Accept-Language': acceptLanguage } });
        expectProblem(response, status, { code, field, first });
      }
    }
  });

  it('a string amount gets one message, the most specific one', async () => {
    const response = await post('/projects', { ...signBody('p-string'), totalInvestmentWan: '470300' });
    expectProblem(response, 400, { field: 'totalInvestmentWan' });
    const messages = (response.body.errors as { field: string; message: string }[]).filter(
      (error) => error.field === 'totalInvestmentWan',
    );
    expect(messages).toEqual([
      {
        field: 'totalInvestmentWan',
        message: '须为整数（数字，不加引号） / must be a whole number (a number, not a string)',
      },
    ]);
  });

  it('domain words, not ids: 投产需先开工 / production start needs construction start', async () => {
    const id = await freshProject();
    const response = await post(`/projects/${id}/milestones`, {
      milestone: 'production-started',
      occurredOn: '2023-06-01',
    });
    expectProblem(response, 409, { code: 'milestone-out-of-order' });
    expect(response.body.detail).toBe('投产需先开工 / production start needs construction start first');
  });
});

describe('POST /projects (sign)', () => {
  it('201 with the project id and revision 0; the project reads back exactly', async () => {
    const head = await headPosition(api);
    const response = await post('/projects', {
      ...signBody('sign-1'),
      strategicEmerging: true,
      industryChain: '新材料',
      plannedStartOn: '2023-06-01',
      plannedProductionOn: '2025-06-30',
    }).expect(201);
    expect(response.body).toEqual({ projectId: 'sign-1', revision: 0 });
    expect(response.headers.etag).toBe('"0"');
    expect(await headPosition(api)).toBe(head + 1);
    const project = await get('/projects/sign-1').expect(200);
    expect(project.body).toEqual({
      status: 'signed',
      projectId: 'sign-1',
      zoneId: 'jinzhong-kfq',
      signedOn: '2023-02-22',
      name: '年产10万吨新材料项目 sign-1',
      enterprise: '山西某新材料有限公司',
      totalInvestmentWan: 470300,
      industrial: true,
      strategicEmerging: true,
      industryChain: '新材料',
      plannedStartOn: '2023-06-01',
      plannedProductionOn: '2025-06-30',
      milestones: {},
      listings: [],
      investmentProgress: {},
      annualInvestmentPlan: {},
      obstacles: {},
      stage: 'signed',
      revision: 0,
    });
  });

  it('generates an id when none is given', async () => {
    const { projectId: _omit, ...body } = signBody('x');
    const response = await post('/projects', body).expect(201);
    expect(response.body.revision).toBe(0);
    expect(typeof response.body.projectId).toBe('string');
    expect(await historyTypes(api, response.body.projectId)).toEqual(['ProjectSigned']);
  });

  it.each([
    ['totalInvestmentWan', { totalInvestmentWan: 1.5 }],
    ['totalInvestmentWan', { totalInvestmentWan: 0 }],
    ['totalInvestmentWan', { totalInvestmentWan: '470300' }],
    ['totalInvestmentWan', { totalInvestmentWan: 1e16 }],
    ['industrial', { industrial: 'yes' }],
    ['name', { name: '' }],
    ['signedOn', { signedOn: '2023-02-30' }],
    ['projectId', { projectId: '../etc' }],
    ['zoneId', { zoneId: 'no-such-zone' }],
  ])('400 naming %s, no event', async (field, change) => {
    const body = { ...signBody(`bad-${++counter}`), ...change };
    const response = await withoutNewEvents(undefined, () => post('/projects', body));
    expectProblem(response, 400, { field });
  });

  it('400 for a missing required field, naming it', async () => {
    const { enterprise: _omit, ...body } = signBody('missing-enterprise');
    const response = await withoutNewEvents(undefined, () => post('/projects', body));
    expectProblem(response, 400, { field: 'enterprise', code: 'validation-failed' });
  });

  it('400 for a future signing date (field signedOn), no event', async () => {
    const response = await withoutNewEvents(undefined, () =>
      post('/projects', { ...signBody('future-sign'), signedOn: TOMORROW }),
    );
    expectProblem(response, 400, { field: 'signedOn', code: 'future-date' });
    expect(await historyTypes(api, 'future-sign')).toEqual([]);
  });

  it('400 for malformed JSON', async () => {
    const response = await withoutNewEvents(undefined, () => post('/projects', '{"projectId": '));
    expectProblem(response, 400);
  });

  it('403 for an officer outside the zone (even in the same city); a city officer succeeds', async () => {
    const denied = await withoutNewEvents(undefined, () =>
      post('/projects', signBody('officer-1', 'linfen-kfq'), { as: OFFICER_JINZHONG_ZONE }),
    );
    expectProblem(denied, 403, { code: 'forbidden' });
    const sameCity = await withoutNewEvents(undefined, () =>
      post('/projects', signBody('officer-2', 'jiexiu-jkq'), { as: OFFICER_JINZHONG_ZONE }),
    );
    expectProblem(sameCity, 403, { code: 'forbidden' });
    const allowed = await post('/projects', signBody('officer-3', 'linfen-kfq'), { as: OFFICER_LINFEN_CITY });
    expect(allowed.status).toBe(201);
    expect(allowed.body).toEqual({ projectId: 'officer-3', revision: 0 });
    await post('/projects', signBody('officer-4', 'jinzhong-kfq'), { as: OFFICER_JINZHONG_ZONE }).expect(201);
  });

  it('403 for an auditor', async () => {
    const response = await withoutNewEvents(undefined, () =>
      post('/projects', signBody('aud-1'), { as: AUDITOR }),
    );
    expectProblem(response, 403);
  });

  it('409 project-exists when the id is signed with other details; identical repeat → 200', async () => {
    const id = await freshProject();
    const other = await withoutNewEvents(id, () =>
      post('/projects', { ...signBody(id), totalInvestmentWan: 1 }),
    );
    expectProblem(other, 409, { code: 'project-exists' });
    const repeat = await withoutNewEvents(id, () => post('/projects', signBody(id)));
    expect(repeat.status).toBe(200);
    expect(repeat.body).toEqual({ projectId: id, revision: 0 });
  });

  it('412 with If-Match of a revision the new project does not have; "-1" (no stream) succeeds', async () => {
    const stale = await withoutNewEvents(undefined, () =>
      post('/projects', signBody('if-match-1'), { headers: { 'If-Match': '"0"' } }),
    );
    expectProblem(stale, 412, { code: 'revision-mismatch' });
    expect(await historyTypes(api, 'if-match-1')).toEqual([]);
    await post('/projects', signBody('if-match-1'), { headers: { 'If-Match': '"-1"' } }).expect(201);
  });

  it('Idempotency-Key without a projectId lands on the same project; another body → 409', async () => {
    const { projectId: _omit, ...body } = signBody('x');
    const headers = { 'Idempotency-Key': 'sign-key-1' };
    const first = await post('/projects', body, { headers }).expect(201);
    const retry = await withoutNewEvents(first.body.projectId, () => post('/projects', body, { headers }));
    expect(retry.status).toBe(201);
    expect(retry.body).toEqual(first.body);
    const reused = await withoutNewEvents(first.body.projectId, () =>
      post('/projects', { ...body, totalInvestmentWan: 1 }, { headers }),
    );
    expectProblem(reused, 409, { code: 'idempotency-key-reused' });
    // the key belongs to its caller: another caller's identical request is a separate project
    const other = await post('/projects', body, { headers, as: { role: 'admin', sub: 'admin-2' } }).expect(
      201,
    );
    expect(other.body.projectId).not.toBe(first.body.projectId);
  });
});

describe('POST /projects/{id}/amendments', () => {
  it('changes only the fields sent', async () => {
    const id = await freshProject();
    await post(`/projects/${id}/amendments`, { reason: '合同变更', totalInvestmentWan: 520000 }).expect(201);
    const project = await get(`/projects/${id}`).expect(200);
    expect(project.body).toMatchObject({
      name: `年产10万吨新材料项目 ${id}`,
      enterprise: '山西某新材料有限公司',
      totalInvestmentWan: 520000,
      industrial: true,
      strategicEmerging: false,
    });
    const history = await get(`/projects/${id}/history`).expect(200);
    expect(history.body.events[1]).toMatchObject({
      type: 'ProjectAmended',
      data: { projectId: id, changes: { totalInvestmentWan: 520000 }, reason: '合同变更' },
      metadata: { reason: '合同变更' },
    });
  });

  it.each([['industrial'], ['strategicEmerging'], ['name'], ['totalInvestmentWan'], ['industryChain']])(
    '400 for %s: null (omit a field to keep it), no event',
    async (field) => {
      const id = await freshProject();
      const response = await withoutNewEvents(id, () =>
        post(`/projects/${id}/amendments`, { reason: 'x', [field]: null }),
      );
      expectProblem(response, 400, { field });
    },
  );

  it('400 when the reason is missing', async () => {
    const id = await freshProject();
    const response = await withoutNewEvents(id, () =>
      post(`/projects/${id}/amendments`, { totalInvestmentWan: 5 }),
    );
    expectProblem(response, 400, { field: 'reason' });
  });
});

describe('zones and rounds', () => {
  const zone = {
    id: 'taigu-jkq',
    name: '太谷经开区',
    cityId: 'jinzhong',
    category: 'agricultural',
    level: 'provincial',
  };
  const round = { id: '2023-r3', heldOn: '2023-08-31', mainVenueZoneId: 'linfen-kfq', name: '第三次活动' };

  it('GET /zones and /rounds list the registered reference data (any role, not anonymous)', async () => {
    const zones = await get('/zones', { as: OFFICER_LINFEN_CITY }).expect(200);
    expect(zones.body).toEqual(
      expect.arrayContaining([
        {
          id: 'jinzhong-kfq',
          name: '晋中开发区',
          cityId: 'jinzhong',
          category: 'industrial',
          level: 'national',
        },
        {
          id: 'linfen-kfq',
          name: '临汾开发区',
          cityId: 'linfen',
          category: 'industrial',
          level: 'provincial',
        },
      ]),
    );
    const rounds = await get('/rounds').expect(200);
    expect(rounds.body).toEqual(
      expect.arrayContaining([{ id: '2023-r1', heldOn: '2023-02-22', mainVenueZoneId: 'jinzhong-kfq' }]),
    );
    expectProblem(await get('/zones', { as: null }), 401);
    expectProblem(await get('/rounds', { as: null }), 401);
  });

  it('POST /zones: 201 and listed; identical repeat 200; key replay; other details 409', async () => {
    const head = await headPosition(api);
    const created = await post('/zones', zone, { headers: { 'Idempotency-Key': 'zone-key' } }).expect(201);
    expect(created.body).toEqual(zone);
    expect(await headPosition(api)).toBe(head + 1);
    const zones = await get('/zones').expect(200);
    expect(zones.body).toContainEqual(zone);

    const replay = await withoutNewEvents(undefined, () =>
      post('/zones', zone, { headers: { 'Idempotency-Key': 'zone-key' } }),
    );
    expect(replay.status).toBe(201);
    expect(replay.body).toEqual(zone);
    const reused = await withoutNewEvents(undefined, () =>
      post('/zones', { ...zone, name: '别名' }, { headers: { 'Idempotency-Key': 'zone-key' } }),
    );
    expectProblem(reused, 409, { code: 'idempotency-key-reused' });
    const repeat = await withoutNewEvents(undefined, () => post('/zones', zone));
    expect(repeat.status).toBe(200);
    expect(repeat.body).toEqual(zone);
    const other = await withoutNewEvents(undefined, () => post('/zones', { ...zone, level: 'national' }));
    expectProblem(other, 409, { code: 'zone-exists' });
  });

  it.each([
    ['category', { category: 'mining' }],
    ['level', { level: 'municipal' }],
    ['id', { id: '' }],
    ['cityId', { cityId: 'a b' }],
    ['name', { name: 7 }],
  ])('POST /zones: 400 naming %s, no event', async (field, change) => {
    const response = await withoutNewEvents(undefined, () =>
      post('/zones', { ...zone, id: 'z-bad', ...change }),
    );
    expectProblem(response, 400, { field });
  });

  it('POST /zones: 400 for malformed JSON; 403 for an officer and an auditor', async () => {
    expectProblem(await withoutNewEvents(undefined, () => post('/zones', '{"id":')), 400);
    const body = { ...zone, id: 'z-officer' };
    expectProblem(
      await withoutNewEvents(undefined, () => post('/zones', body, { as: OFFICER_LINFEN_CITY })),
      403,
    );
    expectProblem(await withoutNewEvents(undefined, () => post('/zones', body, { as: AUDITOR })), 403);
  });

  it('POST /rounds: 201 and listed; identical repeat 200; key replay; other details 409', async () => {
    const created = await post('/rounds', round, { headers: { 'Idempotency-Key': 'round-key' } }).expect(201);
    expect(created.body).toEqual(round);
    expect((await get('/rounds').expect(200)).body).toContainEqual(round);
    const replay = await withoutNewEvents(undefined, () =>
      post('/rounds', round, { headers: { 'Idempotency-Key': 'round-key' } }),
    );
    expect(replay.status).toBe(201);
    expect(replay.body).toEqual(round);
    const reused = await withoutNewEvents(undefined, () =>
      post('/rounds', { ...round, heldOn: '2023-09-01' }, { headers: { 'Idempotency-Key': 'round-key' } }),
    );
    expectProblem(reused, 409, { code: 'idempotency-key-reused' });
    expect((await withoutNewEvents(undefined, () => post('/rounds', round))).status).toBe(200);
    const other = await withoutNewEvents(undefined, () =>
      post('/rounds', { ...round, heldOn: '2023-09-01' }),
    );
    expectProblem(other, 409, { code: 'round-exists' });
  });

  it.each([
    ['heldOn', { heldOn: '2023-02-29' }],
    ['heldOn', { heldOn: 20230831 }],
    ['mainVenueZoneId', { mainVenueZoneId: 'no-such-zone' }],
    ['id', { id: '-r' }],
  ])('POST /rounds: 400 naming %s, no event', async (field, change) => {
    const response = await withoutNewEvents(undefined, () =>
      post('/rounds', { ...round, id: 'r-bad', ...change }),
    );
    expectProblem(response, 400, { field });
  });

  it('POST /rounds: 400 for malformed JSON; 403 for an officer and an auditor', async () => {
    expectProblem(await withoutNewEvents(undefined, () => post('/rounds', '{')), 400);
    const body = { ...round, id: 'r-officer' };
    expectProblem(
      await withoutNewEvents(undefined, () => post('/rounds', body, { as: OFFICER_JINZHONG_ZONE })),
      403,
    );
    expectProblem(await withoutNewEvents(undefined, () => post('/rounds', body, { as: AUDITOR })), 403);
  });
});

describe('401: no token, a bad signature, an expired token — on every endpoint', () => {
  const officer: Claims = { role: 'admin', sub: 'admin-1' };
  const badTokens: [string, () => string | undefined][] = [
    ['no token', () => undefined],
    [
      'a token signed with another secret',
      () => `Bearer ${mintToken(officer, { secret: `${TEST_SECRET}-not` })}`,
    ],
    ['an expired token', () => `Bearer ${mintToken(officer, { expiresInSeconds: -60 })}`],
    ['a token with an unknown role', () => `Bearer ${mintToken({ role: 'superuser' as 'admin' })}`],
    ['a malformed token', () => 'Bearer not.a.jwt'],
    ['a Basic credential', () => 'Basic YWRtaW46YWRtaW4='],
  ];
  const writes: [string, () => Promise<[string, object]>][] = [
    [
      'POST /zones',
      async () => [
        '/zones',
        { id: 'z-401', name: 'z', cityId: 'c', category: 'industrial', level: 'national' },
      ],
    ],
    ['POST /rounds', async () => ['/rounds', { id: 'r-401', heldOn: '2023-08-31' }]],
    ['POST /projects', async () => ['/projects', signBody('p-401')]],
    ...PROJECT_WRITES.map((endpoint): [string, () => Promise<[string, object]>] => [
      `POST ${endpoint.name}`,
      async () => {
        const id = await freshProject();
        await endpoint.prepare?.(id);
        return [endpoint.path(id), endpoint.body];
      },
    ]),
  ];

  describe.each(badTokens)('with %s', (_label, authorization) => {
    it.each(writes)('%s → 401 problem+json with WWW-Authenticate, no event', async (_name, setup) => {
      const [path, body] = await setup();
      const auth = authorization();
      const response = await withoutNewEvents(undefined, () =>
        auth === undefined ? post(path, body, { as: null }) : post(path, body, { auth }),
      );
      expectProblem(response, 401);
      expect(response.headers['www-authenticate']).toBe('Bearer');
    });

    it.each(['/projects/p-1', '/projects/p-1/history', '/projects/p-1?asOf=2023-06-01', '/zones', '/rounds'])(
      'GET %s → 401',
      async (path) => {
        const auth = authorization();
        const response = auth === undefined ? await get(path, { as: null }) : await get(path, { auth });
        expectProblem(response, 401);
      },
    );
  });

  it('health stays open, saying only up without a token and the details with one', async () => {
    expect((await api.http.get('/api/v1/health').expect(200)).body).toEqual({ status: 'up' });
    const detailed = await api.http
      .get('/api/v1/health')
      .set('Authorization', api.bearer(AUDITOR))
      .expect(200);
    expect(detailed.body).toMatchObject({ status: 'ok', headPosition: expect.any(Number) });
    expectProblem(await api.http.get('/api/v1/health').set('Authorization', 'Bearer not-a-token'), 401);
  });
});

describe('reads: GET /projects/{id} (asOf, knownAt) and /history', () => {
  const id = 'bitemporal-1';
  const T1 = '2023-11-01T03:00:00.000Z';
  const T2 = '2023-11-01T04:00:00.000Z';
  const T3 = '2023-11-01T05:00:00.000Z';

  beforeAll(async () => {
    clock.set(T1);
    await post('/projects', signBody(id)).expect(201);
    await post(`/projects/${id}/listings`, { roundId: '2023-r1', batch: 'signing' }).expect(201);
    clock.set(T2);
    // a late report: construction started in May, recorded at T2
    await recordMilestone(id, 'construction-started', '2023-05-01');
    clock.set(T3);
    await post(`/projects/${id}/milestones/construction-started/correction`, {
      occurredOn: '2023-05-10',
      reason: '台账录入错误',
    }).expect(201);
    clock.set('2023-11-01T06:00:00.000Z');
  });

  it('now: everything known, with revision and ETag', async () => {
    const response = await get(`/projects/${id}`).expect(200);
    expect(response.headers.etag).toBe('"3"');
    expect(response.body).toMatchObject({
      projectId: id,
      stage: 'construction-started',
      milestones: { 'construction-started': '2023-05-10' },
      listings: [{ roundId: '2023-r1', heldOn: '2023-02-22', batch: 'signing' }],
      revision: 3,
    });
    expect(response.body.asOf).toBeUndefined();
    expect(response.body.knownAt).toBeUndefined();
  });

  it('knownAt hides facts recorded later', async () => {
    const atT1 = await get(`/projects/${id}?knownAt=2023-11-01T03:30:00Z`).expect(200);
    expect(atT1.body).toMatchObject({
      stage: 'signed',
      milestones: {},
      revision: 1,
      knownAt: '2023-11-01T03:30:00.000Z',
    });
    expect(atT1.headers.etag).toBe('"1"');
    const atT2 = await get(`/projects/${id}?knownAt=${T2}`).expect(200);
    expect(atT2.body).toMatchObject({
      stage: 'construction-started',
      milestones: { 'construction-started': '2023-05-01' },
      revision: 2,
    });
    // an offset instant: 12:30 at +08:00 is 04:30Z, after T2 and before T3
    const offset = await get(
      `/projects/${id}?knownAt=${encodeURIComponent('2023-11-01T12:30:00+08:00')}`,
    ).expect(200);
    expect(offset.body).toMatchObject({ milestones: { 'construction-started': '2023-05-01' }, revision: 2 });
    const before = await get(`/projects/${id}?knownAt=2023-11-01T02:59:59.999Z`);
    expectProblem(before, 404, { code: 'project-not-found' });
  });

  it('asOf leaves out what happened later; with knownAt both axes apply', async () => {
    const april = await get(`/projects/${id}?asOf=2023-04-30`).expect(200);
    expect(april.body).toMatchObject({ stage: 'signed', milestones: {}, asOf: '2023-04-30' });
    const may5 = await get(`/projects/${id}?asOf=2023-05-05`).expect(200);
    expect(may5.body.milestones).toEqual({});
    const may5known2 = await get(`/projects/${id}?asOf=2023-05-05&knownAt=${T2}`).expect(200);
    expect(may5known2.body).toMatchObject({
      milestones: { 'construction-started': '2023-05-01' },
      revision: 2,
    });
    const beforeSigning = await get(`/projects/${id}?asOf=2023-02-21`);
    expectProblem(beforeSigning, 404, { code: 'project-not-found' });
  });

  it.each([
    ['asOf', 'asOf=2023-02-30'],
    ['asOf', 'asOf=yesterday'],
    ['knownAt', 'knownAt=2023-11-01'],
    ['knownAt', 'knownAt=2023-13-01T00:00:00Z'],
    ['extra', 'extra=1'],
  ])('400 naming %s for ?%s', async (field, query) => {
    const response = await get(`/projects/${id}?${query}`);
    expectProblem(response, 400, { field });
  });

  it('history: every event with who, when, source and reason', async () => {
    const response = await get(`/projects/${id}/history`, { as: OFFICER_LINFEN_CITY }).expect(200);
    expect(response.body.projectId).toBe(id);
    const events = response.body.events as {
      type: string;
      revision: number;
      metadata: Record<string, unknown>;
    }[];
    expect(events.map((event) => [event.revision, event.type, event.metadata.recordedAt])).toEqual([
      [0, 'ProjectSigned', T1],
      [1, 'ProjectListed', T1],
      [2, 'ConstructionStarted', T2],
      [3, 'MilestoneDateCorrected', T3],
    ]);
    expect(events[3]).toMatchObject({
      data: {
        projectId: id,
        milestone: 'construction-started',
        occurredOn: '2023-05-10',
        previousOccurredOn: '2023-05-01',
      },
      metadata: { recordedBy: 'admin-1', role: 'admin', source: { kind: 'api' }, reason: '台账录入错误' },
    });
  });

  it('404 for an unknown project; 400 for an invalid project id', async () => {
    expectProblem(await get('/projects/nobody'), 404, { code: 'project-not-found' });
    expectProblem(await get('/projects/nobody/history'), 404, { code: 'project-not-found' });
    expectProblem(await get('/projects/-dash'), 400, { field: 'projectId' });
    expectProblem(await get('/projects/-dash/history'), 400, { field: 'projectId' });
  });
});

describe('409 on a terminated project (terminated on 2023-03-01)', () => {
  const cases: [string, (id: string) => string, object, string][] = [
    [
      'listings',
      (id) => `/projects/${id}/listings`,
      { roundId: '2023-r2', batch: 'signing' },
      'project-terminated',
    ],
    [
      'milestones',
      (id) => `/projects/${id}/milestones`,
      { milestone: 'construction-started', occurredOn: '2023-05-01' },
      'project-terminated',
    ],
    [
      'investment-progress',
      (id) => `/projects/${id}/investment-progress`,
      { month: '2023-04', completedInvestmentWan: 1 },
      'project-terminated',
    ],
    [
      'termination',
      (id) => `/projects/${id}/termination`,
      { occurredOn: '2023-03-02', reason: '再次终止' },
      'project-terminated',
    ],
    [
      'milestones/signed/correction',
      (id) => `/projects/${id}/milestones/signed/correction`,
      { occurredOn: '2023-03-05', reason: 'after the termination' },
      'milestone-out-of-order',
    ],
  ];

  it.each(cases)(
    'POST %s → 409 with its code; a keyed retry answers the same 409; no event',
    async (_name, path, body, code) => {
      const id = await freshProject();
      await post(`/projects/${id}/termination`, { occurredOn: '2023-03-01', reason: '企业退出' }).expect(201);
      const headers = { 'Idempotency-Key': `terminated-${id}` };
      const first = await withoutNewEvents(id, () => post(path(id), body, { headers }));
      expectProblem(first, 409, { code });
      const retry = await withoutNewEvents(id, () => post(path(id), body, { headers }));
      expectProblem(retry, 409, { code });
      expect(retry.body).toEqual(first.body);
      const project = await get(`/projects/${id}`).expect(200);
      expect(project.body).toMatchObject({ termination: { occurredOn: '2023-03-01' }, revision: 1 });
    },
  );
});
