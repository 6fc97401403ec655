import { useQuery } from '@tanstack/react-query';
import { Space, Table, Tag, Tooltip } from 'antd';
import { useMemo } from 'react';
import { EChart, EChartOption } from '../../components/EChart';
import './line-charts';
import { QueryState } from '../../components/QueryState';
import { formatRate, formatWan } from '../../format';
import { useTimeMachine } from '../../hooks';
import { useI18n } from '../../i18n';
import { InvestmentCompletion, getInvestmentCompletion } from '../../services/reports';
import { ExportButton, ViewMeta } from './ViewParts';

type Row = InvestmentCompletion['rows'][number];

/** 投资完成率 of D's year per unit against 序时进度 (the elapsed share of the year). */
export function InvestmentView({ scope, roundIds }: { scope: string; roundIds: string[] }) {
  const { t, locale } = useI18n();
  const { asOf, knownAt } = useTimeMachine();
  const investment = useQuery({
    queryKey: ['investment-completion', { scope, roundIds, asOf, knownAt }],
    queryFn: () => getInvestmentCompletion({ scope, roundId: roundIds, asOf, knownAt }),
  });
  const rows = useMemo(() => investment.data?.rows ?? [], [investment.data]);
  const elapsed = rows[0]?.investment.elapsedShare ?? 0;
  const status = (row: Row) =>
    row.investment.rate === null
      ? t('pages.dashboard.investment.noPlan')
      : row.investment.rate >= row.investment.elapsedShare
        ? t('pages.dashboard.investment.onTrack')
        : t('pages.dashboard.investment.behind');
  const option = useMemo<EChartOption>(
    () => ({
      title: {
        text: `${t('pages.dashboard.investment.rate')}（${t('pages.dashboard.investment.elapsed')} ${formatRate(elapsed)}）`,
        left: 'center',
        textStyle: { fontSize: 14 },
      },
      grid: { left: 48, right: 16, top: 48, bottom: 64 },
      tooltip: { trigger: 'axis' },
      xAxis: {
        type: 'category',
        data: rows.map((row) => row.name),
        axisLabel: { interval: 0, rotate: rows.length > 6 ? 40 : 0 },
      },
      yAxis: { type: 'value', min: 0, axisLabel: { formatter: '{value}%' } },
      series: [
        {
          type: 'bar',
          name: t('pages.dashboard.investment.rate'),
          itemStyle: { color: '#0b57d0' },
          data: rows.map((row) =>
            row.investment.rate === null ? null : Math.round(row.investment.rate * 1000) / 10,
          ),
        },
        {
          type: 'line',
          name: t('pages.dashboard.investment.elapsed'),
          symbol: 'none',
          itemStyle: { color: '#b3261e' },
          lineStyle: { type: 'dashed' },
          data: rows.map(() => Math.round(elapsed * 1000) / 10),
        },
      ],
    }),
    [rows, elapsed, t],
  );
  const header = [
    t('pages.dashboard.unit'),
    t('pages.dashboard.investment.planned'),
    t('pages.dashboard.investment.completed'),
    t('pages.dashboard.investment.rate'),
    t('pages.dashboard.investment.elapsed'),
    t('pages.dashboard.investment.completedAll'),
  ];
  const sheets = () => [
    {
      name: t('pages.dashboard.investment'),
      header: [...header, ''],
      rows: rows.map((row) => [
        row.name,
        row.investment.plannedWan,
        row.investment.completedWan,
        formatRate(row.investment.rate),
        formatRate(row.investment.elapsedShare),
        row.investment.completedAllWan,
        status(row),
      ]),
    },
  ];
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space style={{ width: '100%', justifyContent: 'flex-end' }}>
        <ExportButton
          sheets={investment.data ? sheets : undefined}
          fileName={`investment-${scope}-${investment.data?.asOf ?? ''}.xlsx`}
        />
      </Space>
      <ViewMeta data={investment.data} />
      <QueryState loading={investment.isPending} error={investment.error} retry={() => investment.refetch()}>
        <EChart option={option} testId="chart-investment" />
        <Table<Row>
          rowKey="id"
          size="small"
          pagination={false}
          scroll={{ x: 900 }}
          dataSource={rows}
          columns={[
            { title: header[0], dataIndex: 'name' },
            {
              title: `${header[1]}（万元）`,
              key: 'planned',
              align: 'right',
              render: (_: unknown, row) => formatWan(row.investment.plannedWan, locale),
            },
            {
              title: `${header[2]}（万元）`,
              key: 'completed',
              align: 'right',
              render: (_: unknown, row) => formatWan(row.investment.completedWan, locale),
            },
            {
              title: header[3],
              key: 'rate',
              align: 'right',
              render: (_: unknown, row) => (
                <Tooltip
                  title={`${formatWan(row.investment.completedWan, locale)}/${formatWan(row.investment.plannedWan, locale)}`}
                >
                  <span tabIndex={0}>{formatRate(row.investment.rate)}</span>
                </Tooltip>
              ),
            },
            {
              title: header[4],
              key: 'elapsed',
              align: 'right',
              render: (_: unknown, row) => formatRate(row.investment.elapsedShare),
            },
            {
              title: header[5],
              key: 'all',
              align: 'right',
              render: (_: unknown, row) => formatWan(row.investment.completedAllWan, locale),
            },
            {
              title: '',
              key: 'status',
              render: (_: unknown, row) => (
                <Tag
                  color={
                    row.investment.rate === null
                      ? 'default'
                      : row.investment.rate >= row.investment.elapsedShare
                        ? 'green'
                        : 'red'
                  }
                >
                  {status(row)}
                </Tag>
              ),
            },
          ]}
        />
      </QueryState>
    </Space>
  );
}
