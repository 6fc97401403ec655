import { createHash } from 'node:crypto';
import { CommandContext, CommandResult } from '@app/application';
import { ExecutionContext, createParamDecorator } from '@nestjs/common';
import { Response } from 'express';
import { AuthenticatedRequest } from '../auth/auth.decorators';
import { canonicalJson } from '@app/projections';
import { correlationIdOf, requestIdOf } from '../observability/request-ids';
import { badRequest } from './problem';
import { markRecorded } from './read-your-writes.interceptor';
import { requireShallowBody } from './validation';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;
const REVISION = /^(?:W\/)?"?(-?\d{1,15})"?$/;

/** Builds the CommandContext of a write request: caller, ids, Idempotency-Key and If-Match. */
export const WriteRequest = createParamDecorator((_: unknown, context: ExecutionContext): CommandContext => {
  const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
  if (!request.caller) throw new Error('WriteRequest used on a public route');
  const header = (name: string) => {
    const value = request.headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
  // Checked here too: this decorator may run before the body's pipes, and hashing recurses.
  requireShallowBody(request.body);
  const idempotencyKey = header('idempotency-key');
  if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(idempotencyKey)) {
    const text = {
      zh: 'Idempotency-Key 须为1–200个可见 ASCII 字符',
      en: 'Idempotency-Key must be 1-200 visible ASCII characters',
    };
    throw badRequest(text, [{ field: 'Idempotency-Key', text }]);
  }
  const ifMatch = header('if-match');
  let expectedRevision: number | undefined;
  if (ifMatch !== undefined) {
    const match = REVISION.exec(ifMatch.trim());
    if (!match || Number(match[1]) < -1) {
      const text = { zh: 'If-Match 须为版本号，如 "3"', en: 'If-Match must be a revision such as "3"' };
      throw badRequest(text, [{ field: 'If-Match', text }]);
    }
    expectedRevision = Number(match[1]);
  }
  return {
    caller: request.caller,
    // The ids the request's log lines carry: a client's ids only when they are sane tokens.
    requestId: requestIdOf(request),
    correlationId: correlationIdOf(request),
    idempotencyKey,
    requestHash: hashRequest(request.method, request.path, request.body),
    expectedRevision,
  };
});

export function hashRequest(method: string, path: string, body: unknown): string {
  return createHash('sha256')
    .update(`${method} ${path}\n${canonicalJson(body)}`)
    .digest('hex');
}

/**
 * 201 when the request recorded facts, 200 when it repeated known ones; the revision is the
 * ETag; the response waits for the projections to show the write.
 */
export function answerWrite(response: Response, result: CommandResult): void {
  response.status(result.recorded ? 201 : 200);
  response.setHeader('ETag', `"${result.revision}"`);
  markRecorded(response, result.position);
}
