import { ExecutionContext, SetMetadata, applyDecorators, createParamDecorator } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';
import { Request } from 'express';
import { Caller, Role } from '@app/application';

export const PUBLIC_ROUTE = 'tracker:public';
export const ALLOWED_ROLES = 'tracker:roles';

/** No token needed. */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);

/** No token needed, but one given is checked and its caller set (health: more for the authenticated). */
export const OptionalAuth = () => SetMetadata(PUBLIC_ROUTE, 'optional');

/** Only these roles may call the route; auditors are never given write routes. */
export const Roles = (...roles: Role[]) =>
  // x-roles: the OpenAPI document names them and gives the operation its 403
  applyDecorators(SetMetadata(ALLOWED_ROLES, roles), ApiExtension('x-roles', roles));

/** Roles that record facts. Officers are further limited to their zones by the command handlers. */
export const Writers = () => Roles('officer', 'admin');

export type AuthenticatedRequest = Request & { caller?: Caller };

export const CurrentCaller = createParamDecorator((_: unknown, context: ExecutionContext): Caller => {
  const caller = context.switchToHttp().getRequest<AuthenticatedRequest>().caller;
  if (!caller) throw new Error('CurrentCaller used on a public route');
  return caller;
});
