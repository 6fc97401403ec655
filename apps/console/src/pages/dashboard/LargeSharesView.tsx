import { useQuery } from '@tanstack/react-query';
import { Space, Table, Tooltip } from 'antd';
import { QueryState } from '../../components/QueryState';
import { formatRate, formatWan } from '../../format';
import { useTimeMachine } from '../../hooks';
import { useI18n } from '../../i18n';
import { LargeShareRow, getLargeProjectShares } from '../../services/reports';
import { BATCHES } from '../../services/types';
import { ExportButton, ViewMeta } from './ViewParts';

/** 亿元以上: per batch, the share of projects of at least 1亿元, by count and by investment. */
export function LargeSharesView({ scope, roundIds }: { scope: string; roundIds: string[] }) {
  const { t, locale } = useI18n();
  const { asOf, knownAt } = useTimeMachine();
  const shares = useQuery({
    queryKey: ['large-project-shares', { scope, roundIds, asOf, knownAt }],
    queryFn: () => getLargeProjectShares({ scope, roundId: roundIds, asOf, knownAt }),
  });
  const rows = shares.data?.rows ?? [];
  const sheets = () => [
    {
      name: t('pages.dashboard.large'),
      header: [
        t('pages.dashboard.unit'),
        ...BATCHES.flatMap((batch) => {
          const name = t(`batch.${batch}`);
          return [
            t('pages.dashboard.large.count', { batch: name }),
            `${t('pages.dashboard.large.share', { batch: name })} ${t('pages.dashboard.byCount')}`,
            `${t('pages.dashboard.large.share', { batch: name })} ${t('pages.dashboard.byInvestment')}`,
          ];
        }),
      ],
      rows: rows.map((row) => [
        row.name,
        ...BATCHES.flatMap((batch) => [
          `${row[batch].largeCount}/${row[batch].count}`,
          formatRate(row[batch].byCount),
          `${formatRate(row[batch].byInvestment)} (${row[batch].largeWan}/${row[batch].wan})`,
        ]),
      ]),
    },
  ];
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space style={{ width: '100%', justifyContent: 'flex-end' }}>
        <ExportButton
          sheets={shares.data ? sheets : undefined}
          fileName={`large-projects-${scope}-${shares.data?.asOf ?? ''}.xlsx`}
        />
      </Space>
      <ViewMeta data={shares.data} />
      <QueryState loading={shares.isPending} error={shares.error} retry={() => shares.refetch()}>
        <Table<LargeShareRow>
          rowKey="id"
          size="small"
          pagination={false}
          scroll={{ x: 900 }}
          dataSource={rows}
          columns={[
            { title: t('pages.dashboard.unit'), dataIndex: 'name', fixed: 'left' },
            ...BATCHES.map((batch) => ({
              title: t('pages.dashboard.large.share', { batch: t(`batch.${batch}`) }),
              key: batch,
              render: (_: unknown, row: LargeShareRow) => {
                const share = row[batch];
                return (
                  <Tooltip
                    title={`${t('pages.dashboard.byCount')} ${share.largeCount}/${share.count}；${t('pages.dashboard.byInvestment')} ${formatWan(share.largeWan, locale)}/${formatWan(share.wan, locale)}`}
                  >
                    <span tabIndex={0} data-testid={`large-${batch}`}>
                      {formatRate(share.byCount)}（{share.largeCount}/{share.count}）
                      <div style={{ fontSize: 12, color: 'rgba(0,0,0,0.62)' }}>
                        {t('pages.dashboard.byInvestment')} {formatRate(share.byInvestment)}
                      </div>
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
