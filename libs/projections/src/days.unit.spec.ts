import fc from 'fast-check';
import { daysBetween } from '@app/domain';
import { byCodePoint, daysFromTo, epochDay } from './days';

describe('day arithmetic for scans', () => {
  const date = fc
    .integer({ min: -80_000, max: 80_000 })
    .map((days) => new Date(days * 86_400_000).toISOString().slice(0, 10));

  it("agrees with the domain's daysBetween, leap years and centuries included", () => {
    fc.assert(
      fc.property(date, date, (from, to) => {
        expect(daysFromTo(from, to)).toBe(daysBetween(from, to));
      }),
      { numRuns: 2_000 },
    );
    expect(epochDay('1970-01-01')).toBe(0);
    expect(daysFromTo('2023-02-22', '2023-10-18')).toBe(238);
    expect(daysFromTo('2024-02-28', '2024-03-01')).toBe(2);
    expect(daysFromTo('2100-02-28', '2100-03-01')).toBe(1);
  });

  it('orders ids the same way in every locale', () => {
    expect(['b', 'B', 'a', '太谷', '介休', 'a-1', 'a1'].sort(byCodePoint)).toEqual([
      'B',
      'a',
      'a-1',
      'a1',
      'b',
      '介休',
      '太谷',
    ]);
  });
});
