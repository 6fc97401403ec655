import { LocalDate } from '@app/domain';
import { byCodePoint } from './days';
import { elapsedShareOfYear, investmentYearOf } from './investment-completion';
import { LifecycleReadModel } from './lifecycle-read-model';
import { ProjectIdentity } from './project-lists';
import { OpenObstacle, ProjectSnapshot, openObstaclesAt, reachedBy } from './project-snapshot';
import { identityOf } from './plan-progress';
import { CohortSelection, ProjectFilters, knownAtMillis, projectMatches, roundSelector } from './scope';

export const LIGHT_KINDS = ['start', 'progress', 'statisticsEntry'] as const;
export type LightKind = (typeof LIGHT_KINDS)[number];
export type LightColour = 'green' | 'amber' | 'red';

/** A published rule set (红黄绿灯机制); the default follows 银川 (2025). */
export interface LightRules {
  /** Start: green on plan; amber when due this month (or overdue less than N months) and not started; red after N months. */
  start: { redAfterMonthsOverdue: number };
  /** Progress: 投资完成率 against 序时进度, in points (fractions) below it. */
  progress: { amberPointsBelow: number; redPointsBelow: number };
  /** Statistics entry: months after construction start without 入统. */
  statisticsEntry: { amberAfterMonths: number; redAfterMonths: number };
}

export const DEFAULT_LIGHT_RULES: LightRules = {
  start: { redAfterMonthsOverdue: 3 },
  progress: { amberPointsBelow: 0.1, redPointsBelow: 0.3 },
  statisticsEntry: { amberAfterMonths: 1, redAfterMonths: 2 },
};

export interface Light {
  kind: LightKind;
  colour: LightColour;
  /** Which rule lit it, e.g. `start.overdue-3-months`. */
  rule: string;
  ruleZh: string;
  /** A late start or lagging investment (amber or red) with an obstacle open on D: the delay is explained (有正当理由). */
  justified: boolean;
  justifiedBy: string[];
}

export interface ProjectLights extends ProjectIdentity {
  lights: Light[];
  obstacles: OpenObstacle[];
}

export interface LightQuery extends CohortSelection, ProjectFilters {
  asOf: LocalDate;
  knownAt?: string;
  rules?: LightRules;
}

/** Whole calendar months from `from` to `to` (1 March → 31 May is 2, → 1 June is 3). */
export function monthsFromTo(from: LocalDate, to: LocalDate): number {
  const months =
    (Number(to.slice(0, 4)) - Number(from.slice(0, 4))) * 12 +
    Number(to.slice(5, 7)) -
    Number(from.slice(5, 7));
  return to.slice(8) < from.slice(8) ? months - 1 : months;
}

type Lit = Pick<Light, 'kind' | 'colour' | 'rule' | 'ruleZh'>;

function startLight(project: ProjectSnapshot, asOf: LocalDate, rules: LightRules): Lit | undefined {
  const planned = project.plannedStartOn;
  const started = reachedBy(project, 'construction-started', asOf);
  if (planned === undefined) return undefined;
  const kind = 'start';
  if (started !== undefined) {
    return started <= planned
      ? { kind, colour: 'green', rule: 'start.on-plan', ruleZh: '按计划开工' }
      : { kind, colour: 'green', rule: 'start.started-late', ruleZh: '已开工（晚于计划）' };
  }
  if (planned.slice(0, 7) > asOf.slice(0, 7))
    return { kind, colour: 'green', rule: 'start.not-yet-due', ruleZh: '未到计划开工时间' };
  if (planned.slice(0, 7) === asOf.slice(0, 7))
    return { kind, colour: 'amber', rule: 'start.due-this-month', ruleZh: '计划本月开工未开工' };
  const months = rules.start.redAfterMonthsOverdue;
  return monthsFromTo(planned, asOf) >= months
    ? {
        kind,
        colour: 'red',
        rule: `start.overdue-${months}-months`,
        ruleZh: `超计划开工时间${months}个月以上`,
      }
    : { kind, colour: 'amber', rule: 'start.overdue', ruleZh: '超计划开工时间未开工' };
}

