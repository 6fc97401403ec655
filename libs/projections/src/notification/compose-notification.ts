import {
  DatedFact,
  LocalDate,
  MILESTONE_NAMES_ZH,
  MILESTONES,
  ProjectEvent,
  YearMonth,
  earlierOf,
  lastDayOf,
} from '@app/domain';
import { byCodePoint } from '../days';
import { InvestmentRow, elapsedShareOfYear, investmentTables } from '../investment-completion';
import { LifecycleReadModel } from '../lifecycle-read-model';
import { PlanProgress, PlanRow, planTables } from '../plan-progress';
import { Light, litProjects } from '../project-lights';
import { OpenObstacle, ProjectSnapshot } from '../project-snapshot';
import { STALLED_KINDS, StalledProject, stalledProjects } from '../project-lists';
import { RATE_KEYS, Rate, RateKey, RateRow, ReportedBasis, rateTable } from '../rates';
import { Scope } from '../scope';
import {
  NotificationCohortKind,
  NotificationSettings,
  TARGET_KEYS,
  TargetKey,
  settingsOfIssue,
  targetFor,
} from './notification-settings';

export interface RateFigure extends Rate {
  /** The basis the notification quotes this rate on (its settings' `basis`). */
  basis: ReportedBasis;
  /** The rate on that basis. */
  value: number | null;
  /** Rank among peers (zones of the same category; cities among cities), 1 = best. */
  rank: number | null;
  /**
   * `value` minus the previous issue's figure on the same basis, like with like: null when
   * either is missing or the previous issue's cohort was another (a year's cohort in January).
   */
  change: number | null;
}

export interface NotificationRateRow {
  scope: Scope;
  id: string;
  name: string;
  cityId?: string;
  category?: string;
  rates: Record<RateKey, RateFigure>;
}

export type WarningStatus = 'green' | 'amber' | 'red' | 'none';

/** Which listings a notification's figures count (DOMAIN.md "The five rates"). */
export interface NotificationCohort {
  kind: NotificationCohortKind;
  /** The rounds held on or after this date (and by the notification's date); null: every round. */
  since: LocalDate | null;
  /** As the reports name it: "2022年以来" (since the programme's first round), "2024年". */
  nameZh: string;
}

export interface NotificationContent {
  title: string;
  issue: number;
  month: YearMonth;
  asOf: LocalDate;
  knownAt: string;
  knownThroughPosition: number;
  settings: NotificationSettings;
  cohort: NotificationCohort;
  previousIssue: { issue: number; month: YearMonth; asOf: LocalDate; knownThroughPosition: number } | null;
  rates: { province: NotificationRateRow[]; cities: NotificationRateRow[]; zones: NotificationRateRow[] };
  milestones: {
    zoneId: string;
    zoneName: string;
    cityId: string | null;
    items: {
      projectId: string;
      projectName: string;
      milestone: DatedFact;
      milestoneZh: string;
      occurredOn: LocalDate;
    }[];
  }[];
  stalled: Record<(typeof STALLED_KINDS)[number], StalledEntry[]>;
  /** Plan against actual (应开工 / 应投产) over the same cohort. */
  plan: {
    province: PlanRow[];
    cities: PlanRow[];
    zones: PlanRow[];
    overdue: PlanProgress['overdue'];
    expectedByYearEnd: PlanProgress['expectedByYearEnd'];
  };
  /** Per-project lights as of the month's end: counts per zone, and every project with an amber or red light. */
  lights: {
    zones: { zoneId: string; red: number; amber: number; green: number; justified: number }[];
    projects: NotificationLights[];
  };
  /** 投资完成率 of the month's year against 序时进度, over the same cohort. */
  investment: { province: InvestmentRow[]; cities: InvestmentRow[]; zones: InvestmentRow[] };
  warnings: {
    elapsedShareOfYear: number;
    zones: { zoneId: string; zoneName: string; cityId: string; statuses: Record<TargetKey, WarningEntry> }[];
  };
  changesAboutEarlierMonths: {
    facts: EarlierMonthFact[];
    correctedRates: CorrectedRate[];
  };
}

/** A project's lights as the notification lists them (the rule's Chinese name: `ruleZhOf`). */
export interface NotificationLights {
  projectId: string;
  name: string;
  zoneId: string;
  lights: Omit<Light, 'ruleZh'>[];
  obstacles: OpenObstacle[];
}

export interface StalledEntry {
  projectId: string;
  name: string;
  zoneId: string;
  cityId: string | null;
  totalInvestmentWan: number;
  since: LocalDate;
  daysStalled: number;
  obstacles: OpenObstacle[];
}

