import { ValidationOptions, registerDecorator } from 'class-validator';
import { daysInMonth } from '@app/domain';

/** ISO-8601 instants with a zone (Z or ±hh:mm), e.g. 2023-11-05T08:00:00Z. */
const INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-](\d{2}):(\d{2}))$/;
/** The years an instant of this tracker may fall in, in UTC (the programme began in 2022). */
export const INSTANT_YEARS = { from: 2000, to: 2100 } as const;

/**
 * A real instant: the date exists (no 2023-02-30, which `Date.parse` rolls over to 2 March),
 * the time is 00:00–23:59:59 (no `T24:00`), the offset at most ±23:59, and in UTC it falls in
 * INSTANT_YEARS (an offset cannot push it past year 9999, where instants stop comparing as text).
 */
export function isInstant(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const match = INSTANT.exec(value);
  if (!match) return false;
  const [year, month, day, hour, minute, second, offsetHours, offsetMinutes] = match
    .slice(1)
    .map((part) => Number(part ?? 0));
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return false;
  if (hour > 23 || minute > 59 || second > 59 || offsetHours > 23 || offsetMinutes > 59) return false;
  const utcYear = new Date(value).getUTCFullYear();
  return utcYear >= INSTANT_YEARS.from && utcYear <= INSTANT_YEARS.to;
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
      options: {
        message: `$property must be an ISO-8601 instant between ${INSTANT_YEARS.from} and ${INSTANT_YEARS.to} such as 2023-11-05T08:00:00Z`,
        ...options,
      },
      validator: { validate: isInstant },
    });
}
