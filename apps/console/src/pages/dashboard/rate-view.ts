import { formatRate, formatWan, ranksOf } from '../../format';
import type { Translate } from '../../i18n';
import { RATES, RateCell, RateKey, RateRow } from '../../services/types';

/** The basis the official reports use for a rate. */
export function reportedValue(cell: RateCell): number | null {
  return cell.reported === 'investment' ? cell.byInvestment : cell.byCount;
}

/** Each row's rank per rate by its reported basis (1 = best). */
export function rankTable(rows: readonly RateRow[]): Record<RateKey, (number | null)[]> {
  return Object.fromEntries(
    RATES.map((rate) => [rate, ranksOf(rows, (row) => reportedValue(row[rate]))]),
  ) as Record<RateKey, (number | null)[]>;
}

/** Numerator and denominator of both bases, as the rate's tooltip says them. */
export function rateDetail(cell: RateCell, t: Translate, locale: string): string {
  return (
    `${t('pages.dashboard.byCount')} ${cell.count}/${cell.cohortCount} = ${formatRate(cell.byCount)}；` +
    `${t('pages.dashboard.byInvestment')} ${formatWan(cell.wan, locale)}/${formatWan(cell.cohortWan, locale)} = ${formatRate(cell.byInvestment)}`
  );
}
