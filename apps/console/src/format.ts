import { ruleWordsOf } from '../../../libs/projections/src/light-rules';

// Made once, on first use: toLocaleString builds a formatter per call (a table of hundreds of
// figures pays it each time), and the first one loads the locale's data (not needed to paint).
const formatters = new Map<string, Intl.NumberFormat>();
function formatter(locale: string, maximumFractionDigits?: number): Intl.NumberFormat {
  const key = `${locale}/${maximumFractionDigits}`;
  let made = formatters.get(key);
  if (!made) {
    made = new Intl.NumberFormat(locale, { maximumFractionDigits });
    formatters.set(key, made);
  }
  return made;
}

/** 万元 as people read it: 亿元 from 1亿 up (4.7亿 = 47,000万). */
export function formatWan(wan: number, locale: string): string {
  if (locale === 'zh-CN') {
    return wan >= 10_000
      ? `${formatter('zh-CN', 2).format(wan / 10_000)}亿元`
      : `${formatter('zh-CN').format(wan)}万元`;
  }
  return `¥${formatter('en-US', 2).format(wan / 100)} m`;
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

/** A light's rule in the console's language, from the table the notices use (light-rules.ts). */
export function lightRuleText(rule: string, locale: string): string {
  const words = ruleWordsOf(rule);
  return locale === 'zh-CN' ? words.zh : words.en;
}
