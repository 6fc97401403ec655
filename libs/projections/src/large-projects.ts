import { BATCHES, Batch, LocalDate } from '@app/domain';
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
  unitIdOf,
} from './scope';

/** 亿元以上: a total investment of at least 1亿元 = 10,000 万元. */
export const LARGE_PROJECT_WAN = 10_000;

/** How many of a batch's projects, and how much of its investment, are 亿元以上. */
export interface LargeProjectShare {
  count: number;
  wan: number;
  largeCount: number;
  largeWan: number;
  /** largeCount / count, null for an empty batch. */
  byCount: number | null;
  /** largeWan / wan, null for an empty batch. */
  byInvestment: number | null;
}

export type LargeProjectRow = ScopeUnit & Record<Batch, LargeProjectShare>;

export interface LargeProjectQuery extends CohortSelection, ProjectFilters {
  scope: Scope;
  asOf: LocalDate;
  knownAt?: string;
}

/**
 * Per batch, the projects listed in it by D in the chosen rounds (each once, as in the rates'
 * cohorts, industrial or not) and the 亿元以上 among them, by count and by total investment as
 * amended, as known at K.
 */
export function largeProjectShares(
  model: LifecycleReadModel,
  query: LargeProjectQuery,
): { asOf: LocalDate; knownAt: string | null; rows: LargeProjectRow[] } {
  const knownAt = knownAtMillis(query.knownAt);
  const zones = model.zonesAt(knownAt);
  const units = scopeUnits(query.scope, zones.values(), query);
  const sums = new Map(units.map((unit) => [unit.id, BATCHES.map(() => [0, 0, 0, 0])]));
  const selected = roundSelector(query);
  for (const project of model.snapshots(knownAt)) {
    const zone = zones.get(project.zoneId);
    if (!projectMatches(project, zone, query)) continue;
    const unitId = unitIdOf(query.scope, zone);
    const target = unitId === undefined ? undefined : sums.get(unitId);
    if (!target) continue;
    const large = project.totalInvestmentWan >= LARGE_PROJECT_WAN;
    BATCHES.forEach((batch, i) => {
      if (!listedBy(project, batch, query.asOf, selected)) return;
      target[i][0] += 1;
      target[i][1] += project.totalInvestmentWan;
      if (large) {
        target[i][2] += 1;
        target[i][3] += project.totalInvestmentWan;
      }
    });
  }
  const rows = units.map((unit) => {
    const row = { ...unit } as LargeProjectRow;
    BATCHES.forEach((batch, i) => {
      const [count, wan, largeCount, largeWan] = (sums.get(unit.id) as number[][])[i];
      row[batch] = {
        count,
        wan,
        largeCount,
        largeWan,
        byCount: count === 0 ? null : largeCount / count,
        byInvestment: wan === 0 ? null : largeWan / wan,
      };
    });
    return row;
  });
  return { asOf: query.asOf, knownAt: query.knownAt ?? null, rows };
}
