import { LocalDate, YearMonth, daysBetween, lastDayOf, previousMonth } from '@app/domain';
import { LifecycleReadModel } from './lifecycle-read-model';
import { ProjectSnapshot } from './project-snapshot';
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

/** 序时进度: the share of D's year elapsed by the end of D (31 October: 304/365). */
export function elapsedShareOfYear(asOf: LocalDate): number {
  const year = asOf.slice(0, 4);
  return (daysBetween(`${year}-01-01`, asOf) + 1) / (daysBetween(`${year}-01-01`, `${year}-12-31`) + 1);
}

/** The last month ended by D: D's own month when D is its last day, else the month before. */
export function lastMonthEndedBy(asOf: LocalDate): YearMonth {
  const month = asOf.slice(0, 7);
  return lastDayOf(month) === asOf ? month : previousMonth(month);
}

/** The cumulative figure reported for the last month up to `month` (0 when none). */
function completedThrough(project: ProjectSnapshot, month: YearMonth): number {
  let completed = 0;
  for (const report of project.investmentProgress) {
    if (report.month > month) break;
    completed = report.completedInvestmentWan;
  }
  return completed;
}

/** The cumulative completed investment reported for the last month ended by D (0 when none). */
export const completedBy = (project: ProjectSnapshot, asOf: LocalDate): number =>
  completedThrough(project, lastMonthEndedBy(asOf));

/** One project's year: planned (undefined without a plan), completed this year by D, and the rate. */
export interface ProjectInvestmentYear {
  plannedWan: number | undefined;
  completedWan: number;
  rate: number | null;
}

/** Completed this year = cumulative by D minus cumulative by the end of the year before. */
export function investmentYearOf(project: ProjectSnapshot, asOf: LocalDate): ProjectInvestmentYear {
  return yearOf(project, Number(asOf.slice(0, 4)), lastMonthEndedBy(asOf));
}

/**
 * As `investmentYearOf`, for D's year and the last month ended by D (computed once per scan).
 * One pass over the reports; with `monthly` (one slot per month of the year, zeroed here),
 * also what each report of the year moved the cumulative figure by, in its month's slot.
 */
export function yearOf(
  project: ProjectSnapshot,
  year: number,
  lastMonth: YearMonth,
  monthly?: number[],
): ProjectInvestmentYear {
  const plannedWan = project.annualInvestmentPlan[year];
  monthly?.fill(0);
  const yearStart = `${year}-01`;
  let before = 0;
  let atYearStart = 0;
  for (const report of project.investmentProgress) {
    if (report.month > lastMonth) break;
    if (report.month < yearStart) atYearStart = report.completedInvestmentWan;
    else if (monthly) monthly[Number(report.month.slice(5)) - 1] += report.completedInvestmentWan - before;
    before = report.completedInvestmentWan;
  }
  const completedWan = before - atYearStart;
  return { plannedWan, completedWan, rate: plannedWan ? completedWan / plannedWan : null };
}

export interface InvestmentFigure {
  /** Planned for D's year (年度计划投资), projects with a plan. */
  plannedWan: number;
  /** Completed this year by D by the projects with a plan. */
  completedWan: number;
  /** Completed this year by D by every project in the scope, planned or not. */
  completedAllWan: number;
  /** 投资完成率 = completedWan / plannedWan, null without a plan. */
  rate: number | null;
  /** 序时进度 of D. */
  elapsedShare: number;
  /** Completed in each month of the year ended by D (every project in the scope). */
  months: { month: YearMonth; completedWan: number }[];
}

export type InvestmentRow = ScopeUnit & { investment: InvestmentFigure };

export interface InvestmentQuery extends CohortSelection, ProjectFilters {
  scope: Scope;
  asOf: LocalDate;
  knownAt?: string;
}

/** The months of D's year ended by D. */
function monthsEndedBy(asOf: LocalDate): YearMonth[] {
  const last = lastMonthEndedBy(asOf);
  const months: YearMonth[] = [];
  for (let m = 1; m <= 12; m++) {
    const month = `${asOf.slice(0, 4)}-${String(m).padStart(2, '0')}`;
    if (month <= last) months.push(month);
  }
  return months;
}

/**
 * Investment completion (投资完成率) per province, city or zone, as of D as known at K, over
 * the projects listed by D in the chosen rounds (all rounds when none are chosen), with
 * completed investment from the monthly cumulative reports (完成投资) and the plan of D's year.
 */
export function investmentCompletion(
  model: LifecycleReadModel,
  query: InvestmentQuery,
): { asOf: LocalDate; knownAt: string | null; rows: InvestmentRow[] } {
  return {
    asOf: query.asOf,
    knownAt: query.knownAt ?? null,
    rows: investmentTables(model, query, [query.scope])[0],
  };
}

/** The rows of several scopes from one scan of the projects (the notification needs all three). */
export function investmentTables(
  model: LifecycleReadModel,
  query: Omit<InvestmentQuery, 'scope'>,
  scopes: Scope[],
): InvestmentRow[][] {
  const { asOf } = query;
  const knownAt = knownAtMillis(query.knownAt);
  const months = monthsEndedBy(asOf);
  const elapsedShare = elapsedShareOfYear(asOf);
  const zones = model.zonesAt(knownAt);
  const tables = scopes.map((scope) => {
    const units = scopeUnits(scope, zones.values(), query);
    const sums = new Map(
      units.map((unit) => [
        unit.id,
        { plannedWan: 0, completedWan: 0, completedAllWan: 0, monthly: months.map(() => 0) },
      ]),
    );
    return { scope, units, sums };
  });
  const selected = roundSelector(query);
  const monthly = months.map(() => 0);
  const year = Number(asOf.slice(0, 4));
  const lastEnded = lastMonthEndedBy(asOf);
  for (const project of model.snapshots(knownAt)) {
    if (!project.listings.some((listing) => listing.heldOn <= asOf && selected(listing))) continue;
    const zone = zones.get(project.zoneId);
    if (!projectMatches(project, zone, query)) continue;
    const { plannedWan, completedWan } = yearOf(project, year, lastEnded, monthly);
    for (const { scope, sums } of tables) {
      const unitId = unitIdOf(scope, zone);
      const target = unitId === undefined ? undefined : sums.get(unitId);
      if (!target) continue;
      target.completedAllWan += completedWan;
      if (plannedWan !== undefined) {
        target.plannedWan += plannedWan;
        target.completedWan += completedWan;
      }
      for (let i = 0; i < monthly.length; i++) target.monthly[i] += monthly[i];
    }
  }
  return tables.map(({ units, sums }) =>
    units.map((unit): InvestmentRow => {
      const sum = sums.get(unit.id) as NonNullable<ReturnType<typeof sums.get>>;
      return {
        ...unit,
        investment: {
          plannedWan: sum.plannedWan,
          completedWan: sum.completedWan,
          completedAllWan: sum.completedAllWan,
          rate: sum.plannedWan === 0 ? null : sum.completedWan / sum.plannedWan,
          elapsedShare,
          months: months.map((month, i) => ({ completedWan: sum.monthly[i], month })),
        },
      };
    }),
  );
}
