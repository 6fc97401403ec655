/**
 * A message in both languages users read (API.md: Chinese and English; the edge decides the
 * order). Written in the domain's words, never internal ids.
 */
export interface Bilingual {
  zh: string;
  en: string;
}

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
    readonly text: Bilingual,
    /** The input field at fault, when there is one. */
    readonly field?: string,
  ) {
    super(text.en);
    this.name = 'DomainError';
  }
}

export const invalid = (code: string, text: Bilingual, field?: string) =>
  new DomainError('invalid', code, text, field);
export const conflict = (code: string, text: Bilingual, field?: string) =>
  new DomainError('conflict', code, text, field);
export const notFound = (code: string, text: Bilingual) => new DomainError('not-found', code, text);

/** Something accepted but worth a second look (a likely unit slip, a possible duplicate). */
export interface DomainWarning {
  code: string;
  text: Bilingual;
  field?: string;
}
