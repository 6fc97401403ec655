import { LocalDate, YearMonth } from '@app/domain';
import { byCodePoint } from './days';
import { elapsedShareOfYear, lastMonthEndedBy, yearOf } from './investment-completion';
import { ruleWordsOf } from './light-rules';
import { LifecycleReadModel } from './lifecycle-read-model';
import { ProjectIdentity, identityOf } from './project-lists';
import { OpenObstacle, ProjectSnapshot, openObstaclesAt, reachedBy } from './project-snapshot';
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

type Lit = Pick<Light, 'kind' | 'colour' | 'rule'>;

/** A rule's name as the notices print it. */
export function ruleZhOf(rule: string): string {
  return ruleWordsOf(rule).zh;
}

function startLight(project: ProjectSnapshot, asOf: LocalDate, rules: LightRules): Lit | undefined {
  const planned = project.plannedStartOn;
  const started = reachedBy(project, 'construction-started', asOf);
  if (planned === undefined) return undefined;
  const kind = 'start';
  if (started !== undefined) {
    return started <= planned
      ? { kind, colour: 'green', rule: 'start.on-plan' }
      : { kind, colour: 'green', rule: 'start.started-late' };
  }
  if (planned.slice(0, 7) > asOf.slice(0, 7)) return { kind, colour: 'green', rule: 'start.not-yet-due' };
  if (planned.slice(0, 7) === asOf.slice(0, 7))
    return { kind, colour: 'amber', rule: 'start.due-this-month' };
  const months = rules.start.redAfterMonthsOverdue;
  return monthsFromTo(planned, asOf) >= months
    ? {
        kind,
        colour: 'red',
        rule: `start.overdue-${months}-months`,
      }
    : { kind, colour: 'amber', rule: 'start.overdue' };
}

/** What the progress rule needs of D, computed once per scan. */
interface ProgressOf {
  year: number;
  lastMonth: YearMonth;
  elapsedShare: number;
}

function progressLight(project: ProjectSnapshot, of: ProgressOf, rules: LightRules): Lit | undefined {
  const { rate } = yearOf(project, of.year, of.lastMonth);
  if (rate === null) return undefined;
  const below = of.elapsedShare - rate;
  const { amberPointsBelow, redPointsBelow } = rules.progress;
  const kind = 'progress';
  const points = (fraction: number) => Math.round(fraction * 100);
  if (below > redPointsBelow)
    return {
      kind,
      colour: 'red',
      rule: `progress.behind-${points(redPointsBelow)}`,
    };
  if (below >= amberPointsBelow)
    return {
      kind,
      colour: 'amber',
      rule: `progress.behind-${points(amberPointsBelow)}`,
    };
  return { kind, colour: 'green', rule: 'progress.on-schedule' };
}

function statisticsLight(project: ProjectSnapshot, asOf: LocalDate, rules: LightRules): Lit | undefined {
  const started = reachedBy(project, 'construction-started', asOf);
  if (started === undefined) return undefined;
  const kind = 'statisticsEntry';
  if (reachedBy(project, 'statistics-entered', asOf))
    return { kind, colour: 'green', rule: 'statisticsEntry.entered' };
  const months = monthsFromTo(started, asOf);
  const { amberAfterMonths, redAfterMonths } = rules.statisticsEntry;
  if (months >= redAfterMonths)
    return {
      kind,
      colour: 'red',
      rule: `statisticsEntry.${redAfterMonths}-months`,
    };
  if (months >= amberAfterMonths)
    return {
      kind,
      colour: 'amber',
      rule: `statisticsEntry.${amberAfterMonths}-months`,
    };
  return { kind, colour: 'green', rule: 'statisticsEntry.pending' };
}

