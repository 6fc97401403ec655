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
    return value;
  }
}
