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
/** One entity tag of an If-Match list (RFC 9110 §8.8.3): optionally weak, then a quoted opaque value. */
const ENTITY_TAG = /^(W\/)?"([\x21\x23-\x7e\x80-\xff]*)"$/;
/** A revision as this API writes it in an ETag (a decimal without leading zeros), or "-1": no project yet. */
const REVISION = /^(?:-1|0|[1-9]\d{0,14})$/;

/**
 * `If-Match` as RFC 9110 §13.1.1 reads it: `*`, or a list of entity tags compared strongly, so
 * a weak tag (`W/"2"`) or another spelling of a revision (`"0003"`) matches nothing (412 once
 * the project is known to exist), while a tag that is not one (`3`, `"3`) is a 400.
 */
export function parseIfMatch(value: string): number[] | '*' {
  if (value.trim() === '*') return '*';
  const revisions: number[] = [];
  for (const part of value.split(',')) {
    const tag = ENTITY_TAG.exec(part.trim());
    if (!tag) {
      const text = {
        zh: 'If-Match 须为 * 或带引号的 ETag，如 "3"',
        en: 'If-Match must be * or quoted entity tags such as "3"',
      };
      throw badRequest(text, [{ field: 'If-Match', text }]);
    }
    if (!tag[1] && REVISION.test(tag[2])) revisions.push(Number(tag[2]));
  }
  return revisions;
}

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
  const expectedRevision = ifMatch === undefined ? undefined : parseIfMatch(ifMatch);
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
