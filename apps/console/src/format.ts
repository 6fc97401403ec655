/** 万元 as people read it: 亿元 from 1亿 up (4.7亿 = 47,000万). */
export function formatWan(wan: number, locale: string): string {
  if (locale === 'zh-CN') {
    return wan >= 10_000
      ? `${(wan / 10_000).toLocaleString('zh-CN', { maximumFractionDigits: 2 })}亿元`
      : `${wan.toLocaleString('zh-CN')}万元`;
  }
  return `¥${(wan / 100).toLocaleString('en-US', { maximumFractionDigits: 2 })} m`;
}

/** A rate as a percentage with one decimal; `null` (empty cohort) as a dash. */
export function formatRate(value: number | null): string {
  return value === null ? '—' : `${(value * 100).toFixed(1)}%`;
}

/**
 * Rank of each row by a value, highest first, ties sharing a rank (1, 2, 2, 4); rows without a
 * value (empty cohort) have no rank.
 */
export function ranksOf<T>(rows: readonly T[], valueOf: (row: T) => number | null): (number | null)[] {
  const values = rows.map(valueOf);
  return values.map((value) =>
    value === null ? null : 1 + values.filter((other) => other !== null && other > value).length,
  );
}
