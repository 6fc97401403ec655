import { createHash } from 'node:crypto';

/**
 * Each object with its keys in code-unit order (what `sort()` gives): itself when they already
 * are (the notification's long lists are built that way, so issuing copies none of them), else
 * a sorted copy. Both give the same bytes: a copy enumerates integer-like keys first, ascending,
 * and so does the object itself.
 */
function sortedKeys(this: unknown, _key: string, value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  let inOrder = 1;
  while (inOrder < keys.length && keys[inOrder - 1] < keys[inOrder]) inOrder++;
  if (inOrder >= keys.length) return record;
  const sorted: Record<string, unknown> = {};
  for (const key of keys.sort()) sorted[key] = record[key];
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
