import fc from 'fast-check';
import {
  ADMIN,
  AUDITOR,
  Claims,
  ManualClock,
  RunningApi,
  TEST_SECRET,
  headPosition,
  mintToken,
  seedReference,
  startApi,
} from './support/api-harness';

/**
 * Random and malformed requests to every write endpoint: whatever the body, headers, token
 * and path, the API never answers 5xx, every error is problem+json with a matching `status`,
 * and no rejected (4xx) request appends an event (the store's head position is read from
 * /api/v1/health after every request; requests run one at a time).
 *
 * FUZZ_RUNS (default 200) sets the requests per endpoint; FUZZ_SEED replays a failing run.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 200);
const SEED = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);

const clock = new ManualClock(new Date('2023-11-01T02:00:00Z'));
let api: RunningApi;
/** The store's head position after the last request. */
let head = 0;

// ---- tokens ---------------------------------------------------------------------------

const TOKEN_KINDS = [
  'admin',
  'officer-of-zone',
  'officer-of-city',
  'officer-elsewhere',
  'auditor',
  'none',
  'expired',
  'bad-signature',
  'wrong-algorithm',
  'garbage',
  'unknown-role',
  'zones-not-a-list',
] as const;
type TokenKind = (typeof TOKEN_KINDS)[number];

function authorization(kind: TokenKind): string | undefined {
  const officer = (claims: Partial<Claims>): Claims => ({ role: 'officer', ...claims });
  switch (kind) {
    case 'admin':
      return api.bearer(ADMIN);
    case 'officer-of-zone':
      return api.bearer(officer({ sub: 'fz-officer-1', zones: ['jinzhong-kfq'] }));
    case 'officer-of-city':
      return api.bearer(officer({ sub: 'fz-officer-2', cities: ['linfen'] }));
    case 'officer-elsewhere':
      return api.bearer(officer({ sub: 'fz-officer-3', zones: ['nowhere'], cities: ['atlantis'] }));
    case 'auditor':
      return api.bearer(AUDITOR);
    case 'none':
      return undefined;
    case 'expired':
      return `Bearer ${mintToken(ADMIN, { expiresInSeconds: -5 })}`;
    case 'bad-signature':
      return `Bearer ${mintToken(ADMIN, { secret: `x${TEST_SECRET}` })}`;
    case 'wrong-algorithm':
      return `Bearer ${mintToken(ADMIN, { algorithm: 'HS384' })}`;
    case 'garbage':
      return 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.';
    case 'unknown-role':
      return `Bearer ${mintToken({ role: 'root' as 'admin' })}`;
    case 'zones-not-a-list':
      return `Bearer ${mintToken({ role: 'officer', zones: 'jinzhong-kfq' as unknown as string[] })}`;
  }
}

// ---- values ---------------------------------------------------------------------------

const EXISTING_PROJECTS = ['fz-jz', 'fz-lf', 'fz-done'];
const dayIn = (min: string, max: string) =>
  fc
    .date({ min: new Date(`${min}T00:00:00Z`), max: new Date(`${max}T00:00:00Z`), noInvalidDate: true })
    .map((date) => date.toISOString().slice(0, 10));
/** Mostly around the seeded facts (2023), sometimes anywhere, plus impossible days. */
const dateArb = fc.oneof(
  { weight: 4, arbitrary: dayIn('2023-01-01', '2023-11-03') },
  { weight: 1, arbitrary: dayIn('1899-12-25', '2024-01-05') },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '2023-02-22',
      '2023-05-29',
      '2023-11-01',
      '2023-11-02',
      '2023-02-29',
      '9999-12-31',
    ),
  },
);
const monthArb = fc.oneof(
  dateArb.map((date) => date.slice(0, 7)),
  fc.constantFrom('2023-00', '2023-13', '2023-1', '2023-11', '2023-12'),
);
const idArb = fc.oneof(
  fc.constantFrom('jinzhong-kfq', 'linfen-kfq', '2023-r1', '2023-r2', ...EXISTING_PROJECTS),
  fc.stringMatching(/^[a-z0-9][a-z0-9._-]{0,12}$/),
);
const textArb = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 });
const wanArb = fc.oneof(
  fc.integer({ min: 0, max: 2_000_000_000 }),
  fc.constantFrom(0, 1, 470300, 1_000_000_000, 1_000_000_001),
);

