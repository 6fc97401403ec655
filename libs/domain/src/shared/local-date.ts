/**
 * Effective dates are calendar dates (`YYYY-MM-DD`) with no time zone: the day something
 * happened in the world. Kept as strings so they compare lexicographically and never pass
 * through a binary float or a time zone.
 */
export type LocalDate = string;
/** A calendar month, `YYYY-MM`. */
export type YearMonth = string;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MONTH = /^(\d{4})-(\d{2})$/;

export function isLocalDate(value: unknown): value is LocalDate {
  if (typeof value !== 'string') return false;
  const match = DATE.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (year < 1900 || month < 1 || month > 12 || day < 1) return false;
  return day <= daysInMonth(year, month);
}

export function isYearMonth(value: unknown): value is YearMonth {
  if (typeof value !== 'string') return false;
  const match = MONTH.exec(value);
  if (!match) return false;
  const month = Number(match[2]);
  return Number(match[1]) >= 1900 && month >= 1 && month <= 12;
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

export function monthOf(date: LocalDate): YearMonth {
  return date.slice(0, 7);
}

/** The last day of a month: notifications are "as of the end of month M". */
export function lastDayOf(month: YearMonth): LocalDate {
  const [year, m] = month.split('-').map(Number);
  return `${month}-${String(daysInMonth(year, m)).padStart(2, '0')}`;
}

export function previousMonth(month: YearMonth): YearMonth {
  const [year, m] = month.split('-').map(Number);
  return m === 1 ? `${year - 1}-12` : `${year}-${String(m - 1).padStart(2, '0')}`;
}

export function nextMonth(month: YearMonth): YearMonth {
  const [year, m] = month.split('-').map(Number);
  return m === 12 ? `${year + 1}-01` : `${year}-${String(m + 1).padStart(2, '0')}`;
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: LocalDate, to: LocalDate): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

export function laterOf(a: LocalDate, b: LocalDate): LocalDate {
  return a > b ? a : b;
}

export function earlierOf(a: LocalDate, b: LocalDate): LocalDate {
  return a < b ? a : b;
}

/**
 * The calendar date of an instant in a fixed UTC offset. China has kept +08:00 without
 * daylight saving since 1991, so a fixed offset is exact for the province's "today".
 */
export function localDateAt(instant: Date, utcOffsetMinutes: number): LocalDate {
  return new Date(instant.getTime() + utcOffsetMinutes * 60_000).toISOString().slice(0, 10);
}
