import { createHash } from 'node:crypto';

/** Each object as a copy with its keys in code-unit order (what `sort()` gives). */
function sortedKeys(this: unknown, _key: string, value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const record = value as Record<string, unknown>;
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(record).sort()) sorted[key] = record[key];
  return sorted;
}

/**
 * JSON with object keys sorted and no whitespace: equal values always give equal bytes,
 * which is what a content hash and a byte-for-byte copy of an issued notification need.
 * For JSON data (what `JSON.parse` gives and what the read models compose): `undefined` in an
 * object is left out, in an array it is `null`. The native serialiser writes the sorted
 * copies: a notification is megabytes, and a hand-written walk was the larger part of issuing.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, sortedKeys) ?? 'null';
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export const contentHashOf = (content: unknown): string => sha256Hex(canonicalJson(content));
