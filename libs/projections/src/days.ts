import { LocalDate } from '@app/domain';

/**
 * Days since 1970-01-01 of a `YYYY-MM-DD` date, by integer arithmetic (days_from_civil, H.
 * Hinnant): the same answer as the domain's `daysBetween`, without parsing a Date, because
 * lists and lead times compute it for every project in a scan. For well-formed dates only.
 */
export function epochDay(date: LocalDate): number {
  // digits by char code: no substrings to allocate (a scan calls this for every project)
  const digit = (at: number) => date.charCodeAt(at) - 48;
  const year = digit(0) * 1000 + digit(1) * 100 + digit(2) * 10 + digit(3);
  const month = digit(5) * 10 + digit(6);
  const day = digit(8) * 10 + digit(9);
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/** Whole days from `from` to `to`. */
export function daysFromTo(from: LocalDate, to: LocalDate): number {
  return epochDay(to) - epochDay(from);
}

/** Orders strings by UTF-16 code units (as `sort()` does): unlike localeCompare, the same in every locale. */
export function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
