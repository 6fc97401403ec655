import { LocalDate } from '@app/domain';
import { CurrentRateAggregates, currentRatesOf } from './current-rates';
import { knownAtRatesOf } from './known-at-rates';
import { LifecycleReadModel } from './lifecycle-read-model';
import {
  RATE_KEYS,
  Rate,
  RateKey,
  TallyAsOf,
  TallyVector,
  addVector,
  emptyFootprint,
  footprintOf,
  forEachContribution,
  newTallyVector,
  rateOf,
} from './rate-definitions';
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

export * from './rate-definitions';

export type RateRow = ScopeUnit & Record<RateKey, Rate>;

export interface RateQuery extends CohortSelection, ProjectFilters {
  scope: Scope;
  /** Effective date D. */
  asOf: LocalDate;
  /** Recorded time K (ISO instant); everything known when absent. */
  knownAt?: string;
}

/** `GET /api/v1/rates` (README.md "Rates, history and the monthly notification"). */
export interface RateTable {
  asOf: LocalDate;
  knownAt: string | null;
  readonly rows: readonly RateRow[];
}

/**
 * Whether the incremental aggregates answer the query exactly: nothing recorded after K is
 * left out, all rounds, and no filter on the project's own fields (place and zone category
 * filters are applied when zones are rolled up).
 */
function answeredByAggregates(model: LifecycleReadModel, query: RateQuery, knownAt?: number): boolean {
  return model.knowsNothingAfter(knownAt) && overAllProjects(query);
}

/** Tallies per zone from the aggregates (everything known), the known-at index (a K), or a scan. */
function talliesOf(
  model: LifecycleReadModel,
  query: RateQuery,
  knownAt: number | undefined,
  aggregates: CurrentRateAggregates | null,
): ReadonlyMap<string, TallyVector> {
  if (!aggregates) return scanTallies(model, query, knownAt);
  if (answeredByAggregates(model, query, knownAt)) return aggregates.vectorsAsOf(query.asOf);
  if (knownAt !== undefined && overAllProjects(query))
    return knownAtRatesOf(model).vectorsAsOf(query.asOf, knownAt, aggregates);
  return scanTallies(model, query, knownAt);
}

/** Tallies per zone by a scan: each project as known at K (folded again only if K cuts its facts), evaluated at D. */
function scanTallies(
  model: LifecycleReadModel,
  query: RateQuery,
  knownAt = knownAtMillis(query.knownAt),
): Map<string, TallyVector> {
  const byZone = new Map<string, TallyVector>();
  const selected = roundSelector(query);
  const footprint = emptyFootprint();
  const tally = new TallyAsOf(query.asOf);
  const zones = model.zonesAt(knownAt);
  for (const timeline of model.projects.values()) {
    const project = model.snapshotOf(timeline, knownAt);
    if (!project || !projectMatches(project, zones.get(project.zoneId), query)) continue;
    let vector = byZone.get(project.zoneId);
    if (!vector) {
      vector = newTallyVector();
      byZone.set(project.zoneId, vector);
    }
    tally.target = vector;
    forEachContribution(footprintOf(project, selected, footprint), tally);
  }
  return byZone;
}

/** Sums zone tallies into the query's scope units (zones known at K), in the units' order. */
function rollUp(
  model: LifecycleReadModel,
  query: RateQuery,
  byZone: ReadonlyMap<string, TallyVector>,
  knownAt: number | undefined,
): { unit: ScopeUnit; vector: TallyVector }[] {
  const zones = model.zonesAt(knownAt);
  const units = scopeUnits(query.scope, zones.values(), query);
  const byUnit = new Map(units.map((unit) => [unit.id, newTallyVector()]));
  for (const [zoneId, vector] of byZone) {
    const zone = zones.get(zoneId);
    if (!zoneMatches(zone, query)) continue;
    const unitId = unitIdOf(query.scope, zone);
    const target = unitId === undefined ? undefined : byUnit.get(unitId);
    if (target) addVector(target, vector);
  }
  return units.map((unit) => ({ unit, vector: byUnit.get(unit.id) as TallyVector }));
}

/**
 * The five rates per province, city or zone, as of D, as known at K (README.md: how each view
 * is computed). Over all rounds with no project filter, the current view (no K) comes from the
 * model's incremental aggregates and a view as known at K from its known-at index
 * (known-at-rates.ts); pass `null` as `aggregates` to force the scan.
 */
export function rateTable(
  model: LifecycleReadModel,
  query: RateQuery,
  aggregates: CurrentRateAggregates | null = currentRatesOf(model),
): RateTable {
  const answers = answersOf(model, aggregates);
  const key = JSON.stringify(query);
  const known = answers.get(key);
  if (known) return known;
  const table = computeRateTable(model, query, aggregates);
  if (answers.size >= ANSWERS_KEPT) answers.delete(answers.keys().next().value as string);
  answers.set(key, table);
  return table;
}

/**
 * The tables answered since the model last moved, per model and source (its aggregates, or the
 * forced scan, so the two paths never answer for each other). Every dashboard load asks for
 * the same table; computing it again allocated garbage whose collection on the 1M-event heap was
 * the current table's p99 (bench/README.md). A table is a function of the query and the model at
 * its position, and any event moves the position, so none outlives the state it was read from.
 * Frozen: callers share them.
 */
const ANSWERS_KEPT = 64;
const SCAN = {};
const answered = new WeakMap<
  LifecycleReadModel,
  { position: number; events: number; bySource: Map<object, Map<string, RateTable>> }
>();

function answersOf(
  model: LifecycleReadModel,
  aggregates: CurrentRateAggregates | null,
): Map<string, RateTable> {
  let kept = answered.get(model);
  if (!kept || kept.position !== model.position || kept.events !== model.eventCount) {
    kept = { position: model.position, events: model.eventCount, bySource: new Map() };
    answered.set(model, kept);
  }
  const source = aggregates ?? SCAN;
  let tables = kept.bySource.get(source);
  if (!tables) kept.bySource.set(source, (tables = new Map<string, RateTable>()));
  return tables;
}

/** rateTable without the kept answers: what each first query after an event computes. */
export function computeRateTable(
  model: LifecycleReadModel,
  query: RateQuery,
  aggregates: CurrentRateAggregates | null,
): RateTable {
  const knownAt = knownAtMillis(query.knownAt);
  const byZone = talliesOf(model, query, knownAt, aggregates);
  const rows = rollUp(model, query, byZone, knownAt).map(({ unit, vector }): RateRow => ({
    scope: unit.scope,
    id: unit.id,
    name: unit.name,
    start: rateOf(vector, 'start'),
    production: rateOf(vector, 'production'),
    statisticsEntry: rateOf(vector, 'statisticsEntry'),
    attainment: rateOf(vector, 'attainment'),
    aboveScale: rateOf(vector, 'aboveScale'),
  }));
  for (const row of rows) for (const rate of RATE_KEYS) Object.freeze(Object.freeze(row)[rate]);
  return Object.freeze({ asOf: query.asOf, knownAt: query.knownAt ?? null, rows: Object.freeze(rows) });
}
