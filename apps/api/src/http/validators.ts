import { Transform } from 'class-transformer';
import { ValidationOptions, registerDecorator } from 'class-validator';
import { IDENTIFIER_RULE, isIdentifier, isLocalDate, isPlainText, isYearMonth } from '@app/domain';

function rule(name: string, test: (value: unknown) => boolean, message: string) {
  return (options?: ValidationOptions) => (target: object, propertyName: string) =>
    registerDecorator({
      name,
      target: target.constructor,
      propertyName,
      options: { message: `$property ${message}`, ...options },
      validator: { validate: test },
    });
}

/** A calendar date `YYYY-MM-DD` that exists (no 2023-02-29). */
export const IsLocalDate = rule('isLocalDate', isLocalDate, 'must be a calendar date YYYY-MM-DD');
export const IsYearMonth = rule('isYearMonth', isYearMonth, 'must be a month YYYY-MM');
export const IsIdentifier = rule('isIdentifier', isIdentifier, IDENTIFIER_RULE);
/** A name on one line: no control characters (tabs and line breaks included), no lone surrogates. */
export const IsName = rule(
  'isName',
  (value) => typeof value !== 'string' || isPlainText(value),
  'must not contain control characters, line breaks or lone surrogates',
);

/**
 * A query parameter read as a decimal integer: `16` is 16, while `0x10`, `1e3`, `0b1`, ` 1`
 * and the empty string stay text and fail `@IsInt()` (`Number()` would accept them all).
 */
export const DecimalInteger = () =>
  Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' && /^-?\d{1,15}$/.test(value) ? Number(value) : value,
  );