function progressLight(project: ProjectSnapshot, asOf: LocalDate, rules: LightRules): Lit | undefined {
  const { rate } = investmentYearOf(project, asOf);
  if (rate === null) return undefined;
  const below = elapsedShareOfYear(asOf) - rate;
  const { amberPointsBelow, redPointsBelow } = rules.progress;
  const kind = 'progress';
  const points = (fraction: number) => Math.round(fraction * 100);
  if (below > redPointsBelow)
    return {
      kind,
      colour: 'red',
      rule: `progress.behind-${points(redPointsBelow)}`,
      ruleZh: `投资完成率低于序时进度${points(redPointsBelow)}个百分点以上`,
    };
  if (below >= amberPointsBelow)
    return {
      kind,
      colour: 'amber',
      rule: `progress.behind-${points(amberPointsBelow)}`,
      ruleZh: `投资完成率低于序时进度${points(amberPointsBelow)}至${points(redPointsBelow)}个百分点`,
    };
  return { kind, colour: 'green', rule: 'progress.on-schedule', ruleZh: '投资完成率达到序时进度' };
}

function statisticsLight(project: ProjectSnapshot, asOf: LocalDate, rules: LightRules): Lit | undefined {
  const started = reachedBy(project, 'construction-started', asOf);
  if (started === undefined) return undefined;
  const kind = 'statisticsEntry';
  if (reachedBy(project, 'statistics-entered', asOf))
    return { kind, colour: 'green', rule: 'statisticsEntry.entered', ruleZh: '已入统' };
  const months = monthsFromTo(started, asOf);
  const { amberAfterMonths, redAfterMonths } = rules.statisticsEntry;
  if (months >= redAfterMonths)
    return {
      kind,
      colour: 'red',
      rule: `statisticsEntry.${redAfterMonths}-months`,
      ruleZh: `开工${redAfterMonths}个月未入统`,
    };
  if (months >= amberAfterMonths)
    return {
      kind,
      colour: 'amber',
      rule: `statisticsEntry.${amberAfterMonths}-months`,
      ruleZh: `开工${amberAfterMonths}个月未入统`,
    };
  return { kind, colour: 'green', rule: 'statisticsEntry.pending', ruleZh: '开工未满入统期限' };
}

/**
 * Red/amber/green lights (红黄绿灯) per project as of D, as known at K, over the projects
 * listed by D in the chosen rounds, not terminated by D. A project has a light for each rule
 * that applies to it (start: a planned start; progress: a plan for D's year; statistics entry:
 * started). Amber and red start and progress lights of a project with an obstacle open on D
 * say which explains the delay. Projects with a red light first, then amber, then by id.
 */
export function projectLights(model: LifecycleReadModel, query: LightQuery): ProjectLights[] {
  const { asOf } = query;
  const rules = query.rules ?? DEFAULT_LIGHT_RULES;
  const selected = roundSelector(query);
  const result: ProjectLights[] = [];
  for (const project of model.snapshots(knownAtMillis(query.knownAt))) {
    if (!project.listings.some((listing) => listing.heldOn <= asOf && selected(listing))) continue;
    if (project.terminatedOn !== undefined && project.terminatedOn <= asOf) continue;
    if (!projectMatches(project, model.zones.get(project.zoneId), query)) continue;
    const obstacles = openObstaclesAt(project, asOf);
    const lights: Light[] = [];
    for (const lit of [
      startLight(project, asOf, rules),
      progressLight(project, asOf, rules),
      statisticsLight(project, asOf, rules),
    ]) {
      if (!lit) continue;
      const justified = lit.colour !== 'green' && lit.kind !== 'statisticsEntry' && obstacles.length > 0;
      lights.push({ ...lit, justified, justifiedBy: justified ? obstacles.map((o) => o.obstacleId) : [] });
    }
    if (lights.length > 0) result.push({ ...identityOf(model, project), lights, obstacles });
  }
  const worst = (p: ProjectLights) =>
    p.lights.some((l) => l.colour === 'red') ? 0 : p.lights.some((l) => l.colour === 'amber') ? 1 : 2;
  return result.sort((a, b) => worst(a) - worst(b) || byCodePoint(a.projectId, b.projectId));
}