/** Wrong types, huge and fractional numbers, NaN-like strings, arrays, nulls, nesting, unicode. */
const nastyArb: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double(),
  fc.constantFrom(
    1e308,
    -1e308,
    2 ** 53,
    2 ** 53 + 2,
    Number.MAX_SAFE_INTEGER,
    -0,
    0.1 + 0.2,
    470300.5,
    1e21,
  ),
  fc.constantFrom(
    'NaN',
    'Infinity',
    '-Infinity',
    '1e400',
    '0x10',
    '470300',
    ' 470300 ',
    '',
    ' ',
    '\u0000',
    '2023-02-30',
    '2023-2-3',
    '2023-11-01T00:00:00Z',
    '__proto__',
    'constructor',
    '../../etc/passwd',
    '<script>alert(1)</script>',
    "'; DROP TABLE events;--",
    '💥'.repeat(50),
    '\ud800',
    'x'.repeat(5000),
  ),
  fc.string({ unit: 'grapheme', maxLength: 60 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 5 }),
  fc.jsonValue({ maxDepth: 3 }),
  fc.dictionary(fc.string({ maxLength: 10 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 4 }),
);

/** A valid shape for each field, to reach the domain's rules as well as the validators. */
type Template = Record<string, fc.Arbitrary<unknown>>;

const TEMPLATES: Record<string, Template> = {
  zone: {
    id: idArb,
    name: textArb,
    cityId: fc.constantFrom('jinzhong', 'linfen', 'new-city'),
    category: fc.constantFrom('industrial', 'agricultural', 'cultural-tourism', 'mining'),
    level: fc.constantFrom('national', 'provincial', 'county'),
  },
  round: {
    id: idArb,
    heldOn: dateArb,
    mainVenueZoneId: fc.constantFrom('jinzhong-kfq', 'linfen-kfq', 'no-such-zone'),
    name: textArb,
  },
  sign: {
    projectId: idArb,
    name: textArb,
    enterprise: textArb,
    zoneId: fc.constantFrom('jinzhong-kfq', 'jiexiu-jkq', 'linfen-kfq', 'no-such-zone'),
    totalInvestmentWan: wanArb,
    industrial: fc.boolean(),
    strategicEmerging: fc.boolean(),
    industryChain: textArb,
    signedOn: dateArb,
    plannedStartOn: dateArb,
    plannedProductionOn: dateArb,
  },
  listing: {
    roundId: fc.constantFrom('2023-r1', '2023-r2', 'no-such-round'),
    batch: fc.constantFrom('signing', 'construction', 'production', 'demolition'),
  },
  milestone: {
    milestone: fc.constantFrom(
      'construction-started',
      'statistics-entered',
      'production-started',
      'attained',
      'enterprise-above-scale',
      'signed',
      'CONSTRUCTION-STARTED',
    ),
    occurredOn: dateArb,
  },
  correction: { occurredOn: dateArb, reason: textArb },
  reason: { reason: textArb },
  progress: { month: monthArb, completedInvestmentWan: wanArb },
  amendment: {
    reason: textArb,
    name: textArb,
    enterprise: textArb,
    totalInvestmentWan: wanArb,
    industrial: fc.boolean(),
    strategicEmerging: fc.boolean(),
    industryChain: textArb,
    plannedStartOn: dateArb,
    plannedProductionOn: dateArb,
  },
};

/** A body with every field valid-looking (optional ones sometimes left out). */
function validBody(template: Template): fc.Arbitrary<Record<string, unknown>> {
  const fields = Object.entries(template).map(([name, valid]) =>
    fc.option(valid, { freq: 8 }).map((value) => [name, value] as const),
  );
  return fc.tuple(...fields).map((chosen) => {
    const body: Record<string, unknown> = {};
    for (const [name, value] of chosen) if (value !== null) body[name] = value;
    return body;
  });
}

