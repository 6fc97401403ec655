import { CURRENT_SCHEMA_VERSION, DOMAIN_UPCASTERS, Upcaster, upcast } from './upcasting';

const upcasters: Upcaster[] = [
  // v2 → v3 listed first: order in the list must not matter
  {
    type: 'ProjectSigned',
    fromVersion: 2,
    upcast: (data) => ({ ...(data as object), strategicEmerging: false }),
  },
  {
    type: 'ProjectSigned',
    fromVersion: 1,
    upcast: (data) => {
      const { investmentYi, ...rest } = data as { investmentYi: number };
      return { ...rest, totalInvestmentWan: investmentYi * 10_000 };
    },
  },
  { type: 'OtherEvent', fromVersion: 1, upcast: () => ({ other: true }) },
];

describe('upcasting stored events on read', () => {
  it('applies chained upcasters in version order', () => {
    // given
    const stored = { type: 'ProjectSigned', schemaVersion: 1, data: { name: 'x', investmentYi: 47 } };
    // when
    const current = upcast(stored, upcasters);
    // then
    expect(current).toEqual({
      type: 'ProjectSigned',
      schemaVersion: 3,
      data: { name: 'x', totalInvestmentWan: 470_000, strategicEmerging: false },
    });
  });

  it('starts from the stored version', () => {
    // given
    const stored = { type: 'ProjectSigned', schemaVersion: 2, data: { name: 'x' } };
    // when / then
    expect(upcast(stored, upcasters)).toEqual({
      type: 'ProjectSigned',
      schemaVersion: 3,
      data: { name: 'x', strategicEmerging: false },
    });
  });

  it('leaves an event in its current shape, and other types, alone', () => {
    // given
    const current = { type: 'ProjectSigned', schemaVersion: 3, data: { name: 'x' } };
    const other = { type: 'ProjectListed', schemaVersion: 1, data: { batch: 'signing' } };
    // when / then
    expect(upcast(current, upcasters)).toBe(current);
    expect(upcast(other, upcasters)).toBe(other);
  });

  it('never rewrites the stored event', () => {
    // given
    const data = { name: 'x', investmentYi: 1 };
    const stored = { type: 'ProjectSigned', schemaVersion: 1, data };
    // when
    upcast(stored, upcasters);
    // then
    expect(stored).toEqual({ type: 'ProjectSigned', schemaVersion: 1, data: { name: 'x', investmentYi: 1 } });
  });

  it('has no upcasters while every shape is at version 1', () => {
    expect(CURRENT_SCHEMA_VERSION).toBe(1);
    expect(DOMAIN_UPCASTERS).toEqual([]);
  });
});
