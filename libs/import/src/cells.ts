import { Batch, LocalDate, isLocalDate, isPlainText } from '@app/domain';

/** A cell as read from either file kind: XLSX gives typed values, CSV only text. */
export type Cell = string | number | boolean | Date | null;

/** A parsed value, or why the cell could not be read (Chinese, then English). */
export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const fail = (zh: string, en: string): Parsed<never> => ({ ok: false, message: `${zh} / ${en}` });

/** Whether a cell holds nothing (stray spaces count as nothing). */
export function isBlank(cell: Cell): boolean {
  return cell === null || (typeof cell === 'string' && cell.trim() === '');
}

/** Free text (names): kept as typed, only the surrounding spaces go (full-width ones too). */
export function parseText(cell: Cell): Parsed<string> {
  if (cell instanceof Date) return ok(cell.toISOString().slice(0, 10));
  const text = String(cell).trim();
  if (!isPlainText(text)) {
    return fail(
      '不能含控制字符、换行或孤立的代理字符',
      'must not contain control characters, line breaks or lone surrogates',
    );
  }
  return ok(text);
}

/** Identifiers: full-width letters and digits are folded to ASCII, spaces dropped. */
export function parseId(cell: Cell): Parsed<string> {
  if (cell instanceof Date) return ok(cell.toISOString().slice(0, 10));
  return ok(String(cell).normalize('NFKC').replace(/\s+/g, ''));
}

/** Whole 万元: `470300`, `470,300`, `４７０３００`, `470300万元`; never a fraction. */
export function parseAmount(cell: Cell): Parsed<number> {
  const text =
    typeof cell === 'number'
      ? String(cell)
      : String(cell)
          .normalize('NFKC')
          .replace(/[\s,_']/g, '')
          .replace(/万元?$/, '');
  if (!/^\d+(\.0*)?$/.test(text)) {
    return fail('须为整数万元', 'must be a whole number of 万元');
  }
  const value = Number(text);
  if (!Number.isSafeInteger(value)) return fail('金额过大', 'amount too large');
  return ok(value);
}

const YES = new Set(['是', 'y', 'yes', 'true', '1', '√', '✓', '✔']);
const NO = new Set(['否', 'n', 'no', 'false', '0', '×', '✗', '✘']);

/** 是/否, Y/N, yes/no, true/false, 1/0 and Excel booleans. */
export function parseYesNo(cell: Cell): Parsed<boolean> {
  if (typeof cell === 'boolean') return ok(cell);
  const text = String(cell).normalize('NFKC').trim().toLowerCase();
  if (YES.has(text)) return ok(true);
  if (NO.has(text)) return ok(false);
  return fail('须填“是”或“否”', 'must be 是 (yes) or 否 (no)');
}

const BATCH_WORDS: Record<string, Batch> = {
  签约: 'signing',
  开工: 'construction',
  投产: 'production',
  signing: 'signing',
  construction: 'construction',
  production: 'production',
};

/** 签约/开工/投产, also written 签约一批, or the API's English names. */
export function parseBatch(cell: Cell): Parsed<Batch> {
  const text = String(cell)
    .normalize('NFKC')
    .replace(/\s+/g, '')
    .toLowerCase()
    .replace(/一?批$/, '');
  const batch = BATCH_WORDS[text];
  return batch ? ok(batch) : fail('批次须为签约、开工或投产', 'batch must be 签约, 开工 or 投产');
}

/** Day 0 of Excel's 1900 date system as it counts (1899-12-30, past its 1900 leap-year slip). */
const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);
const DAY_MS = 86_400_000;

const DATE_PATTERNS = [/^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/, /^(\d{4})(\d{2})(\d{2})$/];

/**
 * Excel date cells (read as UTC midnight), Excel serial numbers in cells formatted as
 * numbers, and `2023-05-29`, `2023/5/29`, `2023.5.29`, `2023年5月29日`, `20230529`,
 * full-width digits and a trailing time of day included.
 */
export function parseDate(cell: Cell): Parsed<LocalDate> {
  if (cell instanceof Date) {
    if (Number.isNaN(cell.getTime())) return invalidDate();
    return checked(cell.toISOString().slice(0, 10));
  }
  if (typeof cell === 'number') {
    if (Number.isInteger(cell) && cell >= 19_000_101 && cell <= 99_991_231) {
      return fromParts(String(cell).slice(0, 4), String(cell).slice(4, 6), String(cell).slice(6));
    }
    if (cell >= 1 && cell < 2_958_466) {
      return checked(new Date(EXCEL_EPOCH_MS + Math.floor(cell) * DAY_MS).toISOString().slice(0, 10));
    }
    return invalidDate();
  }
  const text = String(cell)
    .normalize('NFKC')
    .trim()
    .replace(/(?:[T\s]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)$/, '')
    .replace(/\s+/g, '');
  for (const pattern of DATE_PATTERNS) {
    const match = pattern.exec(text);
    if (match) return fromParts(match[1], match[2], match[3]);
  }
  return invalidDate();
}

function fromParts(year: string, month: string, day: string): Parsed<LocalDate> {
  return checked(`${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`);
}

function checked(date: string): Parsed<LocalDate> {
  return isLocalDate(date) ? ok(date) : invalidDate();
}

function invalidDate(): Parsed<never> {
  return fail('不是有效日期（如 2023-05-29）', 'not a valid date (e.g. 2023-05-29)');
}
