import { useQuery } from '@tanstack/react-query';
import {
  Alert,
  Card,
  DatePicker,
  Form,
  Input,
  Radio,
  Select,
  Space,
  Table,
  Timeline,
  Typography,
} from 'antd';
import dayjs from 'dayjs';
import { Link } from 'react-router';
import { namedListbox } from '../../components/named-listbox';
import { QueryState } from '../../components/QueryState';
import { StatusTag } from '../../components/StatusTag';
import { formatWan } from '../../format';
import { useSearchParam, useZones } from '../../hooks';
import { Translate, useI18n } from '../../i18n';
import { MessageKey } from '../../locales/zh-CN';
import { ApiError } from '../../services/api';
import { getHistory, getProject, listProjects } from '../../services/endpoints';
import { HistoryEvent, Zone } from '../../services/types';
import { describeEvent, eventName, sourceText } from '../project/history-text';
import {
  FactChange,
  FactKey,
  ProjectChange,
  compareFacts,
  compareProjectLists,
  recordedBetween,
} from './changes';

const time = (instant: string) => dayjs(instant).format('YYYY-MM-DD HH:mm:ss');

function factLabel(key: FactKey, t: Translate): string {
  const [kind, rest] = key.split(':') as [string, string | undefined];
  switch (kind) {
    case 'milestone':
      return t(`milestone.${rest}` as MessageKey);
    case 'investment':
      return `${t('pages.project.investment')} ${rest}`;
    case 'plan':
      return `${t('pages.project.annualPlans')} ${rest}`;
    case 'obstacle':
      return `${t('fields.obstacle')} ${rest}`;
    case 'termination':
      return t('stage.terminated');
    case 'voided':
      return t('event.ProjectVoided');
    default:
      return t(`fields.${kind}` as MessageKey);
  }
}

function factValue(
  key: FactKey,
  value: string | undefined,
  t: Translate,
  locale: string,
  zones: Zone[],
): string {
  if (value === undefined) return '—';
  const kind = key.split(':')[0];
  if (kind === 'stage') return t(`stage.${value}` as MessageKey);
  if (value === 'true' || value === 'false') return value === 'true' ? t('fields.yes') : t('fields.no');
  if (kind === 'totalInvestmentWan' || kind === 'investment' || kind === 'plan')
    return formatWan(Number(value), locale);
  if (kind === 'zoneId') return zones.find((zone) => zone.id === value)?.name ?? value;
  if (kind === 'listings')
    return value
      .split(', ')
      .map((listing) => {
        const [roundId, batch] = listing.split(':');
        return `${roundId} ${t(`batch.${batch}` as MessageKey)}`;
      })
      .join('，');
  if (kind === 'obstacle') {
    const [category, ...details] = value.split(' | ');
    const last = details[details.length - 1];
    return [
      t(`obstacle.${category}` as MessageKey),
      ...details.slice(0, -1).filter(Boolean),
      last === 'open' ? t('obstacle.open') : `${t('obstacle.resolved')} ${last}`,
    ].join(' · ');
  }
  return value;
}

function FactTable({ facts, testId }: { facts: FactChange[]; testId: string }) {
  const { t, locale } = useI18n();
  const zones = useZones().data ?? [];
  return (
    <Table<FactChange>
      data-testid={testId}
      size="small"
      rowKey="key"
      pagination={false}
      locale={{ emptyText: t('pages.changes.noChange') }}
      dataSource={facts}
      columns={[
        { title: t('pages.changes.fact'), dataIndex: 'key', render: (key: FactKey) => factLabel(key, t) },
        {
          title: t('pages.changes.atK1'),
          dataIndex: 'before',
          render: (value: string | undefined, row) => factValue(row.key, value, t, locale, zones),
        },
        {
          title: t('pages.changes.atK2'),
          dataIndex: 'after',
          render: (value: string | undefined, row) => factValue(row.key, value, t, locale, zones),
        },
      ]}
    />
  );
}

