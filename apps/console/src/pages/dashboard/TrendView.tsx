import { useQueries } from '@tanstack/react-query';
import { Select, Space, Table, Tooltip } from 'antd';
import dayjs from 'dayjs';
import { useMemo } from 'react';
import { EChart, EChartOption } from '../../components/EChart';
import './line-charts';
import { QueryState } from '../../components/QueryState';
import { formatRate } from '../../format';
import { useSearchParam, useTimeMachine } from '../../hooks';
import { useI18n } from '../../i18n';
import { getRates } from '../../services/endpoints';
import { RATES, RateCell, RateKey, RateRow } from '../../services/types';
import { reportedValue } from './rate-view';
import { ExportButton, ViewMeta } from './ViewParts';
import { trendPoints, trendValues, unitSeries } from './views';

const MONTHS = 12;
const COLOURS = ['#0b57d0', '#b3261e', '#146c2e', '#7d5700', '#6750a4'];

/**
 * The five rates of one unit (the province, a city or a zone) as of each of the last twelve
 * month ends, the last point being D itself; as known at K like every view.
 */
export function TrendView({
  scope,
  roundIds,
  units,
}: {
  scope: 'city' | 'zone';
  roundIds: string[];
  units: { id: string; name: string }[];
}) {
  const { t } = useI18n();
  const { asOf, knownAt } = useTimeMachine();
  const [unitParam, setUnit] = useSearchParam('trendUnit');
  const unit = unitParam && units.some((u) => u.id === unitParam) ? unitParam : 'province';
  const unitName =
    unit === 'province' ? t('pages.dashboard.province') : units.find((u) => u.id === unit)!.name;
  const points = useMemo(() => trendPoints(asOf ?? dayjs().format('YYYY-MM-DD'), MONTHS), [asOf]);
  const place = unit === 'province' ? {} : scope === 'city' ? { cityId: unit } : { zoneId: unit };
  const answers = useQueries({
    queries: points.map((point) => ({
      queryKey: [
        'rates',
        { scope: unit === 'province' ? 'province' : scope, ...place, roundIds, asOf: point.asOf, knownAt },
      ],
      queryFn: () =>
        getRates({
          scope: unit === 'province' ? 'province' : scope,
          ...place,
          roundId: roundIds,
          asOf: point.asOf,
          knownAt,
        }),
    })),
  });
  const pending = answers.some((answer) => answer.isPending);
  const error = answers.find((answer) => answer.error)?.error;
  const series = unitSeries(
    answers.map((answer) => answer.data?.rows),
    unit,
  );
  const values = trendValues(series, (row, rate) => reportedValue(row[rate]));
  const dataKey = answers.map((answer) => answer.dataUpdatedAt).join();

  const option = useMemo<EChartOption>(
    () => ({
      title: {
        text: t('pages.dashboard.trendTitle', { unit: unitName }),
        left: 'center',
        textStyle: { fontSize: 14 },
      },
      legend: { bottom: 0 },
      grid: { left: 48, right: 24, top: 48, bottom: 64 },
      tooltip: {
        trigger: 'axis',
        valueFormatter: (value) => (value === null || value === undefined ? '—' : `${value}%`),
      },
      xAxis: { type: 'category', data: points.map((point) => point.month) },
      yAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
      series: RATES.map((rate, i) => ({
        type: 'line',
        name: t(`rate.${rate}`),
        connectNulls: false,
        itemStyle: { color: COLOURS[i] },
        data: values[rate].map((value) => (value === null ? null : Math.round(value * 1000) / 10)),
      })),
    }),
    [dataKey, unitName, t],
  );

  const cellText = (cell: RateCell) => `${cell.count}/${cell.cohortCount}；${cell.wan}/${cell.cohortWan}`;
  const sheets = () => [
    {
      name: t('pages.dashboard.trend'),
      header: [
        t('pages.dashboard.trendMonth'),
        t('pages.dashboard.trendAsOf'),
        ...RATES.flatMap((rate) => [
          `${t(`rate.${rate}`)} ${t('pages.dashboard.byCount')}`,
          `${t(`rate.${rate}`)} ${t('pages.dashboard.byInvestment')}`,
        ]),
      ],
      rows: points.map((point, i) => [
        point.month,
        point.asOf,
        ...RATES.flatMap((rate) => {
          const cell = series[i]?.[rate];
          return cell
            ? [
                `${formatRate(cell.byCount)} (${cell.count}/${cell.cohortCount})`,
                `${formatRate(cell.byInvestment)} (${cell.wan}/${cell.cohortWan})`,
              ]
            : ['—', '—'];
        }),
      ]),
    },
  ];

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space wrap style={{ width: '100%', justifyContent: 'space-between' }}>
        <Select
          aria-label={t('pages.dashboard.trendUnit')}
          style={{ minWidth: 200 }}
          showSearch
          optionFilterProp="label"
          value={unit}
          onChange={(value: string) => setUnit(value === 'province' ? undefined : value)}
          options={[
            { value: 'province', label: t('pages.dashboard.province') },
            ...units.map((u) => ({ value: u.id, label: u.name })),
          ]}
        />
        <ExportButton
          sheets={pending ? undefined : sheets}
          fileName={`trend-${unit}-${points.at(-1)!.asOf}.xlsx`}
        />
      </Space>
      <ViewMeta data={answers.at(-1)?.data} />
      <QueryState loading={pending} error={error} retry={() => answers.forEach((answer) => answer.refetch())}>
        <EChart option={option} height={320} testId="chart-trend" />
        <Table<{ month: string; asOf: string; row?: RateRow }>
          rowKey="month"
          size="small"
          pagination={false}
          scroll={{ x: 900 }}
          dataSource={points.map((point, i) => ({ ...point, row: series[i] }))}
          columns={[
            { title: t('pages.dashboard.trendMonth'), dataIndex: 'month' },
            { title: t('pages.dashboard.trendAsOf'), dataIndex: 'asOf' },
            ...RATES.map((rate: RateKey) => ({
              title: t(`rate.${rate}`),
              key: rate,
              render: (_: unknown, point: { row?: RateRow }) => {
                const cell = point.row?.[rate];
                if (!cell) return '—';
                const value = reportedValue(cell);
                return (
                  <Tooltip title={cellText(cell)}>
                    <span tabIndex={0}>
                      {value === null ? t('pages.dashboard.noCohort') : formatRate(value)}
                    </span>
                  </Tooltip>
                );
              },
            })),
          ]}
        />
      </QueryState>
    </Space>
  );
}
