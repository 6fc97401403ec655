import { theme } from 'antd';
import { CSSProperties, useMemo } from 'react';
import { LazyTooltip } from '../../components/LazyTooltip';
import { formatRate } from '../../format';
import { useI18n } from '../../i18n';
import { RATES, RateCell, RateRow } from '../../services/types';
import { rankTable, rateDetail, reportedValue } from './rate-view';

/**
 * The five rates of every unit as a plain table: 100 zones × 5 rates are 500 cells, which antd's
 * Table draws several times slower (a cell component each, and a measuring row whose widths it
 * reads back: a forced layout before the first paint). Its columns share the width (fixed table
 * layout): the browser then sizes them without measuring all 600 cells first. Numerator and
 * denominator of both bases are written when a cell is first hovered or focused.
 */
export function RateTable({ rows }: { rows: readonly RateRow[] }) {
  const { t, locale } = useI18n();
  const { token } = theme.useToken();
  const ranks = useMemo(() => rankTable(rows), [rows]);
  const styles = useMemo(() => {
    const cell: CSSProperties = {
      padding: '8px',
      borderBottom: `1px solid ${token.colorBorderSecondary}`,
      textAlign: 'left',
      verticalAlign: 'top',
    };
    return {
      cell,
      head: { ...cell, background: token.colorFillAlter, fontWeight: 600 },
      unit: {
        ...cell,
        position: 'sticky',
        left: 0,
        background: token.colorBgContainer,
        fontWeight: 'normal',
      },
      secondary: { color: token.colorTextDescription },
    } satisfies Record<string, CSSProperties>;
  }, [token]);
  const basis = (cell: RateCell) =>
    cell.reported === 'investment' ? t('pages.dashboard.byInvestment') : t('pages.dashboard.byCount');
  return (
    <div style={{ overflowX: 'auto' }}>
      <table
        style={{
          width: '100%',
          minWidth: 900,
          borderCollapse: 'collapse',
          fontSize: token.fontSize,
          tableLayout: 'fixed',
        }}
      >
        <thead>
          <tr>
            <th scope="col" style={{ ...styles.head, position: 'sticky', left: 0 }}>
              {t('pages.dashboard.unit')}
            </th>
            {RATES.map((rate) => (
              <th key={rate} scope="col" style={styles.head}>
                {t(`rate.${rate}`)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, index) => (
            <tr key={row.id}>
              <th scope="row" style={styles.unit}>
                {row.name}
              </th>
              {RATES.map((rate) => {
                const cell = row[rate];
                const value = reportedValue(cell);
                const rank = ranks[rate][index];
                return (
                  <td key={rate} style={styles.cell}>
                    <LazyTooltip title={() => rateDetail(cell, t, locale)}>
                      <span tabIndex={0} data-testid={`rate-${rate}`}>
                        {value === null ? t('pages.dashboard.noCohort') : formatRate(value)}
                        {rank !== null && <span style={styles.secondary}> #{rank}</span>}
                        <div style={{ ...styles.secondary, fontSize: 12 }}>{basis(cell)}</div>
                      </span>
                    </LazyTooltip>
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
