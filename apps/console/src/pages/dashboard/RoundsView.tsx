import { useQueries } from '@tanstack/react-query';
import { Space, Table, Tooltip } from 'antd';
import { QueryState } from '../../components/QueryState';
import { formatRate, formatWan } from '../../format';
import { useRounds, useTimeMachine } from '../../hooks';
import { useI18n } from '../../i18n';
import { getRates } from '../../services/endpoints';
import { LargeShare, getLargeProjectShares } from '../../services/reports';
import { BATCHES, Batch, RATES, RateRow, Round } from '../../services/types';
import { reportedValue } from './rate-view';
import { ExportButton, ViewMeta } from './ViewParts';

interface RoundSummary {
  round: Round;
  batches?: Record<Batch, LargeShare>;
  rates?: RateRow;
}

/**
 * Each round of the programme on its own: the projects listed in each batch (count and
 * investment, 亿元以上 among them) and the five rates of that round's cohort, province-wide.
 */
export function RoundsView() {
  const { t, locale } = useI18n();
  const { asOf, knownAt } = useTimeMachine();
  const rounds = useRounds();
  const list = rounds.data ?? [];
  const shares = useQueries({
    queries: list.map((round) => ({
      queryKey: ['large-project-shares', { scope: 'province', roundIds: [round.id], asOf, knownAt }],
      queryFn: () => getLargeProjectShares({ scope: 'province', roundId: [round.id], asOf, knownAt }),
    })),
  });
  const rates = useQueries({
    queries: list.map((round) => ({
      queryKey: ['rates', { scope: 'province', roundIds: [round.id], asOf, knownAt }],
      queryFn: () => getRates({ scope: 'province', roundId: [round.id], asOf, knownAt }),
    })),
  });
  const all = [...shares, ...rates];
  const pending = rounds.isPending || all.some((answer) => answer.isPending);
  const error = rounds.error ?? all.find((answer) => answer.error)?.error;
  const summaries: RoundSummary[] = list.map((round, i) => ({
    round,
    batches: shares[i]?.data?.rows[0],
    rates: rates[i]?.data?.rows[0],
  }));
  const listed = (share?: LargeShare) => (share ? `${share.count} / ${formatWan(share.wan, locale)}` : '—');
  const sheets = () => [
    {
      name: t('pages.dashboard.rounds.summary'),
      header: [
        t('pages.dashboard.rounds.round'),
        t('fields.heldOn'),
        ...BATCHES.flatMap((batch) => [
          `${t(`batch.${batch}`)} ${t('pages.dashboard.byCount')}`,
          `${t(`batch.${batch}`)} ${t('fields.totalInvestmentWan')}`,
          `${t(`batch.${batch}`)} ${t('pages.dashboard.rounds.large')}`,
        ]),
        ...RATES.map((rate) => t(`rate.${rate}`)),
      ],
      rows: summaries.map(({ round, batches, rates: row }) => [
        round.name ?? round.id,
        round.heldOn,
        ...BATCHES.flatMap((batch) => [
          batches?.[batch].count ?? 0,
          batches?.[batch].wan ?? 0,
          batches?.[batch].largeCount ?? 0,
        ]),
        ...RATES.map((rate) => (row ? formatRate(reportedValue(row[rate])) : '—')),
      ]),
    },
  ];
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space style={{ width: '100%', justifyContent: 'flex-end' }}>
        <ExportButton
          sheets={pending ? undefined : sheets}
          fileName={`rounds-${rates[0]?.data?.asOf ?? ''}.xlsx`}
        />
      </Space>
      <ViewMeta data={rates[0]?.data} />
      <QueryState
        loading={pending}
        error={error}
        empty={list.length === 0}
        retry={() => all.forEach((answer) => answer.refetch())}
      >
        <Table<RoundSummary>
          rowKey={(summary) => summary.round.id}
          size="small"
          data-testid="round-summaries"
          pagination={{ pageSize: 12, hideOnSinglePage: true, showSizeChanger: false }}
          scroll={{ x: 1100 }}
          dataSource={summaries}
          columns={[
            {
              title: t('pages.dashboard.rounds.round'),
              key: 'round',
              fixed: 'left',
              render: (_: unknown, { round }) => round.name ?? round.id,
            },
            { title: t('fields.heldOn'), key: 'heldOn', render: (_: unknown, { round }) => round.heldOn },
            ...BATCHES.map((batch) => ({
              title: t('pages.dashboard.rounds.listed', { batch: t(`batch.${batch}`) }),
              key: batch,
              render: (_: unknown, { batches }: RoundSummary) => (
                <span>
                  {listed(batches?.[batch])}
                  <div style={{ fontSize: 12, color: 'rgba(0,0,0,0.62)' }}>
                    {t('pages.dashboard.rounds.large')} {batches?.[batch].largeCount ?? 0}
                  </div>
                </span>
              ),
            })),
            ...RATES.map((rate) => ({
              title: t(`rate.${rate}`),
              key: rate,
              align: 'right' as const,
              render: (_: unknown, { rates: row }: RoundSummary) => {
                if (!row) return '—';
                const cell = row[rate];
                return (
                  <Tooltip
                    title={`${cell.count}/${cell.cohortCount}；${formatWan(cell.wan, locale)}/${formatWan(cell.cohortWan, locale)}`}
                  >
                    <span tabIndex={0}>{formatRate(reportedValue(cell))}</span>
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