export interface WarningEntry {
  status: WarningStatus;
  value: number | null;
  /** The target for the notification's quarter (stepped targets; the zone's own if it has one). */
  target: number;
  quarter: number;
  /** Amber from here up to the target; red below. */
  amberFrom: number;
}

export interface EarlierMonthFact {
  position: number;
  projectId: string;
  type: string;
  effectiveOn: LocalDate | null;
  recordedAt: string;
  recordedBy: string | null;
  reason: string | null;
}

/** The bases a correction compares; `value` is the rate on the previous issue's basis. */
export interface CorrectedFigures {
  byCount: number | null;
  byInvestment: number | null;
  byCompletedInvestment: number | null;
  value: number | null;
}

export interface CorrectedRate {
  scope: Scope;
  id: string;
  name: string;
  rate: RateKey;
  /** The previous issue's cohort and basis: the recomputation uses them, not this issue's. */
  cohort: NotificationCohort;
  basis: ReportedBasis;
  published: CorrectedFigures;
  corrected: CorrectedFigures;
}

export interface NotificationInput {
  month: YearMonth;
  issue: number;
  knownAt: string;
  knownThroughPosition: number;
  settings: NotificationSettings;
  /** The content of the previous issue, exactly as issued. */
  previous?: NotificationContent;
}

/**
 * The monthly notification (月通报) for month M, as of M's last day, from a read model that
 * holds exactly the facts known at issue (positions up to `knownThroughPosition`). Pure and
 * deterministic: the same model and input always give the same content, which is what lets
 * anyone recompute and verify an issued notification.
 */
export function composeNotification(
  model: LifecycleReadModel,
  input: NotificationInput,
): NotificationContent {
  const settings = settingsOfIssue(input.settings);
  const asOf = lastDayOf(input.month);
  const year = Number(input.month.slice(0, 4));
  const cohort = cohortOf(model, settings.cohort, input.month);
  const rates = rateRows(model, asOf, cohort, settings, input.previous);
  const elapsed = elapsedShareOfYear(asOf);
  const investment = investmentSection(model, asOf, cohort);
  const investmentRates = new Map(investment.zones.map((row) => [row.id, row.investment.rate]));
  return {
    title: `${year}年${Number(input.month.slice(5))}月"三个一批"项目推进情况通报（第${input.issue}期）`,
    issue: input.issue,
    month: input.month,
    asOf,
    knownAt: input.knownAt,
    knownThroughPosition: input.knownThroughPosition,
    settings,
    cohort,
    previousIssue: input.previous
      ? {
          issue: input.previous.issue,
          month: input.previous.month,
          asOf: input.previous.asOf,
          knownThroughPosition: input.previous.knownThroughPosition,
        }
      : null,
    rates,
    milestones: milestonesDuring(model, input.month),
    stalled: stalledLists(model, asOf, cohort, settings),
    plan: planSection(model, asOf, cohort),
    investment,
    lights: lightsSection(model, asOf, cohort, settings),
    warnings: {
      elapsedShareOfYear: elapsed,
      zones: rates.zones.map((row) => {
        const zone = model.zones.get(row.id);
        const value = (key: TargetKey) =>
          key === 'investment' ? (investmentRates.get(row.id) ?? null) : row.rates[key].value;
        return {
          zoneId: row.id,
          zoneName: row.name,
          cityId: row.cityId as string,
          statuses: Object.fromEntries(
            TARGET_KEYS.map((key) => [
              key,
              warning(
                value(key),
                targetFor(settings, zone, key, quarterOf(asOf)),
                quarterOf(asOf),
                settings.amberMargin,
              ),
            ]),
          ) as Record<TargetKey, WarningEntry>,
        };
      }),
    },
    changesAboutEarlierMonths: input.previous
      ? changesSince(model, input.previous)
      : { facts: [], correctedRates: [] },
  };
}

/**
 * How each colour is decided, per zone, for each rate (on its basis) and 投资完成率: green when
 * the figure meets the target of D's quarter (stepped: the province's "35 % by Q1, 80 % by
 * June"); amber when it is less than `amberMargin` below it; red below that; none when the
 * zone has no cohort (or no investment plan).
 */
function warning(value: number | null, target: number, quarter: number, amberMargin: number): WarningEntry {
  const amberFrom = Math.max(0, target - amberMargin);
  const status: WarningStatus =
    value === null ? 'none' : value >= target ? 'green' : value >= amberFrom ? 'amber' : 'red';
  return { amberFrom, quarter, status, target, value };
}

