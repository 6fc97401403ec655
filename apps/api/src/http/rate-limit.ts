import { createHash } from 'node:crypto';
import { ExecutionContext, Injectable, SetMetadata, applyDecorators } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiExtension } from '@nestjs/swagger';
import { ThrottlerGuard, ThrottlerLimitDetail, ThrottlerModuleOptions } from '@nestjs/throttler';
import { TrackerConfig } from '@app/config';
import { AuthenticatedRequest } from '../auth/auth.decorators';
import { retryLater } from './problem';

const EXPENSIVE_ROUTE = 'expensive-route';
const MINUTE_MS = 60_000;

/**
 * Marks an endpoint whose answer costs a fold of the log or a scan of every project
 * (verification, preview, stalled lists, rebuild): a tighter per-caller limit applies.
 */
export const Expensive = () =>
  // x-expensive: the OpenAPI document gives these their tighter limit and their worker's 503s
  applyDecorators(SetMetadata(EXPENSIVE_ROUTE, true), ApiExtension('x-expensive', true));

/**
 * Two limits per caller, both over a minute: every request (RATE_LIMIT_PER_MINUTE) and the
 * expensive ones together (RATE_LIMIT_EXPENSIVE_PER_MINUTE); 0 turns a limit off.
 */
export function rateLimits(
  config: Pick<TrackerConfig, 'rateLimitPerMinute' | 'rateLimitExpensivePerMinute'>,
): ThrottlerModuleOptions {
  const reflector = new Reflector();
  const expensive = (context: ExecutionContext) =>
    reflector.getAllAndOverride<boolean>(EXPENSIVE_ROUTE, [context.getHandler(), context.getClass()]) ===
    true;
  return {
    setHeaders: false,
    throttlers: [
      {
        name: 'default',
        ttl: MINUTE_MS,
        limit: Math.max(1, config.rateLimitPerMinute),
        skipIf: () => config.rateLimitPerMinute === 0,
      },
      {
        name: 'expensive',
        ttl: MINUTE_MS,
        limit: Math.max(1, config.rateLimitExpensivePerMinute),
        skipIf: (context) => config.rateLimitExpensivePerMinute === 0 || !expensive(context),
      },
    ],
  };
}

/**
 * Counts per caller (the token's or session's subject; the address when there is none) and
 * per limit, not per route; a refusal is a bilingual 429 problem with `Retry-After`. Runs
 * after the authentication guard, which names the caller.
 */
@Injectable()
export class CallerThrottlerGuard extends ThrottlerGuard {
  protected override async getTracker(request: Record<string, unknown>): Promise<string> {
    const caller = (request as unknown as AuthenticatedRequest).caller;
    return caller ? `caller:${caller.sub}` : `address:${await super.getTracker(request)}`;
  }

  protected override generateKey(_context: ExecutionContext, tracker: string, name: string): string {
    return createHash('sha256').update(`${name}\n${tracker}`).digest('hex');
  }

  protected override async throwThrottlingException(
    _context: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    const perMinute = detail.limit;
    throw retryLater(
      429,
      {
        zh: `请求过于频繁：每分钟最多 ${perMinute} 次，请 ${detail.timeToBlockExpire} 秒后重试`,
        en: `too many requests: at most ${perMinute} a minute; retry in ${detail.timeToBlockExpire} seconds`,
      },
      'rate-limited',
      detail.timeToBlockExpire,
    );
  }
}
