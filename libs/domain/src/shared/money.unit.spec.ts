import { WAN_PER_YI, isWan, wanToYiText } from './money';

describe('money in whole 万元', () => {
  it('shows 亿元 with two decimals', () => {
    expect(wanToYiText(470_300)).toBe('47.03');
    expect(wanToYiText(4_097_200)).toBe('409.72');
    expect(wanToYiText(10_000)).toBe('1.00');
    expect(wanToYiText(0)).toBe('0.00');
    expect(wanToYiText(99)).toBe('0.01');
    expect(wanToYiText(49)).toBe('0.00');
    expect(wanToYiText(150)).toBe('0.02');
    expect(wanToYiText(-470_300)).toBe('-47.03');
  });

  it('has 10,000 万元 in one 亿元', () => {
    expect(WAN_PER_YI).toBe(10_000);
  });

  it('accepts only whole, non-negative, safe amounts', () => {
    expect(isWan(0)).toBe(true);
    expect(isWan(470_300)).toBe(true);
    for (const value of [-1, 0.5, Number.NaN, Infinity, 2 ** 53, '100', null, undefined]) {
      expect(isWan(value)).toBe(false);
    }
  });
});