/** The quarter (1..4) D falls in. */
const quarterOf = (asOf: LocalDate): number => Math.ceil(Number(asOf.slice(5, 7)) / 3);

/**
 * The notification's cohort for month M: every round held by M's end, or the rounds of M's
 * year. The programme is named after the year of its first round.
 */
export function cohortOf(
  model: LifecycleReadModel,
  kind: NotificationCohortKind,
  month: YearMonth,
): NotificationCohort {
  if (kind === 'year') return { kind, since: `${month.slice(0, 4)}-01-01`, nameZh: `${month.slice(0, 4)}年` };
  const asOf = lastDayOf(month);
  let first: LocalDate | undefined;
  for (const round of model.rounds.values())
    if (round.heldOn <= asOf && (first === undefined || round.heldOn < first)) first = round.heldOn;
  return { kind, since: null, nameZh: first === undefined ? '全部轮次' : `${first.slice(0, 4)}年以来` };
}

/** The cohort a recorded issue used (issues recorded before cohorts were named: from their settings). */
function cohortOfIssue(content: NotificationContent): NotificationCohort {
  const kind = settingsOfIssue(content.settings).cohort;
  const since = content.cohort.since;
  return content.cohort.kind
    ? content.cohort
    : { kind, since, nameZh: since === null ? '全部轮次' : `${since.slice(0, 4)}年` };
}

/** A rate on a basis (undefined in issues recorded before that basis existed). */
export function valueOn(
  rate: Partial<Pick<Rate, 'byCount' | 'byInvestment' | 'byCompletedInvestment'>>,
  basis: ReportedBasis,
): number | null | undefined {
  return basis === 'count'
    ? rate.byCount
    : basis === 'investment'
      ? rate.byInvestment
      : rate.byCompletedInvestment;
}

function rateRows(
  model: LifecycleReadModel,
  asOf: LocalDate,
  cohort: NotificationCohort,
  settings: NotificationSettings,
  previous?: NotificationContent,
) {
  const since = cohort.since ?? undefined;
  const table = (scope: Scope) => rateTable(model, { scope, asOf, since }).rows;
  const toRows = (rows: readonly RateRow[], scope: Scope): NotificationRateRow[] =>
    rows.map((row) => {
      const zone = scope === 'zone' ? model.zones.get(row.id) : undefined;
      return {
        scope,
        id: row.id,
        name: row.name,
        ...(zone ? { cityId: zone.cityId, category: zone.category } : {}),
        rates: Object.fromEntries(
          RATE_KEYS.map((key) => {
            const basis = settings.basis[key];
            const figure: RateFigure = {
              ...row[key],
              basis,
              value: valueOn(row[key], basis) ?? null,
              rank: null,
              change: null,
            };
            return [key, figure];
          }),
        ) as Record<RateKey, RateFigure>,
      };
    });
  const rows = {
    province: toRows(table('province'), 'province'),
    cities: toRows(table('city'), 'city'),
    zones: toRows(table('zone'), 'zone'),
  };
  rank(rows.cities, () => 'cities');
  rank(rows.zones, (row) => row.category ?? '');
  const before = previous && cohortOfIssue(previous);
  if (previous && before?.kind === cohort.kind && before.since === cohort.since) {
    for (const group of ['province', 'cities', 'zones'] as const) {
      const published = new Map(previous.rates[group].map((row) => [row.id, row]));
      for (const row of rows[group]) {
        for (const key of RATE_KEYS) {
          const figure = row.rates[key];
          const rate = published.get(row.id)?.rates[key];
          const then = rate && valueOn(rate, figure.basis);
          figure.change =
            figure.value === null || then === null || then === undefined ? null : figure.value - then;
        }
      }
    }
  }
  return rows;
}

/** Competition ranking (1, 2, 2, 4) within each peer group; no rank for an empty cohort. */
export function rank(rows: NotificationRateRow[], peerGroup: (row: NotificationRateRow) => string): void {
  const groups = new Map<string, NotificationRateRow[]>();
  for (const row of rows) {
    const peers = groups.get(peerGroup(row));
    if (peers) peers.push(row);
    else groups.set(peerGroup(row), [row]);
  }
  for (const key of RATE_KEYS) {
    for (const peers of groups.values()) {
      const values = peers.map((row) => row.rates[key].value).filter((v): v is number => v !== null);
      for (const row of peers) {
        const value = row.rates[key].value;
        row.rates[key].rank = value === null ? null : 1 + values.filter((other) => other > value).length;
      }
    }
  }
}