/** A few mutations of a valid body: a field made nasty, dropped, or a random extra field. */
const mutationArb = fc.oneof(
  fc.record({ kind: fc.constant('nasty' as const), index: fc.nat(), value: nastyArb }),
  fc.record({ kind: fc.constant('drop' as const), index: fc.nat() }),
  fc.record({ kind: fc.constant('extra' as const), name: fc.string({ maxLength: 12 }), value: nastyArb }),
);

function mutatedBody(template: Template): fc.Arbitrary<Record<string, unknown>> {
  const names = Object.keys(template);
  return fc.tuple(validBody(template), fc.array(mutationArb, { maxLength: 3 })).map(([body, mutations]) => {
    const result: Record<string, unknown> = { ...body };
    for (const mutation of mutations) {
      if (mutation.kind === 'extra') {
        // defineProperty: a "__proto__" name must become a field, not the prototype
        Object.defineProperty(result, mutation.name, {
          value: mutation.value,
          enumerable: true,
          writable: true,
        });
      } else {
        const name = names[mutation.index % names.length];
        if (mutation.kind === 'drop') delete result[name];
        else result[name] = mutation.value;
      }
    }
    return result;
  });
}

interface RawBody {
  text: string;
  contentType: string;
}

function bodyArb(template: Template): fc.Arbitrary<RawBody> {
  const json = (value: unknown): RawBody => ({
    text: JSON.stringify(value) ?? 'null',
    contentType: 'application/json',
  });
  return fc.oneof(
    { weight: 6, arbitrary: validBody(template).map(json) },
    { weight: 6, arbitrary: mutatedBody(template).map(json) },
    { weight: 2, arbitrary: fc.jsonValue().map(json) },
    {
      weight: 1,
      arbitrary: mutatedBody(template).chain((body) =>
        fc.nat({ max: Math.max(0, JSON.stringify(body).length - 1) }).map((cut) => ({
          text: JSON.stringify(body).slice(0, cut),
          contentType: 'application/json',
        })),
      ),
    },
    {
      weight: 1,
      arbitrary: fc.string({ maxLength: 50 }).map((text) => ({ text, contentType: 'application/json' })),
    },
    {
      weight: 1,
      arbitrary: fc.integer({ min: 20, max: 20000 }).map((depth) => ({
        text: `{"reason":"x","a":${'['.repeat(depth)}${']'.repeat(depth)}}`,
        contentType: 'application/json',
      })),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom<RawBody>(
        { text: '{"a":1}{"b":2}', contentType: 'application/json' },
        { text: `{"reason":"${'x'.repeat(150_000)}"}`, contentType: 'application/json' },
        { text: 'reason=x&occurredOn=2023-05-01', contentType: 'application/x-www-form-urlencoded' },
        { text: 'a[b][c][d]=1&reason[]=x', contentType: 'application/x-www-form-urlencoded' },
        { text: '{"reason":"x"}', contentType: 'text/plain' },
        { text: '{"reason":"x"}', contentType: 'application/json; charset=latin-9' },
        { text: '<xml/>', contentType: 'application/xml' },
        { text: '', contentType: 'application/json' },
        { text: '{"__proto__":{"admin":true},"reason":"x"}', contentType: 'application/json' },
        { text: '{"constructor":{"prototype":{"x":1}},"reason":"x"}', contentType: 'application/json' },
      ),
    },
  );
}

/** Header values Node's HTTP client accepts (visible ASCII and Latin-1), valid or not for the API. */
/** `null` (header absent) with the given weight against `present`. */
const sometimes = <T>(absentWeight: number, present: fc.Arbitrary<T>) =>
  fc.oneof(
    { weight: absentWeight, arbitrary: fc.constant(null) },
    { weight: 10 - absentWeight, arbitrary: present },
  );

