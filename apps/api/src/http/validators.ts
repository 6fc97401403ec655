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
