import { useQuery } from '@tanstack/react-query';
import { Button, Card, Col, Radio, Row, Select, Space, Typography } from 'antd';
import { useMemo } from 'react';
import { useSearchParams } from 'react-router';
import { EChart, EChartOption } from '../../components/EChart';
import { QueryState } from '../../components/QueryState';
import { useRounds, useSearchParam } from '../../hooks';
import { useI18n } from '../../i18n';
import { KnownAtBanner } from '../../layout/TimeMachineBar';
import { RATES, RateKey } from '../../services/types';
import { BelowTheRates } from './BelowTheRates';
import { downloadXlsx, rateSheet } from './export';
import { RateTable } from './RateTable';
import { dashboardQueryOf, ratesQuery } from './rates-query';
import { rateDetail, reportedValue } from './rate-view';

/** The five rates per city or zone, both bases, ranks, and a chart per rate. */
export default function DashboardPage() {
  const { t, locale } = useI18n();
  const rounds = useRounds();
  const [search] = useSearchParams();
  const { scope, roundIds } = dashboardQueryOf(search);
  const [, setScope] = useSearchParam('scope');
  const [, setRounds] = useSearchParam('rounds');
  // Usually answered already: routes.tsx sent it while the session was checked.
  const rates = useQuery(ratesQuery(search));
  const rows = useMemo(() => rates.data?.rows ?? [], [rates.data]);

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
                return `${row.name}<br/>${rateDetail(row[rate], t, locale)}`;
              },
            },
            xAxis: {
              type: 'category',
              data: sorted.map((row) => row.name),
              // Every name up to a city count; beyond, about 20 (each is in the tooltip): laying
              // out 100 rotated names per chart cost more than drawing the bars, and a fixed
              // interval spares measuring them all to choose one ('auto').
              axisLabel: {
                interval: sorted.length > 20 ? Math.ceil(sorted.length / 20) - 1 : 0,
                rotate: sorted.length > 6 ? 40 : 0,
              },
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
          <RateTable rows={rows} />
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
      <BelowTheRates ready={rates.isSuccess} scope={scope} roundIds={roundIds} units={rows} />
    </Space>
  );
}