export function milestonesDuring(
  model: LifecycleReadModel,
  month: YearMonth,
): NotificationContent['milestones'] {
  const byZone = new Map<string, NotificationContent['milestones'][number]['items']>();
  // no allocation for the projects that reached nothing in the month (most of them)
  const reached = (project: ProjectSnapshot, milestone: DatedFact, date: LocalDate | undefined) => {
    if (date === undefined || !date.startsWith(month)) return;
    const items = byZone.get(project.zoneId) ?? [];
    items.push({
      milestone,
      milestoneZh: MILESTONE_NAMES_ZH[milestone],
      occurredOn: date,
      projectId: project.projectId,
      projectName: project.name,
    });
    byZone.set(project.zoneId, items);
  };
  for (const project of model.snapshots()) {
    reached(project, 'signed', project.signedOn);
    for (const milestone of MILESTONES) reached(project, milestone, project.milestones[milestone]);
  }
  return [...byZone.entries()]
    .sort(([a], [b]) => byCodePoint(a, b))
    .map(([zoneId, items]) => ({
      zoneId,
      zoneName: model.zones.get(zoneId)?.name ?? zoneId,
      cityId: model.zones.get(zoneId)?.cityId ?? null,
      items: items.sort(
        (a, b) =>
          byCodePoint(a.occurredOn, b.occurredOn) ||
          byCodePoint(a.projectId, b.projectId) ||
          byCodePoint(a.milestone, b.milestone),
      ),
    }));
}

/** The stalled lists over the rates' cohort: projects listed in one of its rounds by D. */
function stalledLists(
  model: LifecycleReadModel,
  asOf: LocalDate,
  cohort: NotificationCohort,
  settings: NotificationSettings,
): NotificationContent['stalled'] {
  const lists = stalledProjects(model, {
    asOf,
    since: cohort.since ?? undefined,
    listedOnly: true,
    minDays: settings.stalledThresholdDays,
  });
  // the entries of the long lists have their keys in code-unit order: hashing copies none (canonical-json.ts)
  const entry = (p: StalledProject): StalledEntry => ({
    cityId: p.cityId,
    daysStalled: p.daysStalled,
    name: p.name,
    obstacles: p.obstacles,
    projectId: p.projectId,
    since: p.since,
    totalInvestmentWan: p.totalInvestmentWan,
    zoneId: p.zoneId,
  });
  return {
    signedNotStarted: lists.signedNotStarted.map(entry),
    startedNotProducing: lists.startedNotProducing.map(entry),
    producingNotAttained: lists.producingNotAttained.map(entry),
  };
}

function planSection(
  model: LifecycleReadModel,
  asOf: LocalDate,
  cohort: NotificationCohort,
): NotificationContent['plan'] {
  const { tables, overdue, expectedByYearEnd } = planTables(
    model,
    { asOf, since: cohort.since ?? undefined },
    ['province', 'city', 'zone'],
  );
  return { province: tables[0], cities: tables[1], zones: tables[2], overdue, expectedByYearEnd };
}

function lightsSection(
  model: LifecycleReadModel,
  asOf: LocalDate,
  cohort: NotificationCohort,
  settings: NotificationSettings,
): NotificationContent['lights'] {
  const zones = new Map<string, NotificationContent['lights']['zones'][number]>();
  const projects: { entry: NotificationLights; worst: number }[] = [];
  const query = { asOf, since: cohort.since ?? undefined, rules: settings.lights };
  for (const { project, lights, obstacles, worst } of litProjects(model, query)) {
    const { projectId, zoneId } = project;
    const zone = zones.get(zoneId) ?? { amber: 0, green: 0, justified: 0, red: 0, zoneId };
    for (const light of lights) {
      zone[light.colour] += 1;
      if (light.justified) zone.justified += 1;
    }
    zones.set(zoneId, zone);
    if (worst < 2)
      projects.push({ entry: { lights, name: project.name, obstacles, projectId, zoneId }, worst });
  }
  projects.sort((a, b) => a.worst - b.worst || byCodePoint(a.entry.projectId, b.entry.projectId));
  return {
    zones: [...zones.values()].sort((a, b) => byCodePoint(a.zoneId, b.zoneId)),
    projects: projects.map(({ entry }) => entry),
  };
}

function investmentSection(
  model: LifecycleReadModel,
  asOf: LocalDate,
  cohort: NotificationCohort,
): NotificationContent['investment'] {
  const [province, cities, zones] = investmentTables(model, { asOf, since: cohort.since ?? undefined }, [
    'province',
    'city',
    'zone',
  ]);
  return { province, cities, zones };
}

