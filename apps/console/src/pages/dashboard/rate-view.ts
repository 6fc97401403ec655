import { ranksOf } from '../../format';
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
