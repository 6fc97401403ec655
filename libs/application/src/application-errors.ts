import { Bilingual } from '@app/domain';

/**
 * The command path's failures, in its own words and in both languages users read; each edge
 * maps them (the API to problem+json, the CLI to a message and an exit code). A broken
 * domain rule is the domain's `DomainError`, passed through unchanged.
 */
export abstract class ApplicationError extends Error {
  abstract readonly code: ApplicationErrorCode;

  constructor(readonly text: Bilingual) {
    super(text.en);
  }
}

export type ApplicationErrorCode =
  'revision-mismatch' | 'idempotency-key-reused' | 'write-contention' | 'forbidden' | 'invalid-input';

export interface FieldError {
  field: string;
  text: Bilingual;
}

/** The caller pinned a revision (`If-Match`) and the stream is elsewhere. */
export class RevisionMismatchError extends ApplicationError {
  readonly code = 'revision-mismatch';
}

/** An idempotency key already recorded a different request. */
export class IdempotencyKeyReusedError extends ApplicationError {
  readonly code = 'idempotency-key-reused';

  constructor() {
    super({
      zh: '此 Idempotency-Key 已用于另一请求，请换用新的',
      en: 'this Idempotency-Key was already used for a different request; use a new key',
    });
  }
}

/** Other writes to the stream kept winning the race. */
export class WriteContentionError extends ApplicationError {
  readonly code = 'write-contention';

  constructor() {
    super({
      zh: '该项目同时写入过多，请重试',
      en: 'too many concurrent writes to this project; retry the request',
    });
  }
}

/** The caller may not act on this resource. */
export class ForbiddenError extends ApplicationError {
  readonly code = 'forbidden';
}

/** A command names reference data (a zone, a round) that is not registered. */
export class UnknownReferenceError extends ApplicationError {
  readonly code = 'invalid-input';

  constructor(
    text: Bilingual,
    readonly errors: FieldError[],
  ) {
    super(text);
  }

  /** An unknown zone or round named by a field. */
  static of(kind: 'zone' | 'round', id: string, field: string): UnknownReferenceError {
    const text =
      kind === 'zone'
        ? { zh: `未登记开发区 ${id}`, en: `unknown zone ${id}` }
        : { zh: `未登记活动 ${id}`, en: `unknown round ${id}` };
    return new UnknownReferenceError(text, [{ field, text }]);
  }
}
