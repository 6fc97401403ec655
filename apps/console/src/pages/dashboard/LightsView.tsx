import { useQuery } from '@tanstack/react-query';
import { Space, Table, Tag, Typography } from 'antd';
import { useMemo } from 'react';
import { QueryState } from '../../components/QueryState';
import { lightRuleText } from '../../format';
import { useTimeMachine } from '../../hooks';
import { useI18n } from '../../i18n';
import { useProjectColumns } from './project-columns';
import { Light, LightColour, ProjectLights, getProjectLights } from '../../services/reports';
import { ExportButton, ViewMeta } from './ViewParts';
import { LightCount, lightCounts, worstColour } from './views';

/** Dark enough for white text (WCAG AA): the colour is also written out, never the only cue. */
const TAG_COLOURS: Record<LightColour, string> = { red: '#b3261e', amber: '#7d5700', green: '#146c2e' };

/** 红黄绿灯: how many projects of each unit have a red, amber or green light, and the lit ones. */
export function LightsView({
  scope,
  roundIds,
  units,
}: {
  scope: 'city' | 'zone';
  roundIds: string[];
  units: { id: string; name: string }[];
}) {
  const { t, locale } = useI18n();
  const { asOf, knownAt } = useTimeMachine();
  const { columns: projectColumns, zoneName } = useProjectColumns<ProjectLights>({ investment: false });
  const lights = useQuery({
    queryKey: ['project-lights', { roundIds, asOf, knownAt }],
    queryFn: () => getProjectLights({ roundId: roundIds, asOf, knownAt }),
  });
  const counts = useMemo(
    () =>
      lightCounts(
        lights.data?.projects ?? [],
        units.map((unit) => unit.id),
        (project) => (scope === 'city' ? project.cityId : project.zoneId),
      ),
    [lights.data, units, scope],
  );
  const lit = useMemo(
    () => (lights.data?.projects ?? []).filter((project) => worstColour(project) !== 'green'),
    [lights.data],
  );
  const unitName = (id: string) => units.find((unit) => unit.id === id)?.name ?? id;
  const colourName = (colour: LightColour) => t(`pages.dashboard.lights.${colour}`);
  const lightText = (light: Light) => {
    const [kind, colour, rule] = [
      t(`pages.dashboard.lights.kind.${light.kind}`),
      colourName(light.colour),
      lightRuleText(light.rule, locale),
    ];
    const text = locale === 'zh-CN' ? `${kind}：${colour}（${rule}）` : `${kind}: ${colour} (${rule})`;
    return light.justified ? `${text} ${t('pages.dashboard.lights.justified')}` : text;
  };
  const countHeader = [
    t('pages.dashboard.unit'),
    t('pages.dashboard.lights.red'),
    t('pages.dashboard.lights.amber'),
    t('pages.dashboard.lights.green'),
    t('pages.dashboard.lights.justified'),
  ];
  const sheets = () => [
    {
      name: t('pages.dashboard.lights'),
      header: countHeader,
      rows: counts.map((count) => [
        unitName(count.unitId),
        count.red,
        count.amber,
        count.green,
        count.justified,
      ]),
    },
    {
      name: t('pages.dashboard.lights.lit'),
      header: [
        t('fields.projectId'),
        t('fields.name'),
        t('fields.zoneId'),
        t('pages.dashboard.lights.which'),
      ],
      rows: lit.map((project) => [
        project.projectId,
        project.name,
        zoneName(project.zoneId),
        project.lights.map(lightText).join('；'),
      ]),
    },
  ];
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space style={{ width: '100%', justifyContent: 'flex-end' }}>
        <ExportButton
          sheets={lights.data ? sheets : undefined}
          fileName={`lights-${scope}-${lights.data?.asOf ?? ''}.xlsx`}
        />
      </Space>
      <ViewMeta data={lights.data} />
      <QueryState loading={lights.isPending} error={lights.error} retry={() => lights.refetch()}>
        <Table<LightCount>
          rowKey="unitId"
          size="small"
          data-testid="light-counts"
          pagination={{ pageSize: 20, hideOnSinglePage: true, showSizeChanger: false }}
          dataSource={counts}
          columns={[
            { title: countHeader[0], dataIndex: 'unitId', render: unitName },
            ...(['red', 'amber', 'green'] as const).map((colour) => ({
              title: (
                <Tag color={TAG_COLOURS[colour]} style={{ marginInlineEnd: 0 }}>
                  {colourName(colour)}
                </Tag>
              ),
              dataIndex: colour,
              align: 'right' as const,
            })),
            { title: countHeader[4], dataIndex: 'justified', align: 'right' },
          ]}
        />
        <Typography.Title level={2} style={{ fontSize: 16, marginTop: 16 }}>
          {t('pages.dashboard.lights.lit')}（{lit.length}）
        </Typography.Title>
        <Table<ProjectLights>
          rowKey="projectId"
          size="small"
          data-testid="lit-projects"
          pagination={{ pageSize: 10, hideOnSinglePage: true, showSizeChanger: false }}
          dataSource={lit}
          columns={[
            ...projectColumns,
            {
              title: t('pages.dashboard.lights.which'),
              key: 'lights',
              render: (_: unknown, row) => (
                <Space wrap size={4}>
                  {row.lights
                    .filter((light) => light.colour !== 'green')
                    .map((light) => (
                      <Tag key={light.kind} color={TAG_COLOURS[light.colour]}>
                        {lightText(light)}
                      </Tag>
                    ))}
                </Space>
              ),
            },
          ]}
        />
      </QueryState>
    </Space>
  );
}
