import { randomUUID } from 'node:crypto';
import { IncomingMessage } from 'node:http';

/** Visible ASCII, 1-200 characters: what a client may send as a request or correlation id. */
const CLIENT_ID = /^[\x21-\x7e]{1,200}$/;

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * The request's id: the client's `X-Request-Id` when it is a sane token, otherwise a new
 * UUID. Made once per request by the HTTP logger (as `request.id`), and used by the logs,
 * the `X-Request-Id` response header and the events' metadata alike.
 */
export function requestIdOf(request: IncomingMessage & { id?: unknown }): string {
  if (typeof request.id === 'string') return request.id;
  const fromClient = header(request, 'x-request-id');
  return fromClient && CLIENT_ID.test(fromClient) ? fromClient : randomUUID();
}

/** The client's `X-Correlation-Id` when sane, otherwise the request id. */
export function correlationIdOf(request: IncomingMessage & { id?: unknown }): string {
  const fromClient = header(request, 'x-correlation-id');
  return fromClient && CLIENT_ID.test(fromClient) ? fromClient : requestIdOf(request);
}
