/**
 * Identifiers of projects, zones and rounds end up in stream names, URLs and Kafka keys,
 * so they are restricted to a safe alphabet (letters, digits, CJK ideographs, `._-`).
 */
const IDENTIFIER = /^[\p{L}\p{N}][\p{L}\p{N}._-]{0,79}$/u;

export function isIdentifier(value: unknown): value is string {
  return typeof value === 'string' && IDENTIFIER.test(value);
}

export const IDENTIFIER_RULE =
  'must be 1-80 letters, digits, "." "_" or "-", starting with a letter or digit';