const idempotencyKeyArb = sometimes(
  7,
  fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom('k-1', 'k-2', 'k-3') },
    { weight: 2, arbitrary: fc.stringMatching(/^[\x21-\x7e]{1,24}$/) },
    { weight: 1, arbitrary: fc.constantFrom('', ' ', 'a b', 'k'.repeat(201), 'clé', '\t') },
  ),
);
const ifMatchArb = sometimes(
  8,
  fc.oneof(
    { weight: 4, arbitrary: fc.integer({ min: -3, max: 40 }).map((n) => `"${n}"`) },
    { weight: 1, arbitrary: fc.integer({ min: -3, max: 40 }).map(String) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        '*',
        'W/"1"',
        '"1e3"',
        'abc',
        '""',
        '"99999999999999999999"',
        '"0", "1"',
        '"-1"',
      ),
    },
    { weight: 1, arbitrary: fc.stringMatching(/^[\x20-\x7e]{0,20}$/) },
  ),
);
const projectIdArb = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...EXISTING_PROJECTS).map(encodeURIComponent) },
  { weight: 1, arbitrary: fc.constant('unknown-project') },
  {
    weight: 2,
    arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 90 }).map(encodeURIComponent),
  },
  { weight: 1, arbitrary: fc.constantFrom('-bad', 'a'.repeat(81), '%ZZ', '%00', '..', '项目', '%E9%A1') },
);
const milestoneSegmentArb = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.constantFrom(
      'signed',
      'construction-started',
      'statistics-entered',
      'production-started',
      'attained',
      'enterprise-above-scale',
    ),
  },
  {
    weight: 1,
    arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }).map(encodeURIComponent),
  },
  { weight: 1, arbitrary: fc.constantFrom('SIGNED', '%ZZ', 'constructor', '__proto__', 'toString') },
);

// ---- endpoints ------------------------------------------------------------------------

interface Endpoint {
  name: string;
  path: fc.Arbitrary<string>;
  template: Template;
}

const projectPath = (suffix: string) => projectIdArb.map((id) => `/api/v1/projects/${id}${suffix}`);
const milestonePath = (action: string) =>
  fc
    .tuple(projectIdArb, milestoneSegmentArb)
    .map(([id, milestone]) => `/api/v1/projects/${id}/milestones/${milestone}/${action}`);

const ENDPOINTS: Endpoint[] = [
  { name: 'POST /zones', path: fc.constant('/api/v1/zones'), template: TEMPLATES.zone },
  { name: 'POST /rounds', path: fc.constant('/api/v1/rounds'), template: TEMPLATES.round },
  { name: 'POST /projects', path: fc.constant('/api/v1/projects'), template: TEMPLATES.sign },
  { name: 'POST /projects/{id}/listings', path: projectPath('/listings'), template: TEMPLATES.listing },
  { name: 'POST /projects/{id}/milestones', path: projectPath('/milestones'), template: TEMPLATES.milestone },
  {
    name: 'POST /projects/{id}/milestones/{m}/correction',
    path: milestonePath('correction'),
    template: TEMPLATES.correction,
  },
  {
    name: 'POST /projects/{id}/milestones/{m}/retraction',
    path: milestonePath('retraction'),
    template: TEMPLATES.reason,
  },
  {
    name: 'POST /projects/{id}/investment-progress',
    path: projectPath('/investment-progress'),
    template: TEMPLATES.progress,
  },
  { name: 'POST /projects/{id}/amendments', path: projectPath('/amendments'), template: TEMPLATES.amendment },
  {
    name: 'POST /projects/{id}/termination',
    path: projectPath('/termination'),
    template: TEMPLATES.correction,
  },
];

interface FuzzRequest {
  path: string;
  body: RawBody;
  token: TokenKind;
  idempotencyKey: string | null;
  ifMatch: string | null;
}

function requestArb(endpoint: Endpoint): fc.Arbitrary<FuzzRequest> {
  return fc.record({
    path: endpoint.path,
    body: bodyArb(endpoint.template),
    token: fc.oneof(
      { weight: 8, arbitrary: fc.constant<TokenKind>('admin') },
      { weight: 4, arbitrary: fc.constantFrom<TokenKind>('officer-of-zone', 'officer-of-city') },
      { weight: 4, arbitrary: fc.constantFrom(...TOKEN_KINDS) },
    ),
    idempotencyKey: idempotencyKeyArb,
    ifMatch: ifMatchArb,
  });
}

