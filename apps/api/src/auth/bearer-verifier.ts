import { KeyObject, createSecretKey } from 'node:crypto';
import { JWTPayload, createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { TrackerConfig } from '@app/config';

/** Asymmetric algorithms an identity provider may sign with; `none` and HMAC never come from a JWKS. */
const PROVIDER_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'EdDSA'];
/** Clocks of the provider and the tracker may differ by this much (`exp`, `nbf`, `iat`). */
export const CLOCK_TOLERANCE_SECONDS = 30;

/** Why a token was refused, for the log only: the caller is told no more than that it is invalid. */
export class InvalidBearerToken extends Error {
  override name = 'InvalidBearerToken';
}

type Policy = Pick<
  TrackerConfig,
  'jwtSecret' | 'jwtMaxLifetimeSeconds' | 'jwtIssuer' | 'jwtAudience' | 'jwksUrl' | 'oidcIssuer'
>;

/**
 * Bearer token policy (README.md "Tokens"): HS256 with AUTH_JWT_SECRET (the CLI's tokens), or
 * an identity provider's asymmetric signature checked against its JWKS; `exp` required and at
 * most AUTH_JWT_MAX_LIFETIME_SECONDS after `iat` (or now), no `iat` in the future, issuer and
 * audience when configured, and no `crit` header (no extension this tracker understands).
 */
export class BearerVerifier {
  private readonly secret: KeyObject;
  private provider?: ReturnType<typeof createRemoteJWKSet>;

  constructor(private readonly policy: Policy) {
    this.secret = createSecretKey(Buffer.from(policy.jwtSecret, 'utf8'));
  }

  async verify(token: string, now = new Date()): Promise<JWTPayload> {
    let alg: string | undefined;
    try {
      const header = decodeProtectedHeader(token);
      if (header.crit !== undefined) throw new InvalidBearerToken('the token has a crit header');
      alg = header.alg;
    } catch (error) {
      throw error instanceof InvalidBearerToken ? error : new InvalidBearerToken('not a JWS compact token');
    }
    const options = {
      issuer: this.policy.jwtIssuer,
      audience: this.policy.jwtAudience,
      requiredClaims: ['exp'],
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      currentDate: now,
    };
    let payload: JWTPayload;
    try {
      ({ payload } =
        alg === 'HS256'
          ? await jwtVerify(token, this.secret, { ...options, algorithms: ['HS256'] })
          : await jwtVerify(token, await this.providerKeys(), {
              ...options,
              algorithms: PROVIDER_ALGORITHMS,
            }));
    } catch (error) {
      throw error instanceof InvalidBearerToken ? error : new InvalidBearerToken((error as Error).message);
    }
    const seconds = Math.floor(now.getTime() / 1000);
    if (payload.iat !== undefined && payload.iat > seconds + CLOCK_TOLERANCE_SECONDS)
      throw new InvalidBearerToken('iat is in the future');
    const issuedAt = payload.iat ?? seconds;
    if (payload.exp! - issuedAt > this.policy.jwtMaxLifetimeSeconds) {
      throw new InvalidBearerToken(`the token lives longer than ${this.policy.jwtMaxLifetimeSeconds} s`);
    }
    return payload;
  }

  private async providerKeys(): Promise<ReturnType<typeof createRemoteJWKSet>> {
    if (this.provider) return this.provider;
    let url = this.policy.jwksUrl;
    if (!url && this.policy.oidcIssuer) {
      const discovery = `${this.policy.oidcIssuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
      const response = await fetch(discovery).catch(() => undefined);
      const document = response?.ok ? ((await response.json()) as { jwks_uri?: unknown }) : undefined;
      if (typeof document?.jwks_uri !== 'string') {
        throw new InvalidBearerToken(`no jwks_uri from ${discovery}`);
      }
      url = document.jwks_uri;
    }
    if (!url)
      throw new InvalidBearerToken('a token not signed with HS256 and no identity provider configured');
    // jose caches the keys and refetches (at most every 30 s) when a token names an unknown kid.
    this.provider = createRemoteJWKSet(new URL(url));
    return this.provider;
  }
}
