import { IncomingMessage, ServerResponse } from 'node:http';
import { Logger } from 'pino';
import { Options } from 'pino-http';
import { Caller } from '@app/application';
import { correlationIdOf, requestIdOf } from './request-ids';

/** What the auth guard adds to a request. */
type Request = IncomingMessage & { caller?: Caller };

/** The path of the logging and metrics middleware: every path under the API prefix. */
export const EVERY_PATH = '{*path}';

/**
 * The route pattern the request matched (`/api/v1/projects/:projectId`), never its path (one
 * series per pattern). A request that matched no handler still carries the middleware's own
 * wildcard route: that is `unmatched`.
 */
export function routeOf(request: IncomingMessage): string {
  const route = (request as { route?: { path?: unknown } }).route;
  return typeof route?.path === 'string' && !route.path.endsWith(EVERY_PATH) ? route.path : 'unmatched';
}

/**
 * One line per request when its response is finished: ids, the caller's id (the token's `sub`:
 * no name, no header, no body), method, route pattern, status and duration. Request-scoped
 * lines the application writes carry the request id too.
 */
export function httpLogOptions(logger: Logger): Options<IncomingMessage, ServerResponse> {
  return {
    logger,
    quietReqLogger: true,
    quietResLogger: true,
    customAttributeKeys: { reqId: 'requestId', responseTime: 'durationMs' },
    genReqId: (request, response) => {
      const id = requestIdOf(request);
      response.setHeader('X-Request-Id', id);
      return id;
    },
    customLogLevel: (_request, response, error) =>
      error || response.statusCode >= 500 ? 'error' : response.statusCode >= 400 ? 'warn' : 'info',
    customSuccessMessage: () => 'request completed',
    customErrorMessage: () => 'request failed',
    customSuccessObject: (request, response, fields: Record<string, unknown>) =>
      requestFields(request, response, fields),
    customErrorObject: (request, response, error, fields: Record<string, unknown>) => ({
      ...requestFields(request, response, fields),
      err: error,
    }),
  };
}

function requestFields(
  request: Request,
  response: ServerResponse,
  fields: Record<string, unknown>,
): Record<string, unknown> {
  return {
    correlationId: correlationIdOf(request),
    caller: request.caller?.sub,
    method: request.method,
    route: routeOf(request),
    status: response.statusCode,
    durationMs: fields.durationMs,
  };
}
