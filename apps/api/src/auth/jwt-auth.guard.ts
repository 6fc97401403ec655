import { CanActivate, ExecutionContext, Inject, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { forbidden, unauthorized } from '../http/problem';
import { Response } from 'express';
import { SessionService } from '../accounts/session.service';
import { ALLOWED_ROLES, AuthenticatedRequest, PUBLIC_ROUTE } from './auth.decorators';
import { Caller, ROLES, Role } from '@app/application';
import { BearerVerifier, InvalidBearerToken } from './bearer-verifier';

const INVALID_TOKEN = { zh: '令牌无效', en: 'the bearer token is not valid' };

/**
 * Verifies `Authorization: Bearer <JWT>` (BearerVerifier's policy), or else the console's session cookie, on every
 * route not marked @Public.
 */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  private readonly logger = new Logger('Auth');

  constructor(
    @Inject(BearerVerifier) private readonly bearer: BearerVerifier,
    private readonly reflector: Reflector,
    private readonly sessions: SessionService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    const open = this.reflector.getAllAndOverride<boolean | 'optional' | undefined>(PUBLIC_ROUTE, targets);
    if (open === true) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    if (
      open === 'optional' &&
      request.headers.authorization === undefined &&
      !this.sessions.hasSessionCookie(request)
    )
      return true;
    const caller =
      request.headers.authorization === undefined && this.sessions.hasSessionCookie(request)
        ? await this.sessions.authenticate(request, context.switchToHttp().getResponse<Response>())
        : await this.authenticate(request.headers.authorization);
    request.caller = caller;
    const allowed = this.reflector.getAllAndOverride<Role[] | undefined>(ALLOWED_ROLES, targets);
    if (allowed && !allowed.includes(caller.role)) {
      throw forbidden({
        zh: `角色 ${caller.role} 无权执行此操作`,
        en: `role ${caller.role} may not do this`,
      });
    }
    return true;
  }

  private async authenticate(header: string | undefined): Promise<Caller> {
    const token = /^Bearer\s+(\S+)$/i.exec(header ?? '')?.[1];
    if (!token) throw unauthorized({ zh: '须提供 Bearer 令牌', en: 'a bearer token is required' });
    let claims: Record<string, unknown>;
    try {
      claims = await this.bearer.verify(token);
    } catch (error) {
      if (!(error instanceof InvalidBearerToken)) throw error;
      // The reason stays in the log: a caller probing tokens learns nothing of the library's checks.
      this.logger.debug(`bearer token refused: ${error.message}`);
      throw unauthorized(INVALID_TOKEN);
    }
    const { sub, role, zones = [], cities = [] } = claims;
    if (typeof sub !== 'string' || sub.length === 0)
      throw unauthorized({ zh: '令牌缺少主体（sub）', en: 'token has no subject' });
    if (!(ROLES as readonly unknown[]).includes(role))
      throw unauthorized({ zh: '令牌没有有效角色', en: 'token has no valid role' });
    if (!isStringArray(zones) || !isStringArray(cities)) {
      throw unauthorized({
        zh: '令牌的 zones 和 cities 须为编号列表',
        en: 'token zones and cities must be lists of ids',
      });
    }
    return { sub, role: role as Role, zones, cities };
  }
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}
