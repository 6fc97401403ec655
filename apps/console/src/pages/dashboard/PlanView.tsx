import { useQuery } from '@tanstack/react-query';
import { Space, Table, Tabs, Tooltip, Typography } from 'antd';
import { QueryState } from '../../components/QueryState';
import { formatRate, formatWan } from '../../format';
import { useTimeMachine } from '../../hooks';
import { useI18n } from '../../i18n';
import { useProjectColumns } from './project-columns';
import { OverdueProject, PLAN_KEYS, PlanRow, getPlanProgress } from '../../services/reports';
import { Sheet } from './export';
import { ExportButton, ViewMeta } from './ViewParts';

/** 应开工 / 应投产 against the planned dates per unit, and the overdue projects (longest first). */
export function PlanView({ scope, roundIds }: { scope: string; roundIds: string[] }) {
  const { t, locale } = useI18n();
  const { asOf, knownAt } = useTimeMachine();
  const { columns: projectColumns, zoneName } = useProjectColumns<OverdueProject>();
  const plan = useQuery({
    queryKey: ['plan-progress', { scope, roundIds, asOf, knownAt }],
    queryFn: () => getPlanProgress({ scope, roundId: roundIds, asOf, knownAt }),
  });
  const figureColumns = PLAN_KEYS.flatMap((key) => [
    {
      title: t(`pages.dashboard.plan.${key}.due`),
      key: `${key}-due`,
      align: 'right' as const,
      render: (_: unknown, row: PlanRow) => row[key].due,
    },
    {
      title: t(`pages.dashboard.plan.${key}.reached`),
      key: `${key}-reached`,
      align: 'right' as const,
      render: (_: unknown, row: PlanRow) => row[key].reached,
    },
    {
      title: t(`pages.dashboard.plan.${key}.rate`),
      key: `${key}-rate`,
      align: 'right' as const,
      render: (_: unknown, row: PlanRow) => (
        <Tooltip title={`${row[key].reached}/${row[key].due}`}>
          <span tabIndex={0} data-testid={`plan-${key}`}>
            {formatRate(row[key].rate)}
          </span>
        </Tooltip>
      ),
    },
    {
      title: t(`pages.dashboard.plan.${key}.onPlanRate`),
      key: `${key}-onPlan`,
      align: 'right' as const,
      render: (_: unknown, row: PlanRow) => formatRate(row[key].onPlanRate),
    },
  ]);
  const overdueHeader = [
    t('fields.projectId'),
    t('fields.name'),
    t('fields.zoneId'),
    t('fields.totalInvestment'),
    t('pages.dashboard.overdue.plannedOn'),
    t('pages.dashboard.overdue.days'),
    t('pages.dashboard.overdue.obstacles'),
  ];
  const obstaclesText = (project: OverdueProject) =>
    project.obstacles.map((o) => `${o.description}（${o.responsibleUnit}）`).join('；');
  const sheets = (): Sheet[] => {
    const data = plan.data!;
    return [
      {
        name: t('pages.dashboard.plan'),
        header: [
          t('pages.dashboard.unit'),
          ...PLAN_KEYS.flatMap((key) => [
            t(`pages.dashboard.plan.${key}.due`),
            t(`pages.dashboard.plan.${key}.reached`),
            t(`pages.dashboard.plan.${key}.rate`),
            t(`pages.dashboard.plan.${key}.onPlanRate`),
          ]),
        ],
        rows: data.rows.map((row) => [
          row.name,
          ...PLAN_KEYS.flatMap((key) => [
            row[key].due,
            row[key].reached,
            formatRate(row[key].rate),
            formatRate(row[key].onPlanRate),
          ]),
        ]),
      },
      ...PLAN_KEYS.map((key) => ({
        name: t(`pages.dashboard.overdue.${key}`),
        header: overdueHeader,
        rows: data.overdue[key].map((project) => [
          project.projectId,
          project.name,
          zoneName(project.zoneId),
          formatWan(project.totalInvestmentWan, locale),
          project.plannedOn,
          project.daysOverdue,
          obstaclesText(project),
        ]),
      })),
    ];
  };
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space style={{ width: '100%', justifyContent: 'flex-end' }}>
        <ExportButton
          sheets={plan.data ? sheets : undefined}
          fileName={`plan-progress-${scope}-${plan.data?.asOf ?? ''}.xlsx`}
        />
      </Space>
      <ViewMeta data={plan.data} />
      <QueryState loading={plan.isPending} error={plan.error} retry={() => plan.refetch()}>
        <Table<PlanRow>
          rowKey="id"
          size="small"
          pagination={false}
          scroll={{ x: 900 }}
          dataSource={plan.data?.rows}
          columns={[{ title: t('pages.dashboard.unit'), dataIndex: 'name', fixed: 'left' }, ...figureColumns]}
        />
        <Tabs
          style={{ marginTop: 16 }}
          items={PLAN_KEYS.map((key) => ({
            key,
            label: `${t(`pages.dashboard.overdue.${key}`)} (${plan.data?.overdue[key].length ?? 0})`,
            children: (
              <Table<OverdueProject>
                rowKey="projectId"
                size="small"
                data-testid={`overdue-${key}`}
                dataSource={plan.data?.overdue[key]}
                pagination={{ pageSize: 10, hideOnSinglePage: true, showSizeChanger: false }}
                columns={[
                  ...projectColumns,
                  { title: t('pages.dashboard.overdue.plannedOn'), dataIndex: 'plannedOn' },
                  { title: t('pages.dashboard.overdue.days'), dataIndex: 'daysOverdue', align: 'right' },
                  {
                    title: t('pages.dashboard.overdue.obstacles'),
                    key: 'obstacles',
                    render: (_: unknown, row) => (
                      <Typography.Text type="secondary">{obstaclesText(row) || '—'}</Typography.Text>
                    ),
                  },
                ]}
              />
            ),
          }))}
        />
      </QueryState>
    </Space>
  );
}
