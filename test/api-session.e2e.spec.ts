import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import {
  ADMIN,
  ManualClock,
  RunningApi,
  TEST_SECRET,
  expectProblem,
  seedReference,
  startApi,
} from './support/api-harness';

const ROOT = resolve(__dirname, '..');

/** Runs the CLI from source, as `npm run cli` runs it from dist. */
function cli(api: RunningApi, args: string[], stdin: string, dataDirEnv = api.config.dataDir): string {
  return execFileSync(
    'node',
    ['--require', './test/support/register-ts.js', 'apps/cli/src/main.ts', ...args],
    {
      cwd: ROOT,
      env: { ...process.env, DATA_DIR: dataDirEnv, AUTH_JWT_SECRET: TEST_SECRET },
      input: stdin,
      encoding: 'utf8',
    },
  );
}

function sessionCookie(response: { headers: Record<string, unknown> }): string {
  const cookies = (response.headers['set-cookie'] as string[] | undefined) ?? [];
  const session = cookies.find((cookie) => cookie.startsWith('plt_session='));
  if (!session) throw new Error(`no session cookie in ${JSON.stringify(cookies)}`);
  return session.split(';')[0];
}

describe('console sign-in (session cookie)', () => {
  const clock = new ManualClock(new Date('2023-11-01T02:00:00Z'));
  let api: RunningApi;
  let origin: string;

  beforeAll(async () => {
    api = await startApi({ clock });
    origin = api.url;
    await seedReference(api);
    cli(
      api,
      ['user', 'add', 'wang.li', '--role', 'officer', '--zones', 'jinzhong-kfq', '--name', '王丽'],
      'officer-password\n',
    );
    cli(
      api,
      ['user', 'add', 'zhao.min', '--role', 'auditor', '--name', '赵敏', '--data-dir', api.config.dataDir],
      'auditor-password\n',
      // --data-dir wins over DATA_DIR
      join(api.config.dataDir, 'elsewhere'),
    );
  }, 60_000);

  afterAll(() => api.close());

  const signIn = (username: string, password: string) =>
    api.http.post('/api/v1/session').set('Origin', origin).send({ username, password });

  it('sets an httpOnly, SameSite=Strict cookie that GET /session answers with the account', async () => {
    // when
    const response = await signIn('wang.li', 'officer-password').expect(200);
    // then
    const header = (response.headers['set-cookie'] as unknown as string[]).find((c) =>
      c.startsWith('plt_session='),
    )!;
    expect(header).toMatch(/HttpOnly/i);
    expect(header).toMatch(/SameSite=Strict/i);
    expect(header).toMatch(/Max-Age=1800/);
    const me = await api.http.get('/api/v1/session').set('Cookie', sessionCookie(response)).expect(200);
    expect(me.body).toMatchObject({
      username: 'wang.li',
      displayName: '王丽',
      role: 'officer',
      zones: ['jinzhong-kfq'],
    });
  });

  it('records the account id and display name with the events a session writes', async () => {
    // given
    const cookie = sessionCookie(await signIn('wang.li', 'officer-password').expect(200));
    const me = await api.http.get('/api/v1/session').set('Cookie', cookie).expect(200);
    // when
    await api.http
      .post('/api/v1/projects')
      .set('Cookie', cookie)
      .set('Origin', origin)
      .send({
        projectId: 'wl-1',
        name: '王丽的项目',
        enterprise: 'e',
        zoneId: 'jinzhong-kfq',
        totalInvestmentWan: 20000,
        industrial: true,
        signedOn: '2023-03-01',
      })
      .expect(201);
    // then
    const history = await api.http.get('/api/v1/projects/wl-1/history').set('Cookie', cookie).expect(200);
    expect(history.body.events[0].metadata).toMatchObject({ recordedBy: me.body.id, recordedByName: '王丽' });
  });

  it('refuses a cookie-authenticated write from another origin or with no origin at all', async () => {
    // given
    const cookie = sessionCookie(await signIn('wang.li', 'officer-password').expect(200));
    const body = { milestone: 'construction-started', occurredOn: '2023-04-01' };
    // when
    const foreign = await api.http
      .post('/api/v1/projects/wl-1/milestones')
      .set('Cookie', cookie)
      .set('Origin', 'https://evil.example')
      .send(body);
    const none = await api.http.post('/api/v1/projects/wl-1/milestones').set('Cookie', cookie).send(body);
    // then
    expectProblem(foreign, 403);
    expectProblem(none, 403);
    const read = await api.http.get('/api/v1/projects/wl-1').set('Cookie', cookie).expect(200);
    expect(read.body.milestones?.['construction-started']).toBeUndefined();
  });

  it("refuses an officer's session a project of another zone", async () => {
    // given
    const cookie = sessionCookie(await signIn('wang.li', 'officer-password').expect(200));
    // when
    const response = await api.http
      .post('/api/v1/projects')
      .set('Cookie', cookie)
      .set('Origin', origin)
      .send({
        name: '别区项目',
        enterprise: 'e',
        zoneId: 'linfen-kfq',
        totalInvestmentWan: 20000,
        industrial: true,
        signedOn: '2023-03-01',
      });
    // then
    expectProblem(response, 403);
  });

  it('ends the session on sign-out: the same cookie is refused afterwards', async () => {
    // given
    const cookie = sessionCookie(await signIn('zhao.min', 'auditor-password').expect(200));
    // when
    const out = await api.http
      .delete('/api/v1/session')
      .set('Cookie', cookie)
      .set('Origin', origin)
      .expect(204);
    // then
    expect(String(out.headers['set-cookie'])).toMatch(/plt_session=;/);
    expectProblem(await api.http.get('/api/v1/session').set('Cookie', cookie), 401);
  });

  it('ends a session after 30 idle minutes', async () => {
    // given
    const cookie = sessionCookie(await signIn('zhao.min', 'auditor-password').expect(200));
    // when
    clock.advance(31 * 60 * 1000);
    // then: in both languages, in the caller's order
    const ended = await api.http.get('/api/v1/session').set('Cookie', cookie);
    expectProblem(ended, 401, { code: 'unauthorized' });
    expect(ended.body.detail).toBe('会话已结束，请重新登录 / the session has ended; sign in again');
    const inEnglish = await api.http
      .get('/api/v1/session')
      .set('Cookie', cookie)
      .set('Accept-Language', 'en');
    expectProblem(inEnglish, 401, { first: 'en' });
    expect(inEnglish.body.detail).toBe('the session has ended; sign in again / 会话已结束，请重新登录');
  });

  it('answers a wrong password and an unknown user alike, with 401', async () => {
    expectProblem(await signIn('zhao.min', 'wrong-password'), 401, { code: 'bad-credentials' });
    expectProblem(await signIn('nobody', 'wrong-password'), 401, { code: 'bad-credentials' });
    await signIn('zhao.min', 'auditor-password').expect(200);
  });

  it('locks a username after five failures, refuses even the right password, and backs off', async () => {
    // given
    for (let attempt = 1; attempt <= 5; attempt++) {
      expectProblem(await signIn('wang.li', `guess-${attempt}`), 401);
    }
    // when
    const locked = await signIn('wang.li', 'officer-password');
    // then
    expectProblem(locked, 429, { code: 'sign-in-locked' });
    expect(locked.headers['retry-after']).toBe('30');
    // the lock lifts after its time; one more failure locks twice as long
    clock.advance(31_000);
    expectProblem(await signIn('wang.li', 'guess-6'), 401);
    expect((await signIn('wang.li', 'officer-password')).headers['retry-after']).toBe('60');
    clock.advance(61_000);
    await signIn('wang.li', 'officer-password').expect(200);
    // a success clears the count
    expectProblem(await signIn('wang.li', 'guess-7'), 401);
    await signIn('wang.li', 'officer-password').expect(200);
  });

  it('refuses a sign-in posted from another origin', async () => {
    const response = await api.http
      .post('/api/v1/session')
      .set('Origin', 'https://evil.example')
      .send({ username: 'zhao.min', password: 'auditor-password' });
    expectProblem(response, 403);
  });

  it('lets an admin add accounts, audits it, and bearer tokens keep working', async () => {
    // when
    const added = await api.http
      .post('/api/v1/accounts')
      .set('Authorization', api.bearer(ADMIN))
      .send({ username: 'li.qiang', password: 'linfen-password', role: 'officer', zones: ['linfen-kfq'] })
      .expect(201);
    const taken = await api.http
      .post('/api/v1/accounts')
      .set('Authorization', api.bearer(ADMIN))
      .send({ username: 'li.qiang', password: 'another-password', role: 'auditor' });
    // then
    expect(added.body).toMatchObject({ username: 'li.qiang', role: 'officer', zones: ['linfen-kfq'] });
    expect(added.body.passwordHash).toBeUndefined();
    expectProblem(taken, 409, { code: 'username-taken', field: 'username' });
    await signIn('li.qiang', 'linfen-password').expect(200);
    const audit = await api.http
      .get('/api/v1/accounts/audit')
      .set('Authorization', api.bearer(ADMIN))
      .expect(200);
    expect(
      audit.body.map((entry: { action: string; username: string }) => `${entry.action} ${entry.username}`),
    ).toEqual(
      expect.arrayContaining(['account-added li.qiang', 'account-added wang.li', 'sign-in-locked wang.li']),
    );
    const officer = sessionCookie(await signIn('wang.li', 'officer-password').expect(200));
    expectProblem(await api.http.get('/api/v1/accounts').set('Cookie', officer), 403);
  });
});