/** Sends one request and checks the invariants; returns the status. */
async function exercise(request: FuzzRequest): Promise<number> {
  let req = api.http.post(request.path).set('Content-Type', request.body.contentType);
  const auth = authorization(request.token);
  if (auth !== undefined) req = req.set('Authorization', auth);
  if (request.idempotencyKey !== null) req = req.set('Idempotency-Key', request.idempotencyKey);
  if (request.ifMatch !== null) req = req.set('If-Match', request.ifMatch);
  const response = await req.send(request.body.text);
  const after = await headPosition(api);
  const before = head;
  head = after;

  expect(response.status).toBeGreaterThanOrEqual(200);
  expect(response.status).toBeLessThan(500);
  if (response.status >= 400) {
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({ status: response.status, title: expect.any(String) });
    expect(typeof response.body.detail).toBe('string');
    if (response.body.errors !== undefined) {
      expect(Array.isArray(response.body.errors)).toBe(true);
      for (const error of response.body.errors)
        expect(error).toEqual({ field: expect.any(String), message: expect.any(String) });
    }
    // a rejected request appends nothing
    expect(after).toBe(before);
  } else {
    expect([200, 201]).toContain(response.status);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    // 200: it repeated known facts; 201: recorded (or replayed a keyed request)
    if (response.status === 200) expect(after).toBe(before);
    else expect(after).toBeGreaterThanOrEqual(before);
    if (request.path.startsWith('/api/v1/projects')) {
      const { warnings, ...written } = response.body;
      expect(written).toEqual({ projectId: expect.any(String), revision: expect.any(Number) });
      // plausibility and duplicate warnings come with an accepted write, never instead of it
      for (const warning of warnings ?? []) {
        expect(warning).toMatchObject({ code: expect.any(String), message: expect.any(String) });
      }
      expect(response.headers.etag).toBe(`"${response.body.revision}"`);
    }
  }
  return response.status;
}

beforeAll(async () => {
  api = await startApi({ clock });
  await seedReference(api);
  const admin = api.bearer(ADMIN);
  const post = (path: string, body: object) =>
    api.http.post(`/api/v1${path}`).set('Authorization', admin).send(body).expect(201);
  for (const [projectId, zoneId] of [
    ['fz-jz', 'jinzhong-kfq'],
    ['fz-lf', 'linfen-kfq'],
    ['fz-done', 'jinzhong-kfq'],
  ]) {
    await post('/projects', {
      projectId,
      name: projectId,
      enterprise: '某公司',
      zoneId,
      totalInvestmentWan: 100000,
      industrial: true,
      signedOn: '2023-02-22',
    });
    await post(`/projects/${projectId}/listings`, { roundId: '2023-r1', batch: 'signing' });
    await post(`/projects/${projectId}/milestones`, {
      milestone: 'construction-started',
      occurredOn: '2023-04-01',
    });
  }
  await post('/projects/fz-done/milestones', { milestone: 'production-started', occurredOn: '2023-06-01' });
  await post('/projects/fz-done/termination', { occurredOn: '2023-09-01', reason: '企业退出' });
  head = await headPosition(api);
});

afterAll(() => api.close());

describe('fuzzing every write endpoint', () => {
  const seen = new Map<string, Map<number, number>>();

  it.each(ENDPOINTS.map((endpoint) => [endpoint.name, endpoint] as const))(
    '%s: never a 5xx, problem+json errors, no event from a rejected request',
    async (name, endpoint) => {
      const statuses = new Map<number, number>();
      seen.set(name, statuses);
      await fc.assert(
        fc.asyncProperty(requestArb(endpoint), async (request) => {
          const status = await exercise(request);
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
        }),
        { numRuns: RUNS, seed: SEED },
      );
      // the run reached past the guards: validation, auth and lifecycle answers all occurred
      expect(statuses.get(400)).toBeGreaterThan(0);
      expect(statuses.get(401)).toBeGreaterThan(0);
    },
    120_000,
  );

  afterAll(() => {
    if (process.env.FUZZ_VERBOSE)
      for (const [name, statuses] of seen)
        console.log(name, Object.fromEntries([...statuses].sort(([a], [b]) => a - b)));
  });
});
