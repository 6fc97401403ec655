/**
 * The command path's failures, in its own words; each edge maps them (the API to
 * problem+json, the CLI to a message and an exit code). A broken domain rule is the
 * domain's `DomainError`, passed through unchanged.
 */
export abstract class ApplicationError extends Error {
  abstract readonly code: ApplicationErrorCode;
}

export type ApplicationErrorCode =
  'revision-mismatch' | 'idempotency-key-reused' | 'write-contention' | 'forbidden' | 'invalid-input';

export interface FieldError {
  field: string;
  message: string;
}

/** The caller pinned a revision (`If-Match`) and the stream is elsewhere. */
export class RevisionMismatchError extends ApplicationError {
  readonly code = 'revision-mismatch';
}

/** An idempotency key already recorded a different request. */
export class IdempotencyKeyReusedError extends ApplicationError {
  readonly code = 'idempotency-key-reused';

  constructor() {
    super('this Idempotency-Key was already used for a different request; use a new key');
  }
}

/** Other writes to the stream kept winning the race. */
export class WriteContentionError extends ApplicationError {
  readonly code = 'write-contention';

  constructor() {
    super('too many concurrent writes to this project; retry the request');
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
    detail: string,
    readonly errors: FieldError[],
  ) {
    super(detail);
  }
}
