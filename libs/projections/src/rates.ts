import { Batch, Listing, LocalDate, Milestone, Zone } from '@app/domain';
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
  zoneMatches,
} from './scope';

export const RATE_KEYS = ['start', 'production', 'statisticsEntry', 'attainment', 'aboveScale'] as const;
export type RateKey = (typeof RATE_KEYS)[number];
export type Basis = 'count' | 'investment';

/**
 * The five rates (五率, DOMAIN.md): which batch forms the cohort, which milestone counts,
 * and which basis the official reports quote.
 */
export const RATE_DEFINITIONS: Record<
  RateKey,
  { nameZh: string; cohort: Batch; milestone: Milestone; industrialOnly: boolean; reported: Basis }
> = {
  start: {
    nameZh: '签约开工率',
    cohort: 'signing',
    milestone: 'construction-started',
    industrialOnly: false,
    reported: 'investment',
  },
  production: {
    nameZh: '开工投产率',
    cohort: 'construction',
    milestone: 'production-started',
    industrialOnly: false,
    reported: 'investment',
  },
  statisticsEntry: {
    nameZh: '项目入统率',
    cohort: 'construction',
    milestone: 'statistics-entered',
    industrialOnly: false,
    reported: 'count',
  },
  attainment: {
    nameZh: '投产达效率',
    cohort: 'production',
    milestone: 'attained',
    industrialOnly: true,
    reported: 'count',
  },
  aboveScale: {
    nameZh: '企业达规入库率',
    cohort: 'production',
    milestone: 'enterprise-above-scale',
    industrialOnly: true,
    reported: 'count',
  },
};

/** Sums behind one rate: integer counts and 万元, never floats. */
export interface RateTally {
  cohortCount: number;
  cohortWan: number;
  count: number;
  wan: number;
  /** Terminated projects in the cohort (they stay in it and count against the rate). */
  terminatedCount: number;
}

export type Tallies = Record<RateKey, RateTally>;

export interface Rate extends RateTally {
  /** count / cohortCount, 0..1, null for an empty cohort. */
  byCount: number | null;
  /** wan / cohortWan, 0..1, null for an empty cohort. */
  byInvestment: number | null;
  /** The basis the official reports quote for this rate. */
  reported: Basis;
}

export type RateRow = ScopeUnit & Record<RateKey, Rate>;

export interface RateQuery extends CohortSelection, ProjectFilters {
  scope: Scope;
  /** Effective date D. */
  asOf: LocalDate;
  /** Recorded time K (ISO instant); everything known when absent. */
  knownAt?: string;
}

export interface RateTable {
  asOf: LocalDate;
  knownAt: string | null;
  rows: RateRow[];
}

export function emptyTallies(): Tallies {
  const tallies = {} as Tallies;
  for (const key of RATE_KEYS)
    tallies[key] = { cohortCount: 0, cohortWan: 0, count: 0, wan: 0, terminatedCount: 0 };
  return tallies;
}

/** Adds (sign 1) or removes (sign -1) one project's part in each rate as of `asOf`. */
export function tallyProject(
  into: Tallies,
  project: ProjectSnapshot,
  asOf: LocalDate,
  roundSelected: (listing: Listing) => boolean,
  sign: 1 | -1 = 1,
): void {
  const terminated = project.terminatedOn !== undefined && project.terminatedOn <= asOf ? 1 : 0;
  for (const key of RATE_KEYS) {
    const rate = RATE_DEFINITIONS[key];
    if (rate.industrialOnly && !project.industrial) continue;
    if (!listedBy(project, rate.cohort, asOf, roundSelected)) continue;
    const tally = into[key];
    tally.cohortCount += sign;
    tally.cohortWan += sign * project.totalInvestmentWan;
    tally.terminatedCount += sign * terminated;
    if (reachedBy(project, rate.milestone, asOf) !== undefined) {
      tally.count += sign;
      tally.wan += sign * project.totalInvestmentWan;
    }
  }
}

export function addTallies(into: Tallies, from: Tallies): void {
  for (const key of RATE_KEYS) {
    const target = into[key];
    const source = from[key];
    target.cohortCount += source.cohortCount;
    target.cohortWan += source.cohortWan;
    target.count += source.count;
    target.wan += source.wan;
    target.terminatedCount += source.terminatedCount;
  }
}

