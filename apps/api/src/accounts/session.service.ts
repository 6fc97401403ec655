import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { parse as parseCookie } from 'cookie';
import { Request, Response } from 'express';
import { Caller } from '@app/application';
import { forbidden, unauthorized } from '../http/problem';
import { Clock } from '@app/application';
import { Account, AccountsStore } from './accounts-store';

export const SESSION_COOKIE = 'plt_session';
/** Idle lifetime: a session ends this long after its last renewal. */
export const SESSION_SECONDS = 30 * 60;
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const SESSION_ENDED = () =>
  unauthorized({ zh: '会话已结束，请重新登录', en: 'the session has ended; sign in again' });

export const ACCOUNTS_STORE = Symbol('ACCOUNTS_STORE');

export function callerOf(account: Account): Caller {
  return {
    sub: account.id,
    role: account.role,
    zones: account.zones,
    cities: account.cities,
    name: account.displayName,
  };
}

/**
 * Console sessions: a signed token naming a session row, in an httpOnly SameSite=Strict cookie.
 * The row is the authority (sign-out and disabling an account end it); the account's role and
 * zones are read fresh on every request. Renewed when half of its lifetime has passed.
 */
@Injectable()
export class SessionService implements OnApplicationShutdown {
  constructor(
    @Inject(ACCOUNTS_STORE) readonly accounts: AccountsStore,
    private readonly jwt: JwtService,
    private readonly clock: Clock,
  ) {}

  onApplicationShutdown(): void {
    this.accounts.close();
  }

  hasSessionCookie(request: Request): boolean {
    return this.cookieOf(request) !== undefined;
  }

  async open(account: Account, request: Request, response: Response): Promise<void> {
    const session = this.accounts.startSession(account.id, this.clock.now(), SESSION_SECONDS);
    await this.setCookie(account.id, session.id, request, response);
  }

  /** The caller of a cookie-authenticated request; writes must come from this origin. */
  async authenticate(request: Request, response: Response): Promise<Caller> {
    const claims = await this.claims(request);
    if (!claims) throw SESSION_ENDED();
    const now = this.clock.now();
    const account = this.accounts.sessionAccount(claims.sid, now);
    if (!account) throw SESSION_ENDED();
    if (UNSAFE.has(request.method)) requireSameOrigin(request);
    if (claims.exp * 1000 - now.getTime() < (SESSION_SECONDS * 1000) / 2) {
      this.accounts.renewSession(claims.sid, now, SESSION_SECONDS);
      await this.setCookie(account.id, claims.sid, request, response);
    }
    return callerOf(account);
  }

  async close(request: Request, response: Response): Promise<void> {
    const claims = await this.claims(request);
    if (claims) this.accounts.endSession(claims.sid, this.clock.now());
    response.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'strict' });
  }

  private cookieOf(request: Request): string | undefined {
    const header = request.headers.cookie;
    return header ? parseCookie(header)[SESSION_COOKIE] : undefined;
  }

  private async claims(request: Request): Promise<{ sid: string; exp: number } | undefined> {
    const token = this.cookieOf(request);
    if (!token) return undefined;
    try {
      const claims = await this.jwt.verifyAsync<Record<string, unknown>>(token, {
        algorithms: ['HS256'],
        clockTimestamp: Math.floor(this.clock.now().getTime() / 1000),
      });
      if (claims.typ !== 'session' || typeof claims.sid !== 'string' || typeof claims.exp !== 'number')
        return undefined;
      return { sid: claims.sid, exp: claims.exp };
    } catch {
      return undefined;
    }
  }

  private async setCookie(accountId: string, sessionId: string, request: Request, response: Response) {
    const iat = Math.floor(this.clock.now().getTime() / 1000);
    const token = await this.jwt.signAsync(
      { typ: 'session', sid: sessionId, iat, exp: iat + SESSION_SECONDS },
      { subject: accountId },
    );
    response.cookie(SESSION_COOKIE, token, {
      httpOnly: true,
      sameSite: 'strict',
      secure: request.secure,
      path: '/',
      maxAge: SESSION_SECONDS * 1000,
    });
  }
}

/**
 * A cookie rides along with any request the browser sends, so a write on a cookie must show it
 * comes from the console's own page: `Origin` (or, failing that, `Sec-Fetch-Site`) must say so.
 */
export function requireSameOrigin(request: Request): void {
  const origin = request.headers.origin;
  if (origin === undefined) {
    if (request.headers['sec-fetch-site'] === 'same-origin') return;
    throw forbidden({
      zh: '使用会话 Cookie 的写入须带来自控制台的 Origin 头',
      en: 'a write with a session cookie needs an Origin header from the console',
    });
  }
  if (origin !== `${request.protocol}://${request.headers.host}`) {
    throw forbidden({
      zh: `拒绝来自 ${origin} 的会话 Cookie 写入`,
      en: `a write with a session cookie from origin ${origin} is refused`,
    });
  }
}
