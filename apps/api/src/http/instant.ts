import { ValidationOptions, registerDecorator } from 'class-validator';

/** ISO-8601 instants with a zone (Z or ±hh:mm), e.g. 2023-11-05T08:00:00Z. */
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

export function isInstant(value: unknown): value is string {
  return typeof value === 'string' && INSTANT.test(value) && !Number.isNaN(Date.parse(value));
}

/** Recorded times are stored as `toISOString()` (UTC, milliseconds), so they compare as strings. */
export function normaliseInstant(value: string): string {
  return new Date(value).toISOString();
}

export function IsInstant(options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isInstant',
      target: target.constructor,
      propertyName,
      options: { message: '$property must be an ISO-8601 instant such as 2023-11-05T08:00:00Z', ...options },
      validator: { validate: isInstant },
    });
}