/**
 * Red/amber/green lights (红黄绿灯) per project as of D, as known at K, over the projects
 * listed by D in the chosen rounds, not terminated by D. A project has a light for each rule
 * that applies to it (start: a planned start; progress: a plan for D's year; statistics entry:
 * started). Amber and red start and progress lights of a project with an obstacle open on D
 * say which explains the delay. Projects with a red light first, then amber, then by id.
 */
export function projectLights(model: LifecycleReadModel, query: LightQuery): ProjectLights[] {
  const lit: (ProjectLights & { worst: number })[] = [];
  const zones = model.zonesAt(knownAtMillis(query.knownAt));
  for (const { project, lights, obstacles, worst } of litProjects(model, query)) {
    const full = lights.map((light) => ({ ...light, ruleZh: ruleZhOf(light.rule) }));
    lit.push({ ...identityOf(zones, project), lights: full, obstacles, worst });
  }
  lit.sort((a, b) => a.worst - b.worst || byCodePoint(a.projectId, b.projectId));
  return lit.map(({ worst: _worst, ...project }) => project);
}

const COLOUR_OF_WORST: LightColour[] = ['red', 'amber', 'green'];

/** The projects whose worst light as of D is `colour` (all green: green); unlit projects are in none. */
export function projectsWithLight(
  model: LifecycleReadModel,
  query: LightQuery,
  colour: LightColour,
): Set<string> {
  const ids = new Set<string>();
  for (const { project, worst } of litProjects(model, query))
    if (COLOUR_OF_WORST[worst] === colour) ids.add(project.projectId);
  return ids;
}

export interface LitProject {
  project: ProjectSnapshot;
  lights: Omit<Light, 'ruleZh'>[];
  obstacles: OpenObstacle[];
  /** 0 with a red light, 1 with an amber one, 2 all green. */
  worst: number;
}

/**
 * Adds a light that applies (justified when amber or red, not for statistics entry, and an
 * obstacle is open); answers its colour's order (0 red, 1 amber, 2 green or none).
 */
function lightUp(lights: Omit<Light, 'ruleZh'>[], light: Lit | undefined, obstacles: OpenObstacle[]): number {
  if (!light) return 2;
  const justified = light.colour !== 'green' && light.kind !== 'statisticsEntry' && obstacles.length > 0;
  const justifiedBy = justified ? obstacles.map((o) => o.obstacleId) : [];
  // keys in code-unit order, as the notification is hashed (canonical-json.ts)
  lights.push({ colour: light.colour, justified, justifiedBy, kind: light.kind, rule: light.rule });
  return light.colour === 'red' ? 0 : light.colour === 'amber' ? 1 : 2;
}

/** Each project with at least one light, in the model's order (the notification counts and filters these). */
export function* litProjects(model: LifecycleReadModel, query: LightQuery): Generator<LitProject> {
  const { asOf } = query;
  const rules = query.rules ?? DEFAULT_LIGHT_RULES;
  const selected = roundSelector(query);
  const progress: ProgressOf = {
    year: Number(asOf.slice(0, 4)),
    lastMonth: lastMonthEndedBy(asOf),
    elapsedShare: elapsedShareOfYear(asOf),
  };
  const knownAt = knownAtMillis(query.knownAt);
  const zones = model.zonesAt(knownAt);
  for (const project of model.snapshots(knownAt)) {
    if (!project.listings.some((listing) => listing.heldOn <= asOf && selected(listing))) continue;
    if (project.terminatedOn !== undefined && project.terminatedOn <= asOf) continue;
    if (!projectMatches(project, zones.get(project.zoneId), query)) continue;
    const obstacles = openObstaclesAt(project, asOf);
    const lights: Omit<Light, 'ruleZh'>[] = [];
    const worst = Math.min(
      lightUp(lights, startLight(project, asOf, rules), obstacles),
      lightUp(lights, progressLight(project, progress, rules), obstacles),
      lightUp(lights, statisticsLight(project, asOf, rules), obstacles),
    );
    if (lights.length > 0) yield { project, lights, obstacles, worst };
  }
}
