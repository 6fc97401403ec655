import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { INestApplication } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { DestinationStream } from 'pino';
import request from 'supertest';
import { TrackerConfig, loadConfig } from '@app/config';
import { EventStore, PostgresEventStore } from '@app/event-store';
import { createApp } from '../../apps/api/src/bootstrap';
import { Clock } from '@app/application';
import { apiStoreEnvironment } from './postgres';

export const TEST_SECRET = 'e2e-test-secret-that-is-long-enough-0123456789';

export interface Claims {
  sub?: string;
  role: 'officer' | 'auditor' | 'admin';
  zones?: string[];
  cities?: string[];
}

export interface RunningApi {
  app: INestApplication;
  config: TrackerConfig;
  url: string;
  /** supertest bound to the API over real HTTP on a loopback port. */
  http: ReturnType<typeof request>;
  token(claims: Claims): string;
  /** `Authorization` header value for the claims. */
  bearer(claims: Claims): string;
  close(): Promise<void>;
}

/**
 * Starts the real application (same bootstrap as `npm start`) on a fresh SQLite file, or on a
 * PostgreSQL database under TEST_EVENT_STORE=postgres (the jest project `e2e-postgres`).
 */
export async function startApi(
  options: {
    dataDir?: string;
    clock?: Clock;
    keepData?: boolean;
    /** Environment beyond the harness's own (LOG_LEVEL, METRICS_TOKEN, ...). */
    env?: NodeJS.ProcessEnv;
    /** Where the API's log lines go (default: stdout, errors only). */
    logDestination?: DestinationStream;
  } = {},
): Promise<RunningApi> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'plt-e2e-'));
  const config = loadConfig({
    DATA_DIR: dataDir,
    PORT: '0',
    AUTH_JWT_SECRET: TEST_SECRET,
    NODE_ENV: 'test',
    ...(await apiStoreEnvironment(dataDir)),
    // Errors only, as Nest's logger printed before: the suites' output stays readable.
    LOG_LEVEL: 'error',
    // The suites send hundreds of requests as one caller: no rate limits unless a suite sets them.
    RATE_LIMIT_PER_MINUTE: '0',
    RATE_LIMIT_EXPENSIVE_PER_MINUTE: '0',
    // A worker thread would transpile the sources at every start; api-hardening runs it.
    HEAVY_READS: 'inline',
    ...options.env,
  });
  const app = await createApp(config, { clock: options.clock, logDestination: options.logDestination });
  if (config.eventStore === 'postgres' && !(app.get(EventStore) instanceof PostgresEventStore)) {
    throw new Error('EVENT_STORE=postgres, but the API did not open the PostgreSQL store');
  }
  await app.listen(0, '127.0.0.1');
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  const jwt = new JwtService({ secret: TEST_SECRET });
  const token = (claims: Claims) =>
    jwt.sign(
      { role: claims.role, zones: claims.zones ?? [], cities: claims.cities ?? [] },
      { subject: claims.sub ?? `${claims.role}-1`, algorithm: 'HS256', expiresIn: '1h' },
    );
  return {
    app,
    config,
    url,
    http: request(url),
    token,
    bearer: (claims) => `Bearer ${token(claims)}`,
    close: async () => {
      await app.close();
      if (!options.dataDir && !options.keepData) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A clock the test moves by hand, for bitemporal scenarios. */
export class ManualClock extends Clock {
  constructor(private current: Date) {
    super();
  }

  now(): Date {
    return new Date(this.current);
  }

  set(instant: string | Date): void {
    this.current = new Date(instant);
  }

  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

export const ADMIN: Claims = { role: 'admin', sub: 'admin-1' };
export const AUDITOR: Claims = { role: 'auditor', sub: 'auditor-1' };

/** Registers a small province: two cities, three zones, two rounds. */
export async function seedReference(api: RunningApi): Promise<void> {
  const admin = api.bearer(ADMIN);
  const zones = [
    { id: 'jinzhong-kfq', name: '晋中开发区', cityId: 'jinzhong', category: 'industrial', level: 'national' },
    { id: 'jiexiu-jkq', name: '介休经开区', cityId: 'jinzhong', category: 'industrial', level: 'provincial' },
    { id: 'linfen-kfq', name: '临汾开发区', cityId: 'linfen', category: 'industrial', level: 'provincial' },
  ];
  for (const zone of zones)
    await api.http.post('/api/v1/zones').set('Authorization', admin).send(zone).expect(201);
  const rounds = [
    { id: '2023-r1', heldOn: '2023-02-22', mainVenueZoneId: 'jinzhong-kfq' },
    { id: '2023-r2', heldOn: '2023-05-29' },
  ];
  for (const round of rounds)
    await api.http.post('/api/v1/rounds').set('Authorization', admin).send(round).expect(201);
}

/**
 * Mints a bearer token outside a running API, e.g. signed with the wrong secret or already
 * expired. `expiresInSeconds` may be negative (an expired token).
 */
export function mintToken(
  claims: Claims,
  options: { secret?: string; expiresInSeconds?: number; algorithm?: 'HS256' | 'HS384' } = {},
): string {
  const now = Math.floor(Date.now() / 1000);
  const expiresIn = options.expiresInSeconds ?? 3600;
  return new JwtService({ secret: options.secret ?? TEST_SECRET }).sign(
    {
      role: claims.role,
      zones: claims.zones ?? [],
      cities: claims.cities ?? [],
      iat: Math.min(now, now + expiresIn - 60),
      exp: now + expiresIn,
    },
    { subject: claims.sub ?? `${claims.role}-1`, algorithm: options.algorithm ?? 'HS256' },
  );
}

/** Global position of the last event in the store (from the open health endpoint). */
export async function headPosition(api: RunningApi): Promise<number> {
  const response = await api.http.get('/api/v1/health').set('Authorization', api.bearer(ADMIN)).expect(200);
  return response.body.headPosition as number;
}

/** Types of the events in a project's stream, in order ([] when the project is unknown). */
export async function historyTypes(api: RunningApi, projectId: string): Promise<string[]> {
  const response = await api.http
    .get(`/api/v1/projects/${encodeURIComponent(projectId)}/history`)
    .set('Authorization', api.bearer(ADMIN));
  if (response.status === 404) return [];
  expect(response.status).toBe(200);
  return (response.body.events as { type: string }[]).map((event) => event.type);
}

/**
 * Asserts an RFC 9457 problem: content type, matching `status`, a title and a detail, and
 * optionally its `code` and a field named in `errors`.
 */
export function expectProblem(
  response: { status: number; headers: Record<string, string>; body: Record<string, unknown> },
  status: number,
  expected: { code?: string; field?: string; first?: 'zh' | 'en' } = {},
): void {
  expect({ status: response.status, body: response.body }).toMatchObject({ status, body: { status } });
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(typeof response.body.title).toBe('string');
  expect(typeof response.body.detail).toBe('string');
  expectBilingual(response, expected.first ?? 'zh');
  if (expected.code !== undefined) expect(response.body.code).toBe(expected.code);
  if (expected.field !== undefined) {
    const errors = response.body.errors as { field: string; message: string }[] | undefined;
    expect(Array.isArray(errors)).toBe(true);
    expect(errors!.map((error) => error.field)).toContain(expected.field);
    for (const error of errors!) expect(typeof error.message).toBe('string');
  }
}

const HAN = /\p{Script=Han}/gu;
const ENGLISH_WORDS = /[A-Za-z]{2,}[,;:]?\s+[A-Za-z]{2,}/;
const ENGLISH_FUNCTION_WORDS = /\b(the|is|are|must|be|not|has|was|an|of|to|for|and|this|cannot|needs)\b/i;

/** Which language a text is in, or null when it is neither clearly Chinese nor clearly English. */
function languageOf(text: string): 'zh' | 'en' | null {
  const han = text.match(HAN)?.length ?? 0;
  if (han >= 2 && !ENGLISH_FUNCTION_WORDS.test(text)) return 'zh';
  if (ENGLISH_WORDS.test(text)) return 'en';
  return null;
}

/** Splits "X / Y" into its Chinese and English halves, in the order written; null if it is not that. */
export function bilingualOrder(text: string): ['zh', 'en'] | ['en', 'zh'] | null {
  const parts = text.split(' / ');
  for (let i = 1; i < parts.length; i++) {
    const [left, right] = [parts.slice(0, i).join(' / '), parts.slice(i).join(' / ')];
    const order = [languageOf(left), languageOf(right)];
    if (order[0] === 'zh' && order[1] === 'en') return ['zh', 'en'];
    if (order[0] === 'en' && order[1] === 'zh') return ['en', 'zh'];
  }
  return null;
}

/** The problem's detail and every field message are in both languages, `first` first. */
export function expectBilingual(response: { body: Record<string, unknown> }, first: 'zh' | 'en'): void {
  const texts = [
    response.body.detail as string,
    ...((response.body.errors as { message: string }[] | undefined) ?? []).map((error) => error.message),
  ];
  const expected = first === 'zh' ? ['zh', 'en'] : ['en', 'zh'];
  for (const text of texts) expect({ text, order: bilingualOrder(text) }).toEqual({ text, order: expected });
}

/**
 * Makes the API's event store yield to the event loop (up to `maxDelayMs`) before every read
 * and append, as a networked store (EventStoreDB) or a second process on the same file would.
 * The embedded store answers synchronously, so without this one HTTP request's
 * read → decide → append never interleaves with another's.
 */
export function addStoreLatency(api: RunningApi, maxDelayMs = 2): void {
  const store = api.app.get<EventStore>(EventStore);
  const delay = () => new Promise((resolve) => setTimeout(resolve, Math.random() * maxDelayMs));
  const readStream = store.readStream.bind(store);
  const append = store.append.bind(store);
  store.readStream = async (...args) => {
    await delay();
    return readStream(...args);
  };
  store.append = async (...args) => {
    await delay();
    return append(...args);
  };
}

/**
 * Three projects signed on 2023-02-22 and listed in 2023-r1's signing batch: `a` (30亿) and
 * `b` (10亿) in 晋中开发区, `c` (60亿) in 临汾开发区. Needs seedReference first.
 */
export async function seedSignedProjects(api: RunningApi): Promise<void> {
  const admin = api.bearer(ADMIN);
  for (const [id, zoneId, wan] of [
    ['a', 'jinzhong-kfq', 300_000],
    ['b', 'jinzhong-kfq', 100_000],
    ['c', 'linfen-kfq', 600_000],
  ] as const) {
    await api.http
      .post('/api/v1/projects')
      .set('Authorization', admin)
      .send({
        projectId: id,
        name: `项目${id}`,
        enterprise: 'e',
        zoneId,
        totalInvestmentWan: wan,
        industrial: true,
        signedOn: '2023-02-22',
      })
      .expect(201);
    await api.http
      .post(`/api/v1/projects/${id}/listings`)
      .set('Authorization', admin)
      .send({ roundId: '2023-r1', batch: 'signing' })
      .expect(201);
  }
}
