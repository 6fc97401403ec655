import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Button, Card, Checkbox, Input, Select, Space, Table, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import { can } from '../../access';
import { QueryState } from '../../components/QueryState';
import { formatWan, lightRuleText } from '../../format';
import { useMe, useRounds, useSearchParam, useTimeMachine, useZones } from '../../hooks';
import { useI18n } from '../../i18n';
import { KnownAtBanner } from '../../layout/TimeMachineBar';
import { listProjects } from '../../services/endpoints';
import { getProjectLights, worstLight } from '../../services/officer-endpoints';
import { StatusTag } from '../../components/StatusTag';
import { BATCHES, ProjectSummary, STAGES } from '../../services/types';
import { pageToRange } from '../../url-state';
import { SignProjectDialog } from './SignProjectDialog';

const PAGE_SIZE = 20;
const LIGHTS = ['red', 'amber', 'green'] as const;
const LIGHT_TONES = { red: 'bad', amber: 'warn', green: 'ok' } as const;

/** The officer's workspace: her zones' projects, filtered and paged in the URL. */
export default function ProjectsPage() {
  const { t, locale } = useI18n();
  const me = useMe()!;
  const { asOf, knownAt, link, historical } = useTimeMachine();
  const zones = useZones();
  const rounds = useRounds();
  const ownZones = me.role === 'officer' ? me.zones : [];
  const [zoneParam, setZone] = useSearchParam('zoneId');
  // An officer starts in her (first) zone; "all" is an explicit choice.
  const zoneId = zoneParam === 'all' ? undefined : (zoneParam ?? ownZones[0]);
  const [stage, setStage] = useSearchParam('stage');
  const [roundId, setRound] = useSearchParam('roundId');
  const [batch, setBatch] = useSearchParam('batch');
  const [overYi, setOverYi] = useSearchParam('overYi');
  const [q, setQ] = useSearchParam('q');
  const [light, setLight] = useSearchParam('light');
  const [pageParam, setPage] = useSearchParam('page');
  const page = Number(pageParam ?? 1);
  const [signing, setSigning] = useState(false);
  const cityId = !zoneId && zoneParam !== 'all' && me.role === 'officer' ? me.cities[0] : undefined;

  const projects = useQuery({
    queryKey: ['projects', { zoneId, cityId, stage, roundId, batch, overYi, q, light, page, asOf, knownAt }],
    queryFn: () =>
      listProjects({
        zoneId,
        cityId,
        stage,
        roundId,
        batch,
        q,
        light,
        minTotalInvestmentWan: overYi ? 10_000 : undefined,
        asOf,
        knownAt,
        ...pageToRange(page, PAGE_SIZE),
      }),
    placeholderData: keepPreviousData,
  });
  const lights = useQuery({
    queryKey: ['project-lights', { zoneId, cityId, asOf, knownAt }],
    queryFn: () => getProjectLights({ zoneId, cityId, asOf, knownAt }),
    placeholderData: keepPreviousData,
  });
  const lightOf = useMemo(
    () =>
      new Map(
        (lights.data?.projects ?? []).map((project) => [
          project.projectId,
          {
            worst: worstLight(project.lights.map((l) => l.colour)),
            rules: project.lights.map((l) => lightRuleText(l.rule, locale)),
          },
        ]),
      ),
    [lights.data, locale],
  );
  const zoneName = useMemo(
    () => new Map((zones.data ?? []).map((zone) => [zone.id, zone.name])),
    [zones.data],
  );
  const items = projects.data?.items ?? [];

  return (
    <Card>
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 16 }} wrap>
        <Typography.Title level={1} style={{ fontSize: 20, margin: 0 }}>
          {t('pages.projects.title')}
        </Typography.Title>
        {can(me, 'project.sign') && !historical && (
          <Button type="primary" onClick={() => setSigning(true)}>
            {t('pages.projects.sign')}
          </Button>
        )}
      </Space>
      <KnownAtBanner knownAt={projects.data?.knownAt} />
      <Space wrap style={{ marginBottom: 16 }}>
        <Input.Search
          aria-label={t('pages.projects.search')}
          placeholder={t('pages.projects.search')}
          defaultValue={q}
          allowClear
          onSearch={(value) => setQ(value || undefined)}
          style={{ width: 240 }}
        />
        <Select
          aria-label={t('pages.projects.zone')}
          style={{ width: 180 }}
          value={zoneId ?? 'all'}
          onChange={(value) => setZone(value)}
          options={[
            { value: 'all', label: t('pages.projects.allZones') },
            ...(zones.data ?? [])
              .slice()
              .sort((a, b) => Number(ownZones.includes(b.id)) - Number(ownZones.includes(a.id)))
              .map((zone) => ({ value: zone.id, label: zone.name })),
          ]}
        />
        <Select
          aria-label={t('pages.projects.stage')}
          placeholder={t('pages.projects.stage')}
          style={{ width: 140 }}
          allowClear
          value={stage}
          onChange={(value) => setStage(value)}
          options={STAGES.map((value) => ({ value, label: t(`stage.${value}`) }))}
        />
        <Select
          aria-label={t('pages.projects.round')}
          placeholder={t('pages.projects.round')}
          style={{ width: 160 }}
          allowClear
          value={roundId}
          onChange={(value) => setRound(value)}
          options={(rounds.data ?? []).map((round) => ({ value: round.id, label: round.name ?? round.id }))}
        />
        <Select
          aria-label={t('pages.projects.batch')}
          placeholder={t('pages.projects.batch')}
          style={{ width: 140 }}
          allowClear
          value={batch}
          onChange={(value) => setBatch(value)}
          options={BATCHES.map((value) => ({ value, label: t(`batch.${value}`) }))}
        />
        <Select
          aria-label={t('pages.projects.light')}
          placeholder={t('pages.projects.light')}
          style={{ width: 140 }}
          allowClear
          value={light}
          onChange={(value) => setLight(value)}
          options={LIGHTS.map((value) => ({ value, label: t(`light.${value}`) }))}
        />
        <Checkbox
          checked={Boolean(overYi)}
          onChange={(event) => setOverYi(event.target.checked ? '1' : undefined)}
        >
          {t('pages.projects.overYi')}
        </Checkbox>
      </Space>
      <QueryState loading={projects.isPending} error={projects.error} retry={() => projects.refetch()}>
        <Table<ProjectSummary>
          rowKey="projectId"
          dataSource={items}
          loading={projects.isFetching}
          pagination={{
            current: page,
            pageSize: PAGE_SIZE,
            total: projects.data?.total ?? 0,
            showSizeChanger: false,
            showTotal: (total) => t('pages.projects.total', { total }),
            onChange: (next) => setPage(next > 1 ? String(next) : undefined),
          }}
          columns={[
            { title: t('fields.projectId'), dataIndex: 'projectId' },
            {
              title: t('fields.name'),
              dataIndex: 'name',
              render: (name: string, row) => (
                <Link to={link(`/projects/${encodeURIComponent(row.projectId)}`)}>{name}</Link>
              ),
            },
            { title: t('fields.enterprise'), dataIndex: 'enterprise' },
            {
              title: t('fields.zoneId'),
              dataIndex: 'zoneId',
              render: (id: string) => zoneName.get(id) ?? id,
            },
            {
              title: t('fields.totalInvestment'),
              dataIndex: 'totalInvestmentWan',
              align: 'right',
              render: (wan: number) => formatWan(wan, locale),
            },
            {
              title: t('fields.stage'),
              dataIndex: 'stage',
              render: (value: ProjectSummary['stage']) => <Tag>{t(`stage.${value}`)}</Tag>,
            },
            { title: t('fields.signedOn'), dataIndex: 'signedOn' },
            {
              title: t('pages.projects.light'),
              key: 'light',
              render: (_: unknown, row) => {
                const lit = lightOf.get(row.projectId);
                if (!lit?.worst) return '—';
                return (
                  <span title={lit.rules.join(locale === 'zh-CN' ? '；' : '; ')}>
                    <StatusTag tone={LIGHT_TONES[lit.worst]} testId={`light-${row.projectId}`}>
                      {t(`light.${lit.worst}`)}
                    </StatusTag>
                  </span>
                );
              },
            },
            {
              title: t('fields.listings'),
              dataIndex: 'listings',
              render: (listings: ProjectSummary['listings']) =>
                listings.map((listing) => `${listing.roundId} ${t(`batch.${listing.batch}`)}`).join('，'),
            },
          ]}
        />
      </QueryState>
      {signing && zones.data && (
        <SignProjectDialog open={signing} onClose={() => setSigning(false)} me={me} zones={zones.data} />
      )}
    </Card>
  );
}
