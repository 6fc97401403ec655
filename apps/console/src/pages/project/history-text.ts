import { formatWan } from '../../format';
import type { Translate } from '../../i18n';
import { MessageKey } from '../../locales/zh-CN';
import { HistoryEvent } from '../../services/types';

type Data = Record<string, unknown>;

const text = (value: unknown): string =>
  typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : '';

/** A field's value as an officer reads it: amounts in 万/亿元, yes/no, dates and words as they are. */
function valueText(field: string, value: unknown, t: Translate, locale: string): string {
  if (typeof value === 'boolean') return value ? t('fields.yes') : t('fields.no');
  if (typeof value === 'number' && /Wan$/.test(field)) return formatWan(value, locale);
  if (field === 'category') return t(`obstacle.${text(value)}` as MessageKey);
  return text(value);
}

/** `field：value；…` for a set of changes, in the console's words. */
function changesText(changes: Data, t: Translate, locale: string): string {
  return Object.entries(changes)
    .filter(([, value]) => value !== undefined)
    .map(([field, value]) => `${fieldName(field, t)}：${valueText(field, value, t, locale)}`)
    .join('；');
}

function fieldName(field: string, t: Translate): string {
  const key = (
    {
      category: 'fields.obstacleCategory',
      description: 'fields.obstacleDescription',
    } as Record<string, MessageKey>
  )[field];
  return t(key ?? (`fields.${field}` as MessageKey));
}

/** What one recorded fact says, in the officer's words (the event's name is shown beside it). */
export function describeEvent(event: HistoryEvent, t: Translate, locale: string): string {
  const data = event.data as Data;
  const milestone = (id: unknown) => t(`milestone.${text(id)}` as MessageKey);
  const batch = (id: unknown) => t(`batch.${text(id)}` as MessageKey);
  switch (event.type) {
    case 'ProjectSigned':
      return `${text(data.signedOn)} · ${text(data.name)} · ${formatWan(Number(data.totalInvestmentWan), locale)}`;
    case 'ProjectListed':
      return `${text(data.roundId)} · ${batch(data.batch)}（${text(data.heldOn)}）`;
    case 'ListingWithdrawn':
      return `${text(data.roundId)} · ${batch(data.batch)}（${text(data.heldOn)}）`;
    case 'MilestoneDateCorrected':
      return `${milestone(data.milestone)}：${text(data.previousOccurredOn)} → ${text(data.occurredOn)}`;
    case 'MilestoneRetracted':
      return `${milestone(data.milestone)}：${text(data.previousOccurredOn)}`;
    case 'InvestmentProgressReported':
      return `${text(data.month)}：${formatWan(Number(data.completedInvestmentWan), locale)}`;
    case 'AnnualInvestmentPlanned':
      return `${text(data.year)}：${formatWan(Number(data.plannedInvestmentWan), locale)}`;
    case 'PlannedDatesSet':
      return changesText(
        { plannedStartOn: data.plannedStartOn, plannedProductionOn: data.plannedProductionOn },
        t,
        locale,
      );
    case 'ProjectAmended':
      return changesText((data.changes ?? {}) as Data, t, locale);
    case 'ObstacleRecorded':
      return `${text(data.obstacleId)} · ${t(`obstacle.${text(data.category)}` as MessageKey)}：${text(data.description)}（${t('fields.responsibleUnit')}：${text(data.responsibleUnit)}，${text(data.raisedOn)}）`;
    case 'ObstacleUpdated':
      return `${text(data.obstacleId)} · ${changesText((data.changes ?? {}) as Data, t, locale)}`;
    case 'ObstacleResolved':
      return `${text(data.obstacleId)} · ${text(data.resolvedOn)}：${text(data.resolution)}`;
    case 'ProjectTerminated':
      return text(data.occurredOn);
    case 'ProjectVoided':
      return '';
    default:
      return text(data.occurredOn);
  }
}

/** Where a fact came from: the console or API, or an import's file and row. */
export function sourceText(event: HistoryEvent, t: Translate): string {
  const { source } = event.metadata;
  if (source.kind === 'import')
    return t('pages.project.sourceImport', { file: source.file ?? '', row: source.row ?? '' });
  return source.kind === 'api' ? t('pages.project.sourceApi') : source.kind;
}

/** The event's name in the console's language (its type when the catalogue has none). */
export function eventName(type: string, t: Translate): string {
  const key = `event.${type}` as MessageKey;
  const name = t(key);
  return name === key ? type : name;
}