export function toRate(tally: RateTally, reported: Basis): Rate {
  return {
    ...tally,
    byCount: tally.cohortCount === 0 ? null : tally.count / tally.cohortCount,
    byInvestment: tally.cohortWan === 0 ? null : tally.wan / tally.cohortWan,
    reported,
  };
}

/** A date after every effective date: the "everything that happened" view. */
export const END_OF_TIME: LocalDate = '9999-12-31';

/**
 * The current view kept incrementally: each zone's tallies over all rounds with every fact
 * counted. When a project changes, its old part is removed and its new part added, so the
 * table costs one pass over the zones however many projects there are.
 */
export class CurrentRateAggregates {
  private readonly byZone = new Map<string, Tallies>();

  constructor(model: LifecycleReadModel) {
    model.onSnapshotChange((before, after) => {
      if (before) tallyProject(this.zoneTallies(before.zoneId), before, END_OF_TIME, () => true, -1);
      if (after) tallyProject(this.zoneTallies(after.zoneId), after, END_OF_TIME, () => true, 1);
    });
  }

  zoneTallies(zoneId: string): Tallies {
    let tallies = this.byZone.get(zoneId);
    if (!tallies) {
      tallies = emptyTallies();
      this.byZone.set(zoneId, tallies);
    }
    return tallies;
  }

  entries(): IterableIterator<[string, Tallies]> {
    return this.byZone.entries();
  }

  clear(): void {
    this.byZone.clear();
  }
}

/** Whether the incremental aggregates answer this query exactly. */
function answeredByAggregates(model: LifecycleReadModel, query: RateQuery): boolean {
  return (
    query.knownAt === undefined &&
    !(query.roundIds && query.roundIds.length > 0) &&
    query.since === undefined &&
    query.minTotalInvestmentWan === undefined &&
    !query.industrialOnly &&
    query.asOf >= model.latestEffectiveDate
  );
}

/**
 * Tallies per zone for a query: from the incremental aggregates when they answer it,
 * otherwise by folding every project as known at K and evaluating it as of D.
 */
export function talliesByZone(
  model: LifecycleReadModel,
  query: RateQuery,
  aggregates?: CurrentRateAggregates,
): Map<string, Tallies> {
  if (aggregates && answeredByAggregates(model, query)) return new Map(aggregates.entries());
  const byZone = new Map<string, Tallies>();
  const selected = roundSelector(query);
  const knownAt = query.knownAt === undefined ? undefined : Date.parse(query.knownAt);
  for (const project of model.snapshots(knownAt)) {
    if (!projectMatches(project, model.zones.get(project.zoneId), query)) continue;
    let tallies = byZone.get(project.zoneId);
    if (!tallies) {
      tallies = emptyTallies();
      byZone.set(project.zoneId, tallies);
    }
    tallyProject(tallies, project, query.asOf, selected);
  }
  return byZone;
}

/** Sums zone tallies into the query's scope units, in the units' order. */
export function rollUp(
  model: LifecycleReadModel,
  query: Pick<RateQuery, 'scope'> & ProjectFilters,
  byZone: Map<string, Tallies>,
): { unit: ScopeUnit; tallies: Tallies }[] {
  const units = scopeUnits(query.scope, model.zones.values(), query);
  const byUnit = new Map(units.map((unit) => [unit.id, emptyTallies()]));
  for (const [zoneId, tallies] of byZone) {
    const zone: Zone | undefined = model.zones.get(zoneId);
    if (query.scope !== 'province' && !zone) continue;
    if (zone && !zoneMatches(zone, query)) continue;
    const unitId = unitIdOf(query.scope, zone);
    const target = unitId === undefined ? undefined : byUnit.get(unitId);
    if (target) addTallies(target, tallies);
  }
  return units.map((unit) => ({ unit, tallies: byUnit.get(unit.id) as Tallies }));
}

/** `GET /api/v1/rates` (API.md "Rate table shape"). */
export function rateTable(
  model: LifecycleReadModel,
  query: RateQuery,
  aggregates?: CurrentRateAggregates,
): RateTable {
  const rows = rollUp(model, query, talliesByZone(model, query, aggregates)).map(({ unit, tallies }) => {
    const row = { ...unit } as RateRow;
    for (const key of RATE_KEYS) row[key] = toRate(tallies[key], RATE_DEFINITIONS[key].reported);
    return row;
  });
  return { asOf: query.asOf, knownAt: query.knownAt ?? null, rows };
}
