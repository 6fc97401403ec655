import { LocalDate, Zone } from '@app/domain';
import { LEAD_TIME_DEFINITIONS, LEAD_TIME_KEYS, LeadTimeKey, interval } from './lead-time-samples';
import { DaysHistogram, LeadTimeHistograms, currentIndexesOf } from './current-indexes';
import { LifecycleReadModel } from './lifecycle-read-model';
import { listedBy } from './project-snapshot';
import {
  CohortSelection,
  ProjectFilters,
  Scope,
  ScopeUnit,
  knownAtMillis,
  projectMatches,
  roundSelector,
  scopeUnits,
  overAllProjects,
  unitIdOf,
  zoneMatches,
} from './scope';

export type { LeadTimeKey } from './lead-time-samples';

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

/** Days between milestones, median and 90th percentile per scope unit, as of D as known at K. */
export function leadTimes(model: LifecycleReadModel, query: LeadTimeQuery): LeadTimeTable {
  const knownAt = knownAtMillis(query.knownAt);
  const zones = model.zonesAt(knownAt);
  const units = scopeUnits(query.scope, zones.values(), query);
  const index = currentIndexesOf(model);
  const kept =
    model.knowsNothingAfter(knownAt) && overAllProjects(query) && index.holdsOn(query.asOf)
      ? index.leadTimesPerZone()
      : undefined;
  const rows = kept ? fromKeptLeadTimes(kept, units, zones, query) : scannedLeadTimes(model, units, query);
  return { asOf: query.asOf, knownAt: query.knownAt ?? null, rows };
}

function scannedLeadTimes(
  model: LifecycleReadModel,
  units: ScopeUnit[],
  query: LeadTimeQuery,
): LeadTimeRow[] {
  const knownAt = knownAtMillis(query.knownAt);
  const zones = model.zonesAt(knownAt);
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
  return units.map((unit) => {
    const row = { ...unit } as LeadTimeRow;
    for (const key of LEAD_TIME_KEYS) {
      const sorted = (samples.get(unit.id) as Record<LeadTimeKey, number[]>)[key].sort((a, b) => a - b);
      row[key] = { count: sorted.length, median: nearestRank(sorted, 50), p90: nearestRank(sorted, 90) };
    }
    return row;
  });
}

/** The same table from the lead times kept per zone: each unit's zones' counts added up. */
function fromKeptLeadTimes(
  perZone: ReadonlyMap<string, LeadTimeHistograms>,
  units: ScopeUnit[],
  zones: ReadonlyMap<string, Zone>,
  query: LeadTimeQuery,
): LeadTimeRow[] {
  const combined = new Map<string, LeadTimeHistograms>(
    units.map((unit) => [
      unit.id,
      { signToStart: new Map(), startToProduction: new Map(), productionToAttainment: new Map() },
    ]),
  );
  for (const [zoneId, histograms] of perZone) {
    const zone = zones.get(zoneId);
    if (!zoneMatches(zone, query)) continue;
    const unitId = unitIdOf(query.scope, zone);
    const target = unitId === undefined ? undefined : combined.get(unitId);
    if (!target) continue;
    for (const key of LEAD_TIME_KEYS)
      for (const [days, count] of histograms[key])
        target[key].set(days, (target[key].get(days) ?? 0) + count);
  }
  return units.map((unit) => {
    const row = { ...unit } as LeadTimeRow;
    for (const key of LEAD_TIME_KEYS)
      row[key] = leadTimeOf((combined.get(unit.id) as LeadTimeHistograms)[key]);
    return row;
  });
}

/** `nearestRank` over counts per value: the value at rank ⌈p/100 × n⌉ of the values in order. */
function leadTimeOf(histogram: DaysHistogram): LeadTime {
  const values = [...histogram.keys()].sort((a, b) => a - b);
  let total = 0;
  for (const days of values) total += histogram.get(days) as number;
  const at = (percent: number): number | null => {
    if (total === 0) return null;
    const rank = Math.max(1, Math.ceil((percent / 100) * total));
    let seen = 0;
    for (const days of values) {
      seen += histogram.get(days) as number;
      if (seen >= rank) return days;
    }
    return null;
  };
  return { count: total, median: at(50), p90: at(90) };
}
