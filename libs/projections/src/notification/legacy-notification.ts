import { LocalDate, YearMonth, lastDayOf } from '@app/domain';
import { elapsedShareOfYear } from '../investment-completion';
import { LifecycleReadModel } from '../lifecycle-read-model';
import { stalledProjects } from '../project-lists';
import { RATE_DEFINITIONS, RATE_KEYS, Rate, RateKey, rateTable } from '../rates';
import { Scope } from '../scope';
import {
  EarlierMonthFact,
  NotificationRateRow,
  earlierMonthFacts,
  milestonesDuring,
  rank,
} from './compose-notification';

/**
 * The settings recorded by notifications issued before cohorts, bases and stepped targets
 * were settings (issue 10): flat targets, scaled by the elapsed share of the year.
 */
export interface LegacyNotificationSettings {
  targets: Record<RateKey, number>;
  stalledThresholdDays: Record<string, number>;
  cohort: 'year' | 'all';
}

/** Issues recorded before issue 10 carry settings without a `basis`. */
export const isLegacySettings = (settings: object): settings is LegacyNotificationSettings =>
  !('basis' in settings);

type LegacyRate = Omit<Rate, 'completedWan' | 'byCompletedInvestment'> & {
  value: number | null;
  rank: number | null;
  change: number | null;
};
type LegacyRow = Omit<NotificationRateRow, 'rates'> & { rates: Record<RateKey, LegacyRate> };
interface LegacyContent {
  knownThroughPosition: number;
  asOf: LocalDate;
  rates: Record<'province' | 'cities' | 'zones', LegacyRow[]>;
}

export interface LegacyNotificationInput {
  month: YearMonth;
  issue: number;
  knownAt: string;
  knownThroughPosition: number;
  settings: LegacyNotificationSettings;
  previous?: LegacyContent;
}

/**
 * The notification exactly as it was composed before issue 10, so that issues recorded then
 * still verify: the cohort of the settings (the year's by default) for the rates and for the
 * recomputation of the previous issue alike, stalled lists over every signed project, each
 * rate on its reported basis, warnings against target × elapsed share of the year. Only
 * verification uses it; new issues are composed by `composeNotification`.
 */
export function composeLegacyNotification(model: LifecycleReadModel, input: LegacyNotificationInput): object {
  const asOf = lastDayOf(input.month);
  const year = Number(input.month.slice(0, 4));
  const since = input.settings.cohort === 'year' ? `${year}-01-01` : undefined;
  const rates = legacyRateRows(model, asOf, since, input.previous);
  const elapsed = elapsedShareOfYear(asOf);
  const lists = stalledProjects(model, { asOf, minDays: input.settings.stalledThresholdDays });
  const entries = (kind: 'signedNotStarted' | 'startedNotProducing' | 'producingNotAttained') =>
    lists[kind].map((p) => ({
      projectId: p.projectId,
      name: p.name,
      zoneId: p.zoneId,
      cityId: p.cityId,
      totalInvestmentWan: p.totalInvestmentWan,
      since: p.since,
      daysStalled: p.daysStalled,
    }));
  const previous = input.previous as (LegacyContent & { issue: number; month: YearMonth }) | undefined;
  return {
    title: `${year}年${Number(input.month.slice(5))}月"三个一批"项目推进情况通报（第${input.issue}期）`,
    issue: input.issue,
    month: input.month,
    asOf,
    knownAt: input.knownAt,
    knownThroughPosition: input.knownThroughPosition,
    settings: input.settings,
    cohort: { since: since ?? null },
    previousIssue: previous
      ? {
          issue: previous.issue,
          month: previous.month,
          asOf: previous.asOf,
          knownThroughPosition: previous.knownThroughPosition,
        }
      : null,
    rates,
    milestones: milestonesDuring(model, input.month),
    stalled: {
      signedNotStarted: entries('signedNotStarted'),
      startedNotProducing: entries('startedNotProducing'),
      producingNotAttained: entries('producingNotAttained'),
    },
    warnings: {
      elapsedShareOfYear: elapsed,
      zones: rates.zones.map((row) => ({
        zoneId: row.id,
        zoneName: row.name,
        cityId: row.cityId as string,
        statuses: Object.fromEntries(
          RATE_KEYS.map((key) => {
            const value = row.rates[key].value;
            const target = input.settings.targets[key];
            const timeTarget = target * elapsed;
            const status =
              value === null ? 'none' : value >= target ? 'green' : value >= timeTarget ? 'amber' : 'red';
            return [key, { status, value, target, timeTarget }];
          }),
        ),
      })),
    },
    changesAboutEarlierMonths: input.previous
      ? legacyChangesSince(model, input.previous, since)
      : { facts: [], correctedRates: [] },
  };
}

