import { useQuery } from '@tanstack/react-query';
import { Badge, Button, Card, Table, Tabs } from 'antd';
import { QueryState } from '../../components/QueryState';
import { formatWan } from '../../format';
import { useTimeMachine } from '../../hooks';
import { useI18n } from '../../i18n';
import { useProjectColumns } from './project-columns';
import { getStalled } from '../../services/endpoints';
import { STALLED_KINDS, StalledProject } from '../../services/types';
import { downloadXlsx } from './export';

/** 三未: signed not started, started not producing, producing not attained, longest first. */
export default function StalledListsCard({
  scope,
  roundIds,
  ready = true,
}: {
  scope: string;
  roundIds: string[];
  /** Ask only once the rates are drawn: the rate table is the page's first answer, not this one. */
  ready?: boolean;
}) {
  const { t, locale } = useI18n();
  const { asOf, knownAt } = useTimeMachine();
  const { columns: projectColumns, zoneName } = useProjectColumns<StalledProject>();
  const stalled = useQuery({
    queryKey: ['stalled', { scope, roundIds, asOf, knownAt }],
    queryFn: () => getStalled({ scope, roundId: roundIds, asOf, knownAt }),
    enabled: ready,
  });
  const header = [
    t('fields.projectId'),
    t('fields.name'),
    t('fields.zoneId'),
    t('fields.totalInvestment'),
    t('stalled.since'),
    t('stalled.days'),
  ];
  const rowOf = (project: StalledProject) => [
    project.projectId,
    project.name,
    zoneName(project.zoneId),
    formatWan(project.totalInvestmentWan, locale),
    project.since,
    project.daysStalled,
  ];
  return (
    <Card
      title={t('pages.dashboard.stalled')}
      extra={
        <Button
          disabled={!stalled.data}
          onClick={() =>
            downloadXlsx(
              STALLED_KINDS.map((kind) => ({
                name: t(`stalled.${kind}`),
                header,
                rows: stalled.data![kind].map(rowOf),
              })),
              `stalled-${stalled.data?.asOf ?? ''}.xlsx`,
            )
          }
        >
          {t('app.exportXlsx')}
        </Button>
      }
    >
      <QueryState loading={stalled.isPending} error={stalled.error} retry={() => stalled.refetch()}>
        <Tabs
          items={STALLED_KINDS.map((kind) => ({
            key: kind,
            label: (
              <span>
                {t(`stalled.${kind}`)}{' '}
                <Badge count={stalled.data?.[kind].length ?? 0} showZero color="#595959" />
              </span>
            ),
            children: (
              <Table<StalledProject>
                rowKey="projectId"
                size="small"
                dataSource={stalled.data?.[kind]}
                pagination={{ pageSize: 10, hideOnSinglePage: true }}
                columns={[
                  ...projectColumns,
                  { title: t('stalled.since'), dataIndex: 'since' },
                  { title: t('stalled.days'), dataIndex: 'daysStalled', align: 'right' },
                ]}
              />
            ),
          }))}
        />
      </QueryState>
    </Card>
  );
}
