import {
  daysBetween,
  daysInMonth,
  earlierOf,
  isLocalDate,
  isYearMonth,
  lastDayOf,
  laterOf,
  localDateAt,
  monthOf,
  nextMonth,
  previousMonth,
} from './local-date';

describe('calendar dates (YYYY-MM-DD, no time zone)', () => {
  it('accepts calendar dates and 29 February of leap years only', () => {
    expect(isLocalDate('2023-02-22')).toBe(true);
    expect(isLocalDate('2024-02-29')).toBe(true);
    expect(isLocalDate('2000-02-29')).toBe(true);
    expect(isLocalDate('2023-02-29')).toBe(false);
    expect(isLocalDate('1900-02-29')).toBe(false);
    expect(isLocalDate('2100-02-29')).toBe(false);
  });

  it('refuses what is not a calendar date', () => {
    for (const value of [
      '2023-04-31',
      '2023-13-01',
      '2023-00-10',
      '2023-01-00',
      '2023-1-01',
      '20230101',
      '1899-12-31',
      '',
      20230101,
      null,
      undefined,
    ]) {
      expect(isLocalDate(value)).toBe(false);
    }
  });

  it('knows the length of every month', () => {
    expect(daysInMonth(2023, 2)).toBe(28);
    expect(daysInMonth(2024, 2)).toBe(29);
    expect(daysInMonth(2023, 4)).toBe(30);
    expect(daysInMonth(2023, 12)).toBe(31);
  });

  it('gives the last day of a month', () => {
    expect(lastDayOf('2023-02')).toBe('2023-02-28');
    expect(lastDayOf('2024-02')).toBe('2024-02-29');
    expect(lastDayOf('2023-10')).toBe('2023-10-31');
    expect(lastDayOf('2023-11')).toBe('2023-11-30');
  });

  it('steps months across year ends', () => {
    expect(previousMonth('2023-01')).toBe('2022-12');
    expect(previousMonth('2023-10')).toBe('2023-09');
    expect(nextMonth('2023-12')).toBe('2024-01');
    expect(nextMonth('2023-09')).toBe('2023-10');
  });

  it('counts whole days between dates, negative backwards, across leap days', () => {
    expect(daysBetween('2023-02-22', '2023-02-22')).toBe(0);
    expect(daysBetween('2023-02-28', '2023-03-01')).toBe(1);
    expect(daysBetween('2024-02-28', '2024-03-01')).toBe(2);
    expect(daysBetween('2023-01-01', '2024-01-01')).toBe(365);
    expect(daysBetween('2024-01-01', '2025-01-01')).toBe(366);
    expect(daysBetween('2023-03-01', '2023-02-28')).toBe(-1);
  });

  it('validates months', () => {
    expect(isYearMonth('2023-02')).toBe(true);
    expect(isYearMonth('2023-13')).toBe(false);
    expect(isYearMonth('2023-00')).toBe(false);
    expect(isYearMonth('2023-2')).toBe(false);
    expect(isYearMonth('2023-02-01')).toBe(false);
    expect(isYearMonth(202302)).toBe(false);
  });

  it('takes the month of a date and orders dates', () => {
    expect(monthOf('2023-02-22')).toBe('2023-02');
    expect(laterOf('2023-02-22', '2023-03-01')).toBe('2023-03-01');
    expect(earlierOf('2023-02-22', '2023-03-01')).toBe('2023-02-22');
  });

  it('gives the calendar date of an instant in the province (+08:00)', () => {
    expect(localDateAt(new Date('2023-02-21T15:59:59Z'), 480)).toBe('2023-02-21');
    expect(localDateAt(new Date('2023-02-21T16:00:00Z'), 480)).toBe('2023-02-22');
    expect(localDateAt(new Date('2023-12-31T16:00:00Z'), 480)).toBe('2024-01-01');
  });
});
