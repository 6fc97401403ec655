import { LocalDate, Milestone } from '@app/domain';
import { byCodePoint, daysFromTo } from './days';
import { LifecycleReadModel } from './lifecycle-read-model';
import { ProjectIdentity, identityOf } from './project-lists';
import { OpenObstacle, openObstaclesAt, reachedBy } from './project-snapshot';
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

export const PLAN_KEYS = ['start', 'production'] as const;
export type PlanKey = (typeof PLAN_KEYS)[number];

/** 应开工 against 计划开工日期, 应投产 against 计划投产日期. */
export const PLAN_DEFINITIONS: Record<
  PlanKey,
  { nameZh: string; planned: 'plannedStartOn' | 'plannedProductionOn'; milestone: Milestone }
> = {
  start: { nameZh: '应开工', planned: 'plannedStartOn', milestone: 'construction-started' },
  production: { nameZh: '应投产', planned: 'plannedProductionOn', milestone: 'production-started' },
};

/** Projects due by D (planned date on or before D) and how many of them did. */
export interface PlanFigure {
  due: number;
  dueWan: number;
  /** Due, and the milestone reached by D. */
  reached: number;
  reachedWan: number;
  /** Due, and the milestone reached on or before the planned date. */
  onPlan: number;
  /** reached / due (by count), null when none is due. */
  rate: number | null;
  /** onPlan / due, null when none is due. */
  onPlanRate: number | null;
}

export type PlanRow = ScopeUnit & Record<PlanKey, PlanFigure>;

export interface OverdueProject extends ProjectIdentity {
  plannedOn: LocalDate;
  /** Days from the planned date to D. */
  daysOverdue: number;
  /** Obstacles open on D (问题协调), shown beside the project. */
  obstacles: OpenObstacle[];
}

export interface ExpectedProject extends ProjectIdentity {
  plannedProductionOn: LocalDate;
}

export interface PlanQuery extends CohortSelection, ProjectFilters {
  scope: Scope;
  asOf: LocalDate;
  knownAt?: string;
}

export interface PlanProgress {
  asOf: LocalDate;
  knownAt: string | null;
  rows: PlanRow[];
  /** Planned before D, not reached by D, not terminated by D: longest overdue first. */
  overdue: Record<PlanKey, OverdueProject[]>;
  /** Not producing by D, planned to produce after D and by the end of D's year. */
  expectedByYearEnd: ExpectedProject[];
}

const emptyFigure = (): PlanFigure => ({
  due: 0,
  dueWan: 0,
  reached: 0,
  reachedWan: 0,
  onPlan: 0,
  rate: null,
  onPlanRate: null,
});

/**
 * Plan against actual as of D, as known at K, over the projects listed by D in the chosen
 * rounds (all rounds when none are chosen: the rates' cohort), with planned dates as last set
 * or amended. Terminated projects stay among the due (they count against the rate) and leave
 * the overdue and expected lists.
 */
export function planProgress(model: LifecycleReadModel, query: PlanQuery): PlanProgress {
  const { tables, ...lists } = planTables(model, query, [query.scope]);
  return { ...lists, rows: tables[0] };
}

/** The rows of several scopes (and the lists) from one scan of the projects. */
export function planTables(
  model: LifecycleReadModel,
  query: Omit<PlanQuery, 'scope'>,
  scopes: Scope[],
): Omit<PlanProgress, 'rows'> & { tables: PlanRow[][] } {
  const { asOf } = query;
  const knownAt = knownAtMillis(query.knownAt);
  const zones = model.zonesAt(knownAt);
  const tables = scopes.map((scope) => {
    const units = scopeUnits(scope, zones.values(), query);
    const figures = new Map(
      units.map((unit) => [unit.id, { start: emptyFigure(), production: emptyFigure() }]),
    );
    return { scope, units, figures };
  });
  const overdue: Record<PlanKey, OverdueProject[]> = { start: [], production: [] };
  const expectedByYearEnd: ExpectedProject[] = [];
  const yearEnd = `${asOf.slice(0, 4)}-12-31`;
  const selected = roundSelector(query);
  // the rows a project of each zone adds to, one per table
  const targetsByZone = new Map<string, (Record<PlanKey, PlanFigure> | undefined)[]>();
  for (const project of model.snapshots(knownAt)) {
    if (!project.listings.some((listing) => listing.heldOn <= asOf && selected(listing))) continue;
    const zone = zones.get(project.zoneId);
    if (!projectMatches(project, zone, query)) continue;
    const terminated = project.terminatedOn !== undefined && project.terminatedOn <= asOf;
    let targets = targetsByZone.get(project.zoneId);
    if (!targets) {
      targets = tables.map(({ scope, figures }) => {
        const unitId = unitIdOf(scope, zone);
        return unitId === undefined ? undefined : figures.get(unitId);
      });
      targetsByZone.set(project.zoneId, targets);
    }
    for (const key of PLAN_KEYS) {
      const { planned, milestone } = PLAN_DEFINITIONS[key];
      const plannedOn = project[planned];
      if (plannedOn === undefined) continue;
      const reachedOn = reachedBy(project, milestone, asOf);
      if (
        key === 'production' &&
        !terminated &&
        reachedOn === undefined &&
        plannedOn > asOf &&
        plannedOn <= yearEnd
      )
        expectedByYearEnd.push({ ...identityOf(zones, project), plannedProductionOn: plannedOn });
      if (plannedOn > asOf) continue;
      for (const target of targets) {
        if (!target) continue;
        const figure = target[key];
        figure.due += 1;
        figure.dueWan += project.totalInvestmentWan;
        if (reachedOn !== undefined) {
          figure.reached += 1;
          figure.reachedWan += project.totalInvestmentWan;
          if (reachedOn <= plannedOn) figure.onPlan += 1;
        }
      }
      if (reachedOn === undefined && !terminated && plannedOn < asOf)
        overdue[key].push({
          ...identityOf(zones, project),
          plannedOn,
          daysOverdue: daysFromTo(plannedOn, asOf),
          obstacles: openObstaclesAt(project, asOf),
        });
    }
  }
  const rows = tables.map(({ units, figures }) =>
    units.map((unit): PlanRow => {
      const { start, production } = figures.get(unit.id) as Record<PlanKey, PlanFigure>;
      for (const figure of [start, production]) {
        figure.rate = figure.due === 0 ? null : figure.reached / figure.due;
        figure.onPlanRate = figure.due === 0 ? null : figure.onPlan / figure.due;
      }
      return { ...unit, start, production };
    }),
  );
  for (const key of PLAN_KEYS)
    overdue[key].sort((a, b) => b.daysOverdue - a.daysOverdue || byCodePoint(a.projectId, b.projectId));
  expectedByYearEnd.sort(
    (a, b) =>
      byCodePoint(a.plannedProductionOn, b.plannedProductionOn) || byCodePoint(a.projectId, b.projectId),
  );
  return { asOf, knownAt: query.knownAt ?? null, tables: rows, overdue, expectedByYearEnd };
}
