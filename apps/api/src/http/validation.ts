import { ArgumentMetadata, Injectable, PipeTransform, ValidationPipe } from '@nestjs/common';
import { badRequest } from './problem';
import { fieldTexts } from './validation-messages';

export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) =>
      badRequest(
        { zh: '请求内容无效，见各字段说明', en: 'the request is not valid; see the message of each field' },
        fieldTexts(errors),
        'validation-failed',
      ),
  });
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
    return value;
  }
}
