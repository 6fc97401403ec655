import { useQuery } from '@tanstack/react-query';
import {
  Alert,
  Breadcrumb,
  Button,
  Card,
  Descriptions,
  Slider,
  Space,
  Table,
  Timeline,
  Typography,
} from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { can } from '../../access';
import { QueryState } from '../../components/QueryState';
import { StatusTag } from '../../components/StatusTag';
import { formatWan } from '../../format';
import { useMe, useTimeMachine, useZones } from '../../hooks';
import { useI18n } from '../../i18n';
import { KnownAtBanner } from '../../layout/TimeMachineBar';
import { ApiError } from '../../services/api';
import { getHistory, getProject } from '../../services/endpoints';
import { MILESTONES, Obstacle } from '../../services/types';
import { describeEvent, eventName, sourceText } from './history-text';
import { ACTION_LABELS, DIALOGS, ProjectAction, actionAvailable } from './ProjectDialogs';

const time = (instant: string) => dayjs(instant).format('YYYY-MM-DD HH:mm:ss');

export default function ProjectPage() {
  const { projectId = '' } = useParams();
  const { t, locale } = useI18n();
  const me = useMe()!;
  const { asOf, knownAt, set, link, historical } = useTimeMachine();
  const zones = useZones();
  const [action, setAction] = useState<ProjectAction>();
  const project = useQuery({
    queryKey: ['project', projectId, { asOf, knownAt }],
    queryFn: () => getProject(projectId, asOf, knownAt),
  });
  const history = useQuery({ queryKey: ['history', projectId], queryFn: () => getHistory(projectId) });
  const view = project.data;
  const zone = zones.data?.find((candidate) => candidate.id === view?.zoneId);
  const writable =
    Boolean(view && zone) && can(me, 'project.write', { zoneId: zone?.id, cityId: zone?.cityId });
  const events = history.data?.events ?? [];
  const knownCount = knownAt
    ? events.filter((event) => event.metadata.recordedAt <= knownAt).length
    : events.length;
  const notKnown = project.error instanceof ApiError && project.error.problem.status === 404 && historical;
  const Dialog = action && view ? DIALOGS[action] : undefined;

  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <Breadcrumb
        items={[
          { title: <Link to={link('/projects')}>{t('menu.projects')}</Link> },
          { title: view?.name ?? projectId },
        ]}
      />
      <Typography.Title level={1} style={{ fontSize: 20, margin: 0 }}>
        {view?.name ?? projectId}
      </Typography.Title>
      <KnownAtBanner knownAt={knownAt ?? (view ? new Date().toISOString() : undefined)} />
      {events.length > 1 && (
        <Card
          size="small"
          title={t('pages.project.slider')}
          extra={
            knownAt && (
              <Link
                to={`/changes?scope=project&projectId=${encodeURIComponent(projectId)}&k1=${encodeURIComponent(knownAt)}`}
              >
                {t('pages.project.compare')}
              </Link>
            )
          }
        >
          <Slider
            min={1}
            max={events.length}
            value={Math.max(1, knownCount)}
            ariaLabelForHandle={t('app.knownAtLabel')}
            tooltip={{ formatter: (value) => (value ? time(events[value - 1].metadata.recordedAt) : '') }}
            marks={Object.fromEntries(events.map((event, index) => [index + 1, String(index + 1)]))}
            onChange={(value: number) =>
              set({ knownAt: value >= events.length ? undefined : events[value - 1].metadata.recordedAt })
            }
          />
        </Card>
      )}
      {notKnown ? (
        <Alert type="info" showIcon message={t('pages.project.notFound')} />
      ) : (
        <QueryState loading={project.isPending} error={project.error} retry={() => project.refetch()}>
          {view && (
            <Card
              title={t('pages.project.facts')}
              extra={
                <StatusTag tone={view.stage === 'terminated' ? 'bad' : 'info'}>
                  {t(`stage.${view.stage}`)}
                </StatusTag>
              }
            >
              {me.role === 'officer' && zone && !writable && (
                <Alert
                  type="info"
                  showIcon
                  message={t('pages.project.readOnly')}
                  style={{ marginBottom: 16 }}
                />
              )}
              {writable && historical && (
                <Alert
                  type="info"
                  showIcon
                  message={t('app.historicalReadOnly')}
                  style={{ marginBottom: 16 }}
                />
              )}
              {view.voided && (
                <Alert
                  type="warning"
                  showIcon
                  message={t('pages.project.voided', { reason: view.voided.reason })}
                  style={{ marginBottom: 16 }}
                />
              )}
              {writable && !historical && !view.voided && (
                <Space wrap style={{ marginBottom: 16 }} data-testid="write-controls">
                  {(Object.keys(ACTION_LABELS) as ProjectAction[])
                    .filter((name) => actionAvailable(view, name))
                    .map((name) => (
                      <Button
                        key={name}
                        onClick={() => setAction(name)}
                        type={name === 'milestone' ? 'primary' : 'default'}
                        danger={name === 'terminate' || name === 'void'}
                      >
                        {t(ACTION_LABELS[name])}
                      </Button>
                    ))}
                </Space>
              )}
              <Descriptions bordered size="small" column={{ xs: 1, md: 2 }}>
                <Descriptions.Item label={t('fields.projectId')}>{view.projectId}</Descriptions.Item>
                <Descriptions.Item label={t('fields.enterprise')}>{view.enterprise}</Descriptions.Item>
                <Descriptions.Item label={t('fields.zoneId')}>{zone?.name ?? view.zoneId}</Descriptions.Item>
                <Descriptions.Item label={t('fields.totalInvestment')}>
                  {formatWan(view.totalInvestmentWan, locale)}
                </Descriptions.Item>
                <Descriptions.Item label={t('fields.industrial')}>
                  {view.industrial ? t('fields.yes') : t('fields.no')}
                </Descriptions.Item>
                <Descriptions.Item label={t('fields.industryChain')}>
                  {view.industryChain ?? '—'}
                </Descriptions.Item>
                <Descriptions.Item label={t('fields.plannedStartOn')}>
                  {view.plannedStartOn ?? '—'}
                </Descriptions.Item>
                <Descriptions.Item label={t('fields.plannedProductionOn')}>
                  {view.plannedProductionOn ?? '—'}
                </Descriptions.Item>
                <Descriptions.Item label={t('fields.listings')} span={2}>
                  {view.listings
                    .map((listing) => `${listing.roundId} ${t(`batch.${listing.batch}`)}`)
                    .join('，') || '—'}
                </Descriptions.Item>
              </Descriptions>
              <Typography.Title level={2} style={{ fontSize: 16, marginTop: 24 }}>
                {t('pages.project.milestones')}
              </Typography.Title>
              <Descriptions bordered size="small" column={{ xs: 1, md: 3 }} data-testid="milestones">
                <Descriptions.Item label={t('milestone.signed')}>{view.signedOn}</Descriptions.Item>
                {MILESTONES.map((milestone) => (
                  <Descriptions.Item key={milestone} label={t(`milestone.${milestone}`)}>
                    <span data-testid={`milestone-${milestone}`}>{view.milestones[milestone] ?? '—'}</span>
                  </Descriptions.Item>
                ))}
                {view.termination && (
                  <Descriptions.Item label={t('stage.terminated')}>
                    {view.termination.occurredOn}（{view.termination.reason}）
                  </Descriptions.Item>
                )}
              </Descriptions>
              {Object.keys(view.investmentProgress).length > 0 && (
                <Descriptions
                  bordered
                  size="small"
                  title={t('pages.project.investment')}
                  style={{ marginTop: 24 }}
                >
                  {Object.entries(view.investmentProgress).map(([month, wan]) => (
                    <Descriptions.Item key={month} label={month}>
                      {formatWan(wan, locale)}
                    </Descriptions.Item>
                  ))}
                </Descriptions>
              )}
              {Object.keys(view.annualInvestmentPlan ?? {}).length > 0 && (
                <Descriptions
                  bordered
                  size="small"
                  title={t('pages.project.annualPlans')}
                  style={{ marginTop: 24 }}
                  data-testid="annual-plans"
                >
                  {Object.entries(view.annualInvestmentPlan ?? {}).map(([year, wan]) => (
                    <Descriptions.Item key={year} label={year}>
                      {formatWan(wan, locale)}
                    </Descriptions.Item>
                  ))}
                </Descriptions>
              )}
              <Typography.Title level={2} style={{ fontSize: 16, marginTop: 24 }}>
                {t('pages.project.obstacles')}
              </Typography.Title>
              {Object.keys(view.obstacles ?? {}).length === 0 ? (
                <Typography.Text>{t('pages.project.noObstacles')}</Typography.Text>
              ) : (
                <Table<Obstacle>
                  data-testid="obstacles"
                  size="small"
                  rowKey="obstacleId"
                  pagination={false}
                  dataSource={Object.values(view.obstacles ?? {})}
                  columns={[
                    { title: t('fields.obstacleId'), dataIndex: 'obstacleId' },
                    {
                      title: t('fields.obstacleCategory'),
                      dataIndex: 'category',
                      render: (category: Obstacle['category']) => t(`obstacle.${category}`),
                    },
                    { title: t('fields.obstacleDescription'), dataIndex: 'description' },
                    { title: t('fields.responsibleUnit'), dataIndex: 'responsibleUnit' },
                    {
                      title: t('fields.measures'),
                      dataIndex: 'measures',
                      render: (value?: string) => value ?? '—',
                    },
                    { title: t('fields.raisedOn'), dataIndex: 'raisedOn' },
                    {
                      title: t('fields.resolution'),
                      dataIndex: 'resolution',
                      render: (resolution: Obstacle['resolution']) =>
                        resolution ? (
                          <StatusTag tone="ok">
                            {t('obstacle.resolved')} {resolution.resolvedOn}：{resolution.resolution}
                          </StatusTag>
                        ) : (
                          <StatusTag tone="bad">{t('obstacle.open')}</StatusTag>
                        ),
                    },
                  ]}
                />
              )}
            </Card>
          )}
        </QueryState>
      )}
      <Card title={t('pages.project.history')}>
        <QueryState loading={history.isPending} error={history.error} empty={events.length === 0}>
          <Timeline
            data-testid="history"
            items={events.map((event, index) => {
              const later = index >= knownCount;
              return {
                color: later ? 'gray' : 'blue',
                children: (
                  <div
                    data-testid="history-entry"
                    style={later ? { borderLeft: '3px dashed #8c8c8c', paddingLeft: 8 } : undefined}
                  >
                    <Typography.Text strong>{eventName(event.type, t)}</Typography.Text>{' '}
                    <span>{describeEvent(event, t, locale)}</span>
                    {later && ' '}
                    {later && <StatusTag tone="neutral">{t('pages.project.notKnownYet')}</StatusTag>}
                    <div style={{ color: 'rgba(0,0,0,0.65)', fontSize: 13 }}>
                      {t('pages.project.recordedBy')}：
                      {event.metadata.recordedByName ?? event.metadata.recordedBy} ·{' '}
                      {t('pages.project.recordedAt')}：{time(event.metadata.recordedAt)} ·{' '}
                      {t('pages.project.source')}：{sourceText(event, t)}
                      {event.metadata.reason && ` · ${t('fields.reason')}：${event.metadata.reason}`}
                    </div>
                  </div>
                ),
              };
            })}
          />
        </QueryState>
      </Card>
      {Dialog && view && <Dialog project={view} open onClose={() => setAction(undefined)} />}
    </Space>
  );
}