function legacyRateRows(
  model: LifecycleReadModel,
  asOf: LocalDate,
  since: LocalDate | undefined,
  previous?: LegacyContent,
): Record<'province' | 'cities' | 'zones', LegacyRow[]> {
  const toRows = (scope: Scope): LegacyRow[] =>
    rateTable(model, { scope, asOf, since }).rows.map((row) => {
      const zone = scope === 'zone' ? model.zones.get(row.id) : undefined;
      const rates = Object.fromEntries(
        RATE_KEYS.map((key) => {
          const { completedWan: _completed, byCompletedInvestment: _byCompleted, ...rate } = row[key];
          const value = RATE_DEFINITIONS[key].reported === 'investment' ? rate.byInvestment : rate.byCount;
          return [key, { ...rate, value, rank: null, change: null }];
        }),
      ) as Record<RateKey, LegacyRate>;
      return {
        scope,
        id: row.id,
        name: row.name,
        ...(zone ? { cityId: zone.cityId, category: zone.category } : {}),
        rates,
      };
    });
  const rows = { province: toRows('province'), cities: toRows('city'), zones: toRows('zone') };
  rank(rows.cities as unknown as NotificationRateRow[], () => 'cities');
  rank(rows.zones as unknown as NotificationRateRow[], (row) => row.category ?? '');
  if (previous) {
    for (const group of ['province', 'cities', 'zones'] as const) {
      const before = new Map(previous.rates[group].map((row) => [row.id, row]));
      for (const row of rows[group]) {
        for (const key of RATE_KEYS) {
          const now = row.rates[key].value;
          const then = before.get(row.id)?.rates[key].value;
          row.rates[key].change = now === null || then === null || then === undefined ? null : now - then;
        }
      }
    }
  }
  return rows;
}

/** As composed then: the previous issue recomputed with this issue's cohort (the fault issue 10 fixed). */
function legacyChangesSince(
  model: LifecycleReadModel,
  previous: LegacyContent,
  since: LocalDate | undefined,
): { facts: EarlierMonthFact[]; correctedRates: object[] } {
  const facts = earlierMonthFacts(model, previous);
  const correctedRates: object[] = [];
  if (facts.length > 0) {
    const now = legacyRateRows(model, previous.asOf, since);
    for (const group of ['province', 'cities', 'zones'] as const) {
      const published = new Map(previous.rates[group].map((row) => [row.id, row]));
      for (const row of now[group]) {
        for (const key of RATE_KEYS) {
          const before = published.get(row.id)?.rates[key];
          const after = row.rates[key];
          if (before && before.byCount === after.byCount && before.byInvestment === after.byInvestment)
            continue;
          correctedRates.push({
            scope: row.scope,
            id: row.id,
            name: row.name,
            rate: key,
            published: { byCount: before?.byCount ?? null, byInvestment: before?.byInvestment ?? null },
            corrected: { byCount: after.byCount, byInvestment: after.byInvestment },
          });
        }
      }
    }
  }
  return { facts, correctedRates };
}
