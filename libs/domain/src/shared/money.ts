/**
 * Money is an integer number of 万元 (CNY 10,000) everywhere. 1 亿元 = 10,000 万元.
 * Reports quote 亿元 with two decimals; this conversion is for display only.
 */
export type Wan = number;

export const WAN_PER_YI = 10_000;

export function isWan(value: unknown): value is Wan {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/** 470300 万元 → "47.03" (亿元, two decimals, rounded half up on the integer). */
export function wanToYiText(wan: Wan): string {
  const hundredths = Math.round(wan / (WAN_PER_YI / 100));
  const sign = hundredths < 0 ? '-' : '';
  const abs = Math.abs(hundredths);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}
