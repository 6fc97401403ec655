import { spawnSync } from 'node:child_process';
import { createHmac, createSecretKey } from 'node:crypto';
import { Server, createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { JWTPayload, SignJWT, exportJWK, generateKeyPair } from 'jose';
import { RunningApi, TEST_SECRET, expectProblem, startApi } from './support/api-harness';

const SECRET = createSecretKey(Buffer.from(TEST_SECRET, 'utf8'));
const now = () => Math.floor(Date.now() / 1000);
const CLAIMS = { role: 'auditor', zones: [], cities: [] };

/** An HS256 token with the API's secret, exactly as given (no claim added). */
function hs256(payload: JWTPayload, header: Record<string, unknown> = {}): Promise<string> {
  return new SignJWT({ ...CLAIMS, sub: 'auditor-1', ...payload })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT', ...header })
    .sign(SECRET);
}

/** An HS256 token with any header (jose refuses to sign a `crit` it does not know). */
function rawHs256(header: object, payload: object): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const input = `${part(header)}.${part(payload)}`;
  return `${input}.${createHmac('sha256', TEST_SECRET).update(input).digest('base64url')}`;
}

jest.setTimeout(120_000);

/** A local identity provider: its JWKS and OpenID discovery document on 127.0.0.1. */
async function identityProvider() {
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'province-1', alg: 'RS256', use: 'sig' };
  let base = '';
  const server: Server = createServer((request, response) => {
    const body =
      request.url === '/jwks.json'
        ? { keys: [jwk] }
        : request.url === '/.well-known/openid-configuration'
          ? { issuer: base, jwks_uri: `${base}/jwks.json` }
          : undefined;
    response
      .writeHead(body ? 200 : 404, { 'Content-Type': 'application/json' })
      .end(JSON.stringify(body ?? {}));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const sign = (payload: JWTPayload, key = privateKey) =>
    new SignJWT({ ...CLAIMS, ...payload })
      .setProtectedHeader({ alg: 'RS256', kid: 'province-1' })
      .setSubject('li.wei@province')
      .setIssuer(base)
      .setAudience('tracker')
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(key);
  const close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      // jose's fetch keeps its connection alive; close() alone would wait for it.
      server.closeAllConnections();
    });
  return { base, sign, close };
}

const get = (api: RunningApi, token: string) =>
  api.http.get('/api/v1/zones').set('Authorization', `Bearer ${token}`).set('Accept-Language', 'en');

/** The one detail every refused token gets: nothing of jose's or jsonwebtoken's wording. */
function expectGenericRefusal(response: Awaited<ReturnType<typeof get>>) {
  expectProblem(response, 401, { code: 'unauthorized', first: 'en' });
  expect(response.body.detail).toBe('the bearer token is not valid / 令牌无效');
}

