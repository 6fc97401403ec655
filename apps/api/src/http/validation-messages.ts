import { ValidationError } from '@nestjs/common';
import { Bilingual } from '@app/domain';
import { FieldText } from './problem';

/**
 * class-validator constraints → one message per field in both languages. When several
 * constraints fail (a string amount fails isInt, min and max at once), only the most
 * specific is reported: presence, then type, then format, then range, as this order says.
 */
const PRECEDENCE = [
  'whitelistValidation',
  'isDefined',
  'isNotEmpty',
  'isString',
  'isBoolean',
  'isInt',
  'isNumber',
  'isArray',
  'isIn',
  'isIdentifier',
  'isLocalDate',
  'isYearMonth',
  'isInstant',
  'isName',
  'min',
  'max',
  'maxLength',
  'minLength',
];

/** The number or list class-validator put in its English message (e.g. "must not be less than 1"). */
const numberIn = (message: string) => /(-?\d+(?:\.\d+)?)(?!.*\d)/.exec(message)?.[1] ?? '';
const listIn = (message: string) => message.split(':').slice(1).join(':').trim();

const CATALOGUE: Record<string, (message: string) => Bilingual> = {
  whitelistValidation: () => ({ zh: '不接受此字段', en: 'is not a field of this request' }),
  isDefined: () => ({ zh: '必填', en: 'is required' }),
  isNotEmpty: () => ({ zh: '不能为空', en: 'must not be empty' }),
  isString: () => ({ zh: '须为文本', en: 'must be text' }),
  isBoolean: () => ({ zh: '须为 true 或 false', en: 'must be true or false' }),
  isInt: () => ({ zh: '须为整数（数字，不加引号）', en: 'must be a whole number (a number, not a string)' }),
  isNumber: () => ({ zh: '须为数字', en: 'must be a number' }),
  isArray: () => ({ zh: '须为列表', en: 'must be a list' }),
  isIn: (m) => ({ zh: `须为以下之一：${listIn(m)}`, en: `must be one of: ${listIn(m)}` }),
  isIdentifier: () => ({
    zh: '须为1–80个字母、数字、“.”“_”或“-”，以字母或数字开头',
    en: 'must be 1-80 letters, digits, "." "_" or "-", starting with a letter or digit',
  }),
  isLocalDate: () => ({ zh: '须为有效日期 YYYY-MM-DD', en: 'must be a calendar date YYYY-MM-DD' }),
  isYearMonth: () => ({ zh: '须为月份 YYYY-MM', en: 'must be a month YYYY-MM' }),
  isInstant: () => ({
    zh: '须为带时区、实际存在的 ISO-8601 时刻（2000–2100年）',
    en: 'must be an ISO-8601 instant with a time zone that exists, in the years 2000-2100',
  }),
  isName: () => ({
    zh: '不能含控制字符、换行或孤立的代理字符',
    en: 'must not contain control characters, line breaks or lone surrogates',
  }),
  min: (m) => ({ zh: `不能小于 ${numberIn(m)}`, en: `must not be less than ${numberIn(m)}` }),
  max: (m) => ({ zh: `不能大于 ${numberIn(m)}`, en: `must not be greater than ${numberIn(m)}` }),
  maxLength: (m) => ({ zh: `最多 ${numberIn(m)} 个字符`, en: `must be at most ${numberIn(m)} characters` }),
  minLength: (m) => ({ zh: `至少 ${numberIn(m)} 个字符`, en: `must be at least ${numberIn(m)} characters` }),
};

function mostSpecific(constraints: Record<string, string>): Bilingual {
  const names = Object.keys(constraints);
  const name =
    PRECEDENCE.find((candidate) => names.includes(candidate)) ??
    // A constraint the catalogue does not know: its own message, in English only on both sides.
    names[0];
  const message = constraints[name];
  return CATALOGUE[name]?.(message) ?? { zh: `无效：${message}`, en: message };
}

/** class-validator errors → one `{ field, text }` per field, with dotted paths for nested fields. */
export function fieldTexts(errors: ValidationError[], parent = ''): FieldText[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = error.constraints ? [{ field, text: mostSpecific(error.constraints) }] : [];
    return [...own, ...fieldTexts(error.children ?? [], field)];
  });
}