/** Who recorded what, when, why and from which source between K1 and K2. */
function RecordedBetween({ projectId, k1, k2 }: { projectId: string; k1: string; k2: string }) {
  const { t, locale } = useI18n();
  const history = useQuery({ queryKey: ['history', projectId], queryFn: () => getHistory(projectId) });
  const events = recordedBetween(history.data?.events ?? [], k1, k2);
  return (
    <QueryState loading={history.isPending} error={history.error} empty={events.length === 0}>
      <Timeline
        data-testid={`recorded-between-${projectId}`}
        items={events.map((event: HistoryEvent) => ({
          children: (
            <div data-testid="recorded-between-entry">
              <Typography.Text strong>{eventName(event.type, t)}</Typography.Text>{' '}
              <span>{describeEvent(event, t, locale)}</span>
              <div style={{ color: 'rgba(0,0,0,0.65)', fontSize: 13 }}>
                {t('pages.project.recordedBy')}：{event.metadata.recordedByName ?? event.metadata.recordedBy}{' '}
                · {t('pages.project.recordedAt')}：{time(event.metadata.recordedAt)} ·{' '}
                {t('pages.project.source')}：{sourceText(event, t)}
                {event.metadata.reason && ` · ${t('fields.reason')}：${event.metadata.reason}`}
              </div>
            </div>
          ),
        }))}
      />
    </QueryState>
  );
}

/** A project as known at an instant, or undefined when it was not known yet (404). */
async function projectKnownAt(projectId: string, knownAt: string) {
  try {
    return await getProject(projectId, undefined, knownAt);
  } catch (error) {
    if (error instanceof ApiError && error.problem.status === 404) return undefined;
    throw error;
  }
}

function ProjectChanges({ projectId, k1, k2 }: { projectId: string; k1: string; k2: string }) {
  const { t } = useI18n();
  const views = useQuery({
    queryKey: ['changes', 'project', projectId, k1, k2],
    queryFn: async () => {
      const [before, after] = await Promise.all([
        projectKnownAt(projectId, k1),
        projectKnownAt(projectId, k2),
      ]);
      return { before, after };
    },
  });
  return (
    <QueryState loading={views.isPending} error={views.error}>
      {views.data && !views.data.before && !views.data.after ? (
        <Alert type="info" showIcon message={t('pages.changes.unknownProject', { projectId })} />
      ) : (
        views.data && (
          <Space direction="vertical" size={16} style={{ width: '100%' }}>
            <Typography.Title level={2} style={{ fontSize: 16, margin: 0 }}>
              <Link to={`/projects/${encodeURIComponent(projectId)}`}>
                {(views.data.after ?? views.data.before)!.name}
              </Link>
            </Typography.Title>
            <FactTable facts={compareFacts(views.data.before, views.data.after)} testId="fact-changes" />
            <Typography.Title level={3} style={{ fontSize: 15, margin: 0 }}>
              {t('pages.changes.recorded')}
            </Typography.Title>
            <RecordedBetween projectId={projectId} k1={k1} k2={k2} />
          </Space>
        )
      )}
    </QueryState>
  );
}

const KIND_TONES = { added: 'ok', removed: 'bad', changed: 'info' } as const;

function ZoneChanges({ zoneId, k1, k2 }: { zoneId: string; k1: string; k2: string }) {
  const { t, locale } = useI18n();
  const zones = useZones().data ?? [];
  const lists = useQuery({
    queryKey: ['changes', 'zone', zoneId, k1, k2],
    queryFn: async () => {
      const [before, after] = await Promise.all(
        [k1, k2].map((knownAt) => listProjects({ zoneId, knownAt, limit: 1000 })),
      );
      return compareProjectLists(before.items, after.items);
    },
  });
  return (
    <QueryState loading={lists.isPending} error={lists.error}>
      <Table<ProjectChange>
        data-testid="zone-changes"
        size="small"
        rowKey="projectId"
        locale={{ emptyText: t('pages.changes.noChange') }}
        dataSource={lists.data ?? []}
        pagination={{ pageSize: 20, showSizeChanger: false, hideOnSinglePage: true }}
        expandable={{
          expandedRowRender: (change) => (
            <Space direction="vertical" style={{ width: '100%' }}>
              <FactTable facts={change.facts} testId={`fact-changes-${change.projectId}`} />
              <RecordedBetween projectId={change.projectId} k1={k1} k2={k2} />
            </Space>
          ),
        }}
        columns={[
          { title: t('fields.projectId'), dataIndex: 'projectId' },
          {
            title: t('fields.name'),
            dataIndex: 'name',
            render: (name: string, change) => (
              <Link to={`/projects/${encodeURIComponent(change.projectId)}`}>{name}</Link>
            ),
          },
          {
            title: t('pages.changes.kind'),
            dataIndex: 'kind',
            render: (kind: ProjectChange['kind']) => (
              <StatusTag tone={KIND_TONES[kind]}>{t(`pages.changes.kind.${kind}`)}</StatusTag>
            ),
          },
          {
            title: t('pages.changes.facts'),
            dataIndex: 'facts',
            render: (facts: FactChange[]) =>
              facts
                .map(
                  (fact) =>
                    `${factLabel(fact.key, t)}：${factValue(fact.key, fact.before, t, locale, zones)} → ${factValue(fact.key, fact.after, t, locale, zones)}`,
                )
                .join('；'),
          },
        ]}
      />
    </QueryState>
  );
}