/** Issue 14, item 7: the bearer token policy. */
describe('bearer tokens', () => {
  let api: RunningApi;

  beforeAll(async () => {
    api = await startApi({ env: { AUTH_JWT_MAX_LIFETIME_SECONDS: '86400' } });
  });

  afterAll(() => api.close());

  it('accepts a token with exp within the maximum lifetime', async () => {
    await get(api, await hs256({ iat: now(), exp: now() + 3600 })).expect(200);
  });

  it.each([
    ['without exp', () => hs256({ iat: now() })],
    [
      'living longer than AUTH_JWT_MAX_LIFETIME_SECONDS',
      () => hs256({ iat: now(), exp: now() + 86_400 + 120 }),
    ],
    ['without iat, expiring beyond the maximum lifetime from now', () => hs256({ exp: now() + 2 * 86_400 })],
    ['issued in the future', () => hs256({ iat: now() + 3600, exp: now() + 7200 })],
    ['expired', () => hs256({ iat: now() - 7200, exp: now() - 3600 })],
    [
      'with a crit header',
      async () =>
        rawHs256(
          { alg: 'HS256', typ: 'JWT', crit: ['urn:x'], 'urn:x': 1 },
          { ...CLAIMS, sub: 'auditor-1', iat: now(), exp: now() + 600 },
        ),
    ],
    [
      'signed with alg none',
      async () =>
        `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify({ ...CLAIMS, sub: 'x', exp: now() + 60 })).toString('base64url')}.`,
    ],
    [
      'signed with an RS256 key while no identity provider is configured',
      async () => await identityProviderToken(),
    ],
    ['that is not a JWT at all', async () => 'garbage'],
  ])('refuses a token %s with a generic 401', async (_, token) => {
    expectGenericRefusal(await get(api, await token()));
  });

  async function identityProviderToken(): Promise<string> {
    const provider = await identityProvider();
    try {
      return await provider.sign({});
    } finally {
      await provider.close();
    }
  }

  it('checks iss and aud when configured', async () => {
    const strict = await startApi({
      env: { AUTH_JWT_ISSUER: 'https://idp.example', AUTH_JWT_AUDIENCE: 'tracker' },
    });
    try {
      const exp = now() + 600;
      expectGenericRefusal(await get(strict, await hs256({ exp })));
      expectGenericRefusal(
        await get(strict, await hs256({ exp, iss: 'https://other.example', aud: 'tracker' })),
      );
      expectGenericRefusal(await get(strict, await hs256({ exp, iss: 'https://idp.example', aud: 'other' })));
      await get(strict, await hs256({ exp, iss: 'https://idp.example', aud: 'tracker' })).expect(200);
    } finally {
      await strict.close();
    }
  });

  it('the CLI mints tokens the API accepts (with the configured issuer and audience) and refuses lifetimes above the maximum', async () => {
    const env = {
      ...process.env,
      DATA_DIR: api.config.dataDir,
      AUTH_JWT_SECRET: TEST_SECRET,
      AUTH_JWT_ISSUER: 'https://idp.example',
      AUTH_JWT_AUDIENCE: 'tracker',
      AUTH_JWT_MAX_LIFETIME_SECONDS: '86400',
    };
    const cli = (...args: string[]) =>
      spawnSync('node', ['--require', './test/support/register-ts.js', 'apps/cli/src/main.ts', ...args], {
        cwd: join(__dirname, '..'),
        env,
        encoding: 'utf8',
      });
    const minted = cli('token', '--role', 'auditor', '--expires-in', '8h');
    expect(minted.status).toBe(0);
    const strict = await startApi({
      env: { AUTH_JWT_ISSUER: 'https://idp.example', AUTH_JWT_AUDIENCE: 'tracker' },
    });
    try {
      await get(strict, minted.stdout.trim()).expect(200);
    } finally {
      await strict.close();
    }
    const tooLong = cli('token', '--role', 'auditor', '--expires-in', '30d');
    expect(tooLong.status).not.toBe(0);
    expect(tooLong.stderr).toContain('AUTH_JWT_MAX_LIFETIME_SECONDS');
    expect(tooLong.stdout).toBe('');
  });
});

describe("a province's identity provider (JWKS, OpenID discovery)", () => {
  let provider: Awaited<ReturnType<typeof identityProvider>>;

  beforeAll(async () => {
    provider = await identityProvider();
  });

  afterAll(() => provider.close());

  it.each([
    [
      'AUTH_JWKS_URL',
      () => ({ AUTH_JWKS_URL: `${provider.base}/jwks.json`, AUTH_JWT_ISSUER: provider.base }),
    ],
    ['AUTH_OIDC_ISSUER', () => ({ AUTH_OIDC_ISSUER: provider.base })],
  ])('accepts its RS256 tokens through %s, and still the HS256 ones', async (_, env) => {
    const api = await startApi({ env: { ...env(), AUTH_JWT_AUDIENCE: 'tracker' } });
    try {
      const response = await get(
        api,
        await provider.sign({ role: 'officer', zones: ['jinzhong-kfq'] }),
      ).expect(200);
      expect(response.body).toEqual([]);
      // another key with the same kid: refused
      const { privateKey } = await generateKeyPair('RS256');
      expectGenericRefusal(await get(api, await provider.sign({}, privateKey)));
      // a provider token without the tracker's role claim: refused
      expectProblem(await get(api, await provider.sign({ role: 'superuser' })), 401, { first: 'en' });
      await get(api, await hs256({ iss: provider.base, aud: 'tracker', exp: now() + 600 })).expect(200);
    } finally {
      await api.close();
    }
  });
});
