/**
 * Why a command was refused. The kind decides how the edge reports it:
 * `invalid` → the input itself is wrong (HTTP 400), `conflict` → it breaks a lifecycle
 * rule given what is already recorded (409), `not-found` → the subject does not exist (404).
 */
export type DomainErrorKind = 'invalid' | 'conflict' | 'not-found';

export class DomainError extends Error {
  constructor(
    readonly kind: DomainErrorKind,
    /** A stable machine-readable code, e.g. `milestone-out-of-order`. */
    readonly code: string,
    message: string,
    /** The input field at fault, when there is one. */
    readonly field?: string,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const invalid = (code: string, message: string, field?: string) =>
  new DomainError('invalid', code, message, field);
export const conflict = (code: string, message: string, field?: string) =>
  new DomainError('conflict', code, message, field);
export const notFound = (code: string, message: string) => new DomainError('not-found', code, message);