/** 审计：what changed between K1 and K2 (two "as known at" instants) for a project or a zone. */
export default function ChangesPage() {
  const { t } = useI18n();
  const zones = useZones();
  const [scope = 'project', setScope] = useSearchParam('scope');
  const [projectId, setProjectId] = useSearchParam('projectId');
  const [zoneId, setZoneId] = useSearchParam('zoneId');
  const [k1, setK1] = useSearchParam('k1');
  const [k2Param, setK2] = useSearchParam('k2');
  // K2 "now" is fixed when the page opens, so both views stay put while one reads them.
  const k2 = k2Param ?? new Date().toISOString();
  const instant = (value: dayjs.Dayjs | null) => (value ? value.toISOString() : undefined);
  const target = scope === 'zone' ? zoneId : projectId;

  return (
    <Card>
      <Space direction="vertical" size={16} style={{ width: '100%' }}>
        <Typography.Title level={1} style={{ fontSize: 20, margin: 0 }}>
          {t('pages.changes.title')}
        </Typography.Title>
        <Typography.Paragraph style={{ margin: 0 }}>{t('pages.changes.intro')}</Typography.Paragraph>
        <Form layout="inline" style={{ rowGap: 8 }}>
          <Form.Item label={t('pages.changes.scope')}>
            <Radio.Group
              value={scope}
              onChange={(event) => setScope(event.target.value as string)}
              options={[
                { value: 'project', label: t('pages.changes.scope.project') },
                { value: 'zone', label: t('pages.changes.scope.zone') },
              ]}
              optionType="button"
            />
          </Form.Item>
          {scope === 'zone' ? (
            <Form.Item label={t('fields.zoneId')} htmlFor="changes-zone">
              <Select
                id="changes-zone"
                style={{ width: 200 }}
                popupRender={namedListbox(t('fields.zoneId'))}
                value={zoneId}
                onChange={(value: string) => setZoneId(value)}
                options={(zones.data ?? []).map((zone) => ({ value: zone.id, label: zone.name }))}
              />
            </Form.Item>
          ) : (
            <Form.Item label={t('fields.projectId')} htmlFor="changes-project">
              <Input.Search
                id="changes-project"
                style={{ width: 220 }}
                defaultValue={projectId}
                onSearch={(value) => setProjectId(value.trim() || undefined)}
              />
            </Form.Item>
          )}
          <Form.Item label={t('pages.changes.k1')} htmlFor="changes-k1">
            <DatePicker
              id="changes-k1"
              showTime
              value={k1 ? dayjs(k1) : null}
              onChange={(value) => setK1(instant(value))}
            />
          </Form.Item>
          <Form.Item label={t('pages.changes.k2')} htmlFor="changes-k2">
            <DatePicker
              id="changes-k2"
              showTime
              value={k2Param ? dayjs(k2Param) : null}
              placeholder={t('pages.changes.now')}
              onChange={(value) => setK2(instant(value))}
            />
          </Form.Item>
        </Form>
        {k1 && target ? (
          <>
            <Alert
              type="info"
              showIcon
              data-testid="changes-window"
              message={t('pages.changes.window', { k1: time(k1), k2: time(k2) })}
            />
            {scope === 'zone' ? (
              <ZoneChanges zoneId={target} k1={k1} k2={k2} />
            ) : (
              <ProjectChanges projectId={target} k1={k1} k2={k2} />
            )}
          </>
        ) : (
          <Alert type="info" showIcon message={t('pages.changes.choose')} />
        )}
      </Space>
    </Card>
  );
}