/** The effective date a fact is about, for deciding whether it concerns a notified month. */
function effectiveDateOf(event: ProjectEvent): LocalDate | null {
  switch (event.type) {
    case 'ProjectSigned':
      return event.data.signedOn;
    case 'ProjectListed':
    case 'ListingWithdrawn':
      return event.data.heldOn;
    case 'MilestoneDateCorrected':
      return earlierOf(event.data.occurredOn, event.data.previousOccurredOn);
    case 'MilestoneRetracted':
      return event.data.previousOccurredOn;
    case 'InvestmentProgressReported':
      return lastDayOf(event.data.month);
    case 'AnnualInvestmentPlanned':
      return `${event.data.year}-01-01`;
    case 'ObstacleRecorded':
      return event.data.raisedOn;
    case 'ObstacleResolved':
      return event.data.resolvedOn;
    case 'ProjectAmended':
    case 'PlannedDatesSet':
    case 'ObstacleUpdated':
    case 'ProjectVoided':
      return null;
    case 'ConstructionStarted':
    case 'StatisticsEntered':
    case 'ProductionStarted':
    case 'DesignOutputAttained':
    case 'EnterpriseEnteredAboveScale':
    case 'ProjectTerminated':
      return event.data.occurredOn;
    default: {
      const unhandled: never = event;
      throw new Error(`unhandled project event ${(unhandled as ProjectEvent).type}`);
    }
  }
}

/** Facts recorded since the previous issue about months it covered, in position order. */
export function earlierMonthFacts(
  model: LifecycleReadModel,
  previous: { knownThroughPosition: number; asOf: LocalDate },
): EarlierMonthFact[] {
  const facts: EarlierMonthFact[] = [];
  for (const timeline of model.projects.values()) {
    // facts are in position order: only the tail after the previous issue is new
    let first = timeline.facts.length;
    while (first > 0 && timeline.facts[first - 1].position > previous.knownThroughPosition) first--;
    for (let i = first; i < timeline.facts.length; i++) {
      const fact = timeline.facts[i];
      const effectiveOn = effectiveDateOf(fact.event);
      if (effectiveOn !== null && effectiveOn > previous.asOf) continue;
      facts.push({
        position: fact.position,
        projectId: timeline.projectId,
        type: fact.event.type,
        effectiveOn,
        recordedAt: new Date(fact.recordedAt).toISOString(),
        recordedBy: fact.recordedBy ?? null,
        reason: fact.reason ?? null,
      });
    }
  }
  return facts.sort((a, b) => a.position - b.position);
}

/**
 * Facts recorded since the previous issue about months it already covered (late reports,
 * corrections, retractions, amendments), and how the previous issue's rates read now: with
 * that issue's own cohort and basis, so that only what the facts changed shows.
 */
function changesSince(
  model: LifecycleReadModel,
  previous: NotificationContent,
): NotificationContent['changesAboutEarlierMonths'] {
  const facts = earlierMonthFacts(model, previous);
  const correctedRates: CorrectedRate[] = [];
  if (facts.length > 0) {
    const cohort = cohortOfIssue(previous);
    const settings = settingsOfIssue(previous.settings);
    const now = rateRows(model, previous.asOf, cohort, settings);
    for (const group of ['province', 'cities', 'zones'] as const) {
      const published = new Map(previous.rates[group].map((row) => [row.id, row]));
      for (const row of now[group]) {
        for (const key of RATE_KEYS) {
          const before: Partial<Rate> | undefined = published.get(row.id)?.rates[key];
          const after = row.rates[key];
          if (before && sameFigures(before, after)) continue;
          const basis = settings.basis[key];
          correctedRates.push({
            scope: row.scope,
            id: row.id,
            name: row.name,
            rate: key,
            cohort,
            basis,
            published: {
              byCount: before?.byCount ?? null,
              byInvestment: before?.byInvestment ?? null,
              byCompletedInvestment: before?.byCompletedInvestment ?? null,
              value: (before && valueOn(before, basis)) ?? null,
            },
            corrected: {
              byCount: after.byCount,
              byInvestment: after.byInvestment,
              byCompletedInvestment: after.byCompletedInvestment,
              value: after.value,
            },
          });
        }
      }
    }
  }
  return { facts, correctedRates };
}

/** Whether a published rate reads the same now, on every basis it was published with. */
function sameFigures(published: Partial<Rate>, now: Rate): boolean {
  return (
    published.byCount === now.byCount &&
    published.byInvestment === now.byInvestment &&
    (published.byCompletedInvestment === undefined ||
      published.byCompletedInvestment === now.byCompletedInvestment)
  );
}
