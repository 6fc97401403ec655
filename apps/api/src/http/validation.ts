import { ArgumentMetadata, Injectable, PipeTransform, ValidationPipe } from '@nestjs/common';
import { isPlainText } from '@app/domain';
import { FieldText, ProblemException, badRequest } from './problem';
import { fieldTexts } from './validation-messages';

export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => invalidFields(fieldTexts(errors)),
  });
}

/** A problem lists at most this many fields: 7,500 unknown keys must not make a 463 KB answer. */
export const MAX_FIELD_ERRORS = 20;
/** Field names longer than this are cut in a problem (a key may be as long as the body). */
const MAX_FIELD_NAME = 100;

/** 400 validation-failed with the first MAX_FIELD_ERRORS fields, saying how many there were. */
export function invalidFields(fields: FieldText[]): ProblemException {
  const shown = fields.slice(0, MAX_FIELD_ERRORS).map(({ field, text }) => ({
    field: field.length > MAX_FIELD_NAME ? `${field.slice(0, MAX_FIELD_NAME)}…` : field,
    text,
  }));
  const more = fields.length - shown.length;
  return badRequest(
    more > 0
      ? {
          zh: `请求内容无效，见各字段说明（共 ${fields.length} 处，列出前 ${shown.length} 处）`,
          en: `the request is not valid; see the message of each field (${fields.length} in all, the first ${shown.length} listed)`,
        }
      : { zh: '请求内容无效，见各字段说明', en: 'the request is not valid; see the message of each field' },
    shown,
    'validation-failed',
  );
}

/** No request body of this API nests objects or arrays; deeper bodies are refused, not recursed. */
export const MAX_BODY_DEPTH = 32;

/** Whether a parsed JSON value nests deeper than `max` (iterative: safe on any depth). */
export function nestsDeeperThan(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (current === null || typeof current !== 'object') continue;
    if (depth >= max) return true;
    for (const child of Object.values(current)) stack.push([child, depth + 1]);
  }
  return false;
}

/**
 * A body nested deeper than MAX_BODY_DEPTH would overflow the stack of the recursive code that
 * reads it (request hashing, class-transformer): a 400, not a 500.
 */
export function requireShallowBody(body: unknown): void {
  if (nestsDeeperThan(body, MAX_BODY_DEPTH)) {
    const text = {
      zh: `请求体嵌套不能超过 ${MAX_BODY_DEPTH} 层`,
      en: `the request body must not nest deeper than ${MAX_BODY_DEPTH} levels`,
    };
    throw badRequest(text, [{ field: '', text }]);
  }
}

/**
 * A JSON body must be an object before class-validator looks at it: arrays, strings and
 * `null` would otherwise slip past the DTO (ValidationPipe skips or mis-validates them).
 */
@Injectable()
export class RequireJsonObjectBody implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type !== 'body') return value;
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      const text = { zh: '请求体须为 JSON 对象', en: 'the request body must be a JSON object' };
      throw badRequest(text, [{ field: '', text }]);
    }
    requireShallowBody(value);
    requirePlainStrings(value);
    return value;
  }
}

/** Paths of the strings in a body that hold control characters or lone surrogates. */
function unprintableStrings(value: unknown, path: string, found: string[]): void {
  if (typeof value === 'string') {
    if (!isPlainText(value, { multiline: true })) found.push(path);
  } else if (value !== null && typeof value === 'object') {
    for (const [key, child] of Object.entries(value))
      unprintableStrings(child, path ? `${path}.${key}` : key, found);
  }
}

/**
 * No text of any request may carry NUL, other control characters (line breaks and tabs
 * aside) or lone surrogates: they would reach exports, logs and terminals as typed.
 */
export function requirePlainStrings(body: unknown): void {
  const found: string[] = [];
  unprintableStrings(body, '', found);
  if (found.length === 0) return;
  const text = {
    zh: '不能含控制字符或孤立的代理字符',
    en: 'must not contain control characters or lone surrogates',
  };
  throw invalidFields(found.map((field) => ({ field, text })));
}
