import { useQuery } from '@tanstack/react-query';
import { Button, Card, Col, Radio, Row, Select, Space, Table, Typography } from 'antd';
import { useMemo } from 'react';
import { EChart, EChartOption } from '../../components/EChart';
import { LazyTooltip } from '../../components/LazyTooltip';
import { QueryState } from '../../components/QueryState';
import { formatRate, formatWan } from '../../format';
import { useRounds, useSearchParam, useTimeMachine } from '../../hooks';
import { useI18n } from '../../i18n';
import { KnownAtBanner } from '../../layout/TimeMachineBar';
import { getRates } from '../../services/endpoints';
import { RATES, RateCell, RateKey, RateRow } from '../../services/types';
import { downloadXlsx, rateSheet } from './export';
import { LazyReportViews } from './LazyReportViews';
import { StalledListsCard } from './StalledLists';
import { rankTable, reportedValue } from './rate-view';

/** The five rates per city or zone, both bases, ranks, and a chart per rate. */
export default function DashboardPage() {
  const { t, locale } = useI18n();
  const { asOf, knownAt } = useTimeMachine();
  const rounds = useRounds();
  const [scopeParam, setScope] = useSearchParam('scope');
  const scope = scopeParam === 'zone' ? 'zone' : 'city';
  const [roundParam, setRounds] = useSearchParam('rounds');
  const roundIds = roundParam ? roundParam.split(',') : [];
  const rates = useQuery({
    queryKey: ['rates', { scope, roundIds, asOf, knownAt }],
    queryFn: () => getRates({ scope, roundId: roundIds, asOf, knownAt }),
  });
  const rows = useMemo(() => rates.data?.rows ?? [], [rates.data]);
  const ranks = useMemo(() => rankTable(rows), [rows]);

  const basis = (cell: RateCell) =>
    cell.reported === 'investment' ? t('pages.dashboard.byInvestment') : t('pages.dashboard.byCount');
  const detail = (cell: RateCell) =>
    `${t('pages.dashboard.byCount')} ${cell.count}/${cell.cohortCount} = ${formatRate(cell.byCount)}；` +
    `${t('pages.dashboard.byInvestment')} ${formatWan(cell.wan, locale)}/${formatWan(cell.cohortWan, locale)} = ${formatRate(cell.byInvestment)}`;

  const charts = useMemo(
    () =>
      RATES.map((rate): [RateKey, EChartOption] => {
        const sorted = [...rows].sort(
          (a, b) => (reportedValue(b[rate]) ?? -1) - (reportedValue(a[rate]) ?? -1),
        );
        return [
          rate,
          {
            title: {
              text: t(`rate.${rate}`),
              // Say so when no unit has a cohort, rather than leave empty axes.
              subtext: sorted.every((row) => reportedValue(row[rate]) === null)
                ? t('pages.dashboard.noCohort')
                : '',
              left: 'center',
              textStyle: { fontSize: 14 },
            },
            grid: { left: 48, right: 16, top: 64, bottom: 64 },
            tooltip: {
              trigger: 'axis',
              formatter: (params: unknown) => {
                const [first] = params as { dataIndex: number }[];
                const row = sorted[first.dataIndex];
                return `${row.name}<br/>${detail(row[rate])}`;
              },
            },
            xAxis: {
              type: 'category',
              data: sorted.map((row) => row.name),
              axisLabel: { interval: 0, rotate: sorted.length > 6 ? 40 : 0 },
            },
            yAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
            series: [
              {
                type: 'bar',
                name: t(`rate.${rate}`),
                data: sorted.map((row) => {
                  const value = reportedValue(row[rate]);
                  return value === null ? null : Math.round(value * 1000) / 10;
                }),
                itemStyle: { color: '#0b57d0' },
                label: { show: sorted.length <= 12, position: 'top', formatter: '{c}%' },
              },
            ],
          },
        ];
      }),
    [rows, locale],
  );

  const columns = [
    {
      title: t('pages.dashboard.unit'),
      dataIndex: 'name',
      fixed: 'left' as const,
    },
    ...RATES.map((rate) => ({
      title: t(`rate.${rate}`),
      key: rate,
      render: (_: unknown, row: RateRow, index: number) => {
        const cell = row[rate];
        const value = reportedValue(cell);
        return (
          <LazyTooltip title={detail(cell)}>
            <span tabIndex={0} data-testid={`rate-${rate}`}>
              {value === null ? t('pages.dashboard.noCohort') : formatRate(value)}
              {ranks[rate][index] !== null && (
                <span style={{ color: 'rgba(0,0,0,0.62)' }}> #{ranks[rate][index]}</span>
              )}
              <div style={{ fontSize: 12, color: 'rgba(0,0,0,0.62)' }}>{basis(cell)}</div>
            </span>
          </LazyTooltip>
        );
      },
    })),
  ];

  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <Space style={{ width: '100%', justifyContent: 'space-between' }} wrap>
        <Typography.Title level={1} style={{ fontSize: 20, margin: 0 }}>
          {t('pages.dashboard.title')}
        </Typography.Title>
        <Space wrap>
          <Radio.Group
            aria-label={t('pages.dashboard.scope')}
            value={scope}
            onChange={(event) => setScope(event.target.value === 'city' ? undefined : event.target.value)}
            optionType="button"
            options={[
              { value: 'city', label: t('pages.dashboard.scope.city') },
              { value: 'zone', label: t('pages.dashboard.scope.zone') },
            ]}
          />
          <Select
            mode="multiple"
            aria-label={t('pages.dashboard.rounds')}
            placeholder={t('pages.dashboard.rounds')}
            style={{ minWidth: 220 }}
            value={roundIds}
            onChange={(value: string[]) => setRounds(value.length ? value.join(',') : undefined)}
            options={(rounds.data ?? []).map((round) => ({ value: round.id, label: round.name ?? round.id }))}
          />
          <Button
            disabled={rows.length === 0}
            onClick={() =>
              downloadXlsx(
                [
                  rateSheet(rows, {
                    unit: t('pages.dashboard.unit'),
                    rank: t('pages.dashboard.rank'),
                    byCount: t('pages.dashboard.byCount'),
                    byInvestment: t('pages.dashboard.byInvestment'),
                    rate: (key) => t(`rate.${key as RateKey}`),
                  }),
                ],
                `rates-${scope}-${rates.data?.asOf ?? ''}.xlsx`,
              )
            }
          >
            {t('app.exportXlsx')}
          </Button>
        </Space>
      </Space>
      <KnownAtBanner knownAt={rates.data?.knownAt} />
      <QueryState
        loading={rates.isPending}
        error={rates.error}
        empty={rows.length === 0}
        retry={() => rates.refetch()}
      >
        <Card>
          <Table<RateRow>
            rowKey="id"
            dataSource={rows}
            columns={columns}
            pagination={false}
            scroll={{ x: 900 }}
            size="small"
          />
        </Card>
        <Row gutter={[16, 16]} style={{ marginTop: 16 }}>
          {charts.map(([rate, option]) => (
            <Col key={rate} xs={24} lg={12} xxl={8}>
              <Card size="small">
                <EChart option={option} testId={`chart-${rate}`} />
              </Card>
            </Col>
          ))}
        </Row>
      </QueryState>
      <StalledListsCard ready={!rates.isPending} scope={scope} roundIds={roundIds} />
      <LazyReportViews ready={rates.isSuccess} scope={scope} roundIds={roundIds} units={rows} />
    </Space>
  );
}
