import { Batch, DatedFact, LISTING_NEEDS, LocalDate, Milestone } from '@app/domain';
import { daysFromTo } from './days';
import { LifecycleReadModel } from './lifecycle-read-model';
import { ProjectSnapshot, listedBy, reachedBy } from './project-snapshot';
import { RATE_DEFINITIONS, RateKey } from './rate-definitions';
import {
  CohortSelection,
  ProjectFilters,
  Scope,
  ScopeUnit,
  knownAtMillis,
  projectMatches,
  roundSelector,
  scopeUnits,
  unitIdOf,
} from './scope';

const LEAD_TIME_KEYS = ['signToStart', 'startToProduction', 'productionToAttainment'] as const;
export type LeadTimeKey = (typeof LEAD_TIME_KEYS)[number];

/** The rate each interval explains (`RATE_DEFINITIONS`). */
const RATE_OF_LEAD_TIME = {
  signToStart: 'start',
  startToProduction: 'production',
  productionToAttainment: 'attainment',
} as const satisfies Record<LeadTimeKey, RateKey>;

/**
 * Each interval is measured over the cohort of the rate it explains, with the same rounds,
 * D and K, from what a listing in the cohort's batch needs (`LISTING_NEEDS`) to the rate's
 * milestone: signing → construction start over the signing batch (start rate), construction
 * start → production over the construction batch (production rate), production → attainment
 * over the production batch's industrial projects (attainment rate). A project is measured
 * when both ends happened on or before D.
 */
const LEAD_TIME_DEFINITIONS = Object.fromEntries(
  LEAD_TIME_KEYS.map((key) => {
    const { cohort, industrialOnly, milestone } = RATE_DEFINITIONS[RATE_OF_LEAD_TIME[key]];
    return [key, { cohort, industrialOnly, from: LISTING_NEEDS[cohort], to: milestone }];
  }),
) as Record<LeadTimeKey, { cohort: Batch; industrialOnly: boolean; from: DatedFact; to: Milestone }>;

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
  /** Effective date D. */
  asOf: LocalDate;
  /** Recorded time K (ISO instant); everything known when absent. */
  knownAt?: string;
}

export interface LeadTimeTable {
  asOf: LocalDate;
  knownAt: string | null;
  rows: LeadTimeRow[];
}

/**
 * Nearest-rank percentile (no interpolation, so every answer is a lead time some project
 * really had): the smallest value with at least p% of the values at or below it, i.e. the
 * value at 1-based rank ⌈p/100 × n⌉ of the sorted values.
 */
export function nearestRank(sorted: readonly number[], percent: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil((percent / 100) * sorted.length));
  return sorted[rank - 1];
}

function interval(project: ProjectSnapshot, key: LeadTimeKey, asOf: LocalDate): number | undefined {
  const { from, to } = LEAD_TIME_DEFINITIONS[key];
  const start = reachedBy(project, from, asOf);
  const end = reachedBy(project, to, asOf);
  return start !== undefined && end !== undefined ? daysFromTo(start, end) : undefined;
}

/** Days between milestones, median and 90th percentile per scope unit, as of D as known at K. */
export function leadTimes(model: LifecycleReadModel, query: LeadTimeQuery): LeadTimeTable {
  const knownAt = knownAtMillis(query.knownAt);
  const zones = model.zonesAt(knownAt);
  const units = scopeUnits(query.scope, zones.values(), query);
  const samples = new Map<string, Record<LeadTimeKey, number[]>>(
    units.map((unit) => [unit.id, { signToStart: [], startToProduction: [], productionToAttainment: [] }]),
  );
  const selected = roundSelector(query);
  for (const project of model.snapshots(knownAt)) {
    const zone = zones.get(project.zoneId);
    if (!projectMatches(project, zone, query)) continue;
    const unitId = unitIdOf(query.scope, zone);
    const target = unitId === undefined ? undefined : samples.get(unitId);
    if (!target) continue;
    for (const key of LEAD_TIME_KEYS) {
      const { cohort, industrialOnly } = LEAD_TIME_DEFINITIONS[key];
      if (industrialOnly && !project.industrial) continue;
      if (!listedBy(project, cohort, query.asOf, selected)) continue;
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
