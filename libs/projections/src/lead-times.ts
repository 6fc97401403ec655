import { LocalDate, Milestone, daysBetween } from '@app/domain';
import { LifecycleReadModel } from './lifecycle-read-model';
import { ProjectSnapshot, listedBy, reachedBy } from './project-snapshot';
import {
  CohortSelection,
  ProjectFilters,
  Scope,
  ScopeUnit,
  projectMatches,
  roundSelector,
  scopeUnits,
  unitIdOf,
} from './scope';
import { Batch } from '@app/domain';

export const LEAD_TIME_KEYS = ['signToStart', 'startToProduction', 'productionToAttainment'] as const;
export type LeadTimeKey = (typeof LEAD_TIME_KEYS)[number];

/**
 * Each interval is measured over the cohort of the batch where it starts to matter: signing
 * to construction start over the signing batch, construction start to production over the
 * construction batch, production to attainment over the production batch. A project is
 * measured when both ends happened on or before D.
 */
export const LEAD_TIME_DEFINITIONS: Record<
  LeadTimeKey,
  { cohort: Batch; from: 'signed' | Milestone; to: Milestone }
> = {
  signToStart: { cohort: 'signing', from: 'signed', to: 'construction-started' },
  startToProduction: { cohort: 'construction', from: 'construction-started', to: 'production-started' },
  productionToAttainment: { cohort: 'production', from: 'production-started', to: 'attained' },
};

export interface LeadTime {
  /** Projects measured. */
  count: number;
  /** Days, by the nearest-rank method; null when nothing was measured. */
  median: number | null;
  p90: number | null;
}

export type LeadTimeRow = ScopeUnit & Record<LeadTimeKey, LeadTime>;

export interface LeadTimeQuery extends CohortSelection, ProjectFilters {
  scope: Scope;
  asOf: LocalDate;
  knownAt?: string;
}

/** Nearest-rank percentile: the smallest value with at least p% of values at or below it. */
export function nearestRank(sorted: readonly number[], percent: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil((percent / 100) * sorted.length));
  return sorted[rank - 1];
}

function interval(project: ProjectSnapshot, key: LeadTimeKey, asOf: LocalDate): number | undefined {
  const { from, to } = LEAD_TIME_DEFINITIONS[key];
  const start =
    from === 'signed'
      ? project.signedOn <= asOf
        ? project.signedOn
        : undefined
      : reachedBy(project, from, asOf);
  const end = reachedBy(project, to, asOf);
  return start !== undefined && end !== undefined ? daysBetween(start, end) : undefined;
}

/** Days between milestones, median and 90th percentile per scope unit. */
export function leadTimes(model: LifecycleReadModel, query: LeadTimeQuery) {
  const units = scopeUnits(query.scope, model.zones.values(), query);
  const samples = new Map(
    units.map((unit) => [
      unit.id,
      { signToStart: [], startToProduction: [], productionToAttainment: [] } as Record<LeadTimeKey, number[]>,
    ]),
  );
  const selected = roundSelector(query);
  const knownAt = query.knownAt === undefined ? undefined : Date.parse(query.knownAt);
  for (const project of model.snapshots(knownAt)) {
    const zone = model.zones.get(project.zoneId);
    if (!projectMatches(project, zone, query)) continue;
    const unitId = unitIdOf(query.scope, zone);
    const target = unitId === undefined ? undefined : samples.get(unitId);
    if (!target) continue;
    for (const key of LEAD_TIME_KEYS) {
      if (!listedBy(project, LEAD_TIME_DEFINITIONS[key].cohort, query.asOf, selected)) continue;
      const days = interval(project, key, query.asOf);
      if (days !== undefined) target[key].push(days);
    }
  }
  const rows: LeadTimeRow[] = units.map((unit) => {
    const row = { ...unit } as LeadTimeRow;
    for (const key of LEAD_TIME_KEYS) {
      const sorted = (samples.get(unit.id) as Record<LeadTimeKey, number[]>)[key].sort((a, b) => a - b);
      row[key] = { count: sorted.length, median: nearestRank(sorted, 50), p90: nearestRank(sorted, 90) };
    }
    return row;
  });
  return { asOf: query.asOf, knownAt: query.knownAt ?? null, rows };
}
