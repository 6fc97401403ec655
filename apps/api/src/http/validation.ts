import { ArgumentMetadata, Injectable, PipeTransform, ValidationError, ValidationPipe } from '@nestjs/common';
import { badRequest, FieldError } from './problem';

/** class-validator errors → `{ field, message }` with dotted paths for nested fields. */
export function fieldErrors(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...fieldErrors(error.children ?? [], field)];
  });
}

export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) =>
      badRequest('the request is not valid', fieldErrors(errors), 'validation-failed'),
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
    throw badRequest(`the request body nests deeper than ${MAX_BODY_DEPTH} levels`, [
      { field: '', message: `must not nest deeper than ${MAX_BODY_DEPTH} levels` },
    ]);
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
      throw badRequest('the request body must be a JSON object', [
        { field: '', message: 'must be a JSON object' },
      ]);
    }
    requireShallowBody(value);
    return value;
  }
}
