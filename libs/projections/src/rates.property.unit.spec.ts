import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import {
  BATCHES,
  CORRECTABLE,
  DEPENDS_ON,
  DomainError,
  LocalDate,
  MILESTONES,
  Milestone,
  ProjectCommand,
  ProjectEvent,
  Round,
  SignedProject,
  Zone,
  decideProject,
  foldProject,
  lastDayOf,
} from '@app/domain';
import { RecordedEvent } from '@app/event-store';
import { LeadTimeQuery, leadTimes } from './lead-times';
import { LifecycleReadModel } from './lifecycle-read-model';
import { investmentCompletion } from './investment-completion';
import { largeProjectShares } from './large-projects';
import { planProgress } from './plan-progress';
import { projectLights } from './project-lights';
import { stalledProjects } from './project-lists';
import { knownAtRatesOf } from './known-at-rates';
import { RateQuery, rateTable } from './rates';

// ---------------------------------------------------------------------------------------
// Random histories the domain accepts: commands decided by the domain's own decideProject,
// recorded at a clock that moves forward by random steps, with effective dates up to four
// months before the recording day (late reports), corrections, retractions, amendments,
// terminations, withdrawn listings, voided projects, rounds held in the future and a zone
// registered part-way through.
// ---------------------------------------------------------------------------------------

const ZONES: Zone[] = [
  { id: 'z0', name: '晋中开发区', cityId: 'jinzhong', category: 'industrial', level: 'national' },
  { id: 'z1', name: '太谷经开区', cityId: 'jinzhong', category: 'agricultural', level: 'provincial' },
  { id: 'z2', name: '临汾开发区', cityId: 'linfen', category: 'industrial', level: 'provincial' },
];
const ROUNDS: Round[] = [
  { id: 'r0', heldOn: '2023-02-22' },
  { id: 'r1', heldOn: '2023-05-29' },
  { id: 'r2', heldOn: '2023-08-31' },
  { id: 'r3', heldOn: '2023-11-30' },
  { id: 'r4', heldOn: '2024-03-15' },
];
const START = Date.parse('2023-01-01T00:00:00Z');
const DAY = 86_400_000;
const PROJECTS = 4;

const plusDays = (date: LocalDate, days: number): LocalDate =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);

const step = fc.record({
  advanceHours: fc.constantFrom(0, 0, 1, 24, 72, 24 * 7, 24 * 30),
  project: fc.integer({ min: 0, max: PROJECTS - 1 }),
  action: fc.constantFrom(
    'sign',
    'list',
    'list',
    'reach',
    'reach',
    'reach',
    'reach',
    'correct',
    'retract',
    'amend',
    'report',
    'plan',
    'planInvestment',
    'obstacle',
    'terminate',
    'withdraw',
    'withdraw',
    'void',
  ),
  lagDays: fc.constantFrom(0, 1, 5, 30, 60, 120),
  round: fc.integer({ min: 0, max: ROUNDS.length - 1 }),
  batch: fc.constantFrom(...BATCHES),
  milestone: fc.constantFrom(...MILESTONES),
  correctable: fc.constantFrom(...CORRECTABLE),
  wan: fc.integer({ min: 1, max: 30_000 }),
  industrial: fc.boolean(),
});
const historyArb = fc.record({
  steps: fc.array(step, { minLength: 10, maxLength: 120, size: 'max' }),
  /** After how many steps the third zone is registered. */
  lateZoneAfter: fc.integer({ min: 0, max: 30 }),
  /** After how many steps z1 is corrected into another city and category (never, past the end). */
  zoneCorrectedAfter: fc.integer({ min: 0, max: 150 }),
});
type HistorySpec = typeof historyArb extends fc.Arbitrary<infer T> ? T : never;

/** z1 was registered under the wrong city and category. */
const Z1_CORRECTION = { cityId: 'linfen', category: 'industrial', name: '太谷经济技术开发区' } as const;

function buildHistory({ steps, lateZoneAfter, zoneCorrectedAfter }: HistorySpec): RecordedEvent[] {
  const events: RecordedEvent[] = [];
  const streams = new Map<string, ProjectEvent[]>();
  let now = START;
  const record = (streamId: string, type: string, data: unknown) => {
    events.push({
      id: randomUUID(),
      streamId,
      revision: 0,
      position: events.length + 1,
      type,
      schemaVersion: 1,
      data,
      metadata: {
        recordedAt: new Date(now).toISOString(),
        recordedBy: 'officer',
        source: { kind: 'api' },
        correlationId: 'c',
        causationId: 'c',
      },
    });
  };
  now -= DAY;
  for (const zone of ZONES.slice(0, 2)) record(`zone-${zone.id}`, 'ZoneRegistered', zone);
  for (const round of ROUNDS) record(`round-${round.id}`, 'RoundRegistered', round);
  now += DAY;
  steps.forEach((s, i) => {
    now += s.advanceHours * 3_600_000;
    if (i === lateZoneAfter) record(`zone-${ZONES[2].id}`, 'ZoneRegistered', ZONES[2]);
    if (i === zoneCorrectedAfter)
      record(`zone-${ZONES[1].id}`, 'ZoneCorrected', {
        id: ZONES[1].id,
        changes: Z1_CORRECTION,
        previous: { cityId: ZONES[1].cityId, category: ZONES[1].category, name: ZONES[1].name },
        reason: '登记有误',
      });
    const today = new Date(now).toISOString().slice(0, 10);
    const projectId = `p${s.project}`;
    const zone = ZONES[s.project % ZONES.length];
    if (zone === ZONES[2] && i <= lateZoneAfter) return; // the API refuses an unknown zone
    const effective = plusDays(today, -s.lagDays);
    const stream = streams.get(projectId) ?? [];
    const state = foldProject(stream);
    // Aim most commands at what the project can take next, so that histories go far.
    const recorded = state.status === 'signed' ? MILESTONES.filter((m) => state.milestones[m]) : [];
    const next =
      state.status === 'signed'
        ? MILESTONES.filter((m) => {
            const dependency = DEPENDS_ON[m];
            return !state.milestones[m] && (dependency === 'signed' || state.milestones[dependency]);
          })
        : [];
    const pick = <T>(options: readonly T[], fallback: T): T =>
      options.length > 0 ? options[s.round % options.length] : fallback;
    const reachable = pick(next, s.milestone);
    /** A round held on or after the date the batch needs, when there is one. */
    const listableRound = (): Round => {
      if (state.status !== 'signed') return ROUNDS[s.round];
      const needs =
        s.batch === 'signing'
          ? state.signedOn
          : state.milestones[s.batch === 'construction' ? 'construction-started' : 'production-started'];
      return pick(
        ROUNDS.filter((round) => needs !== undefined && round.heldOn >= needs),
        ROUNDS[s.round],
      );
    };
    const dependencyOn =
      state.status !== 'signed'
        ? undefined
        : DEPENDS_ON[reachable] === 'signed'
          ? state.signedOn
          : state.milestones[DEPENDS_ON[reachable] as Milestone];
    /** Records obstacle o1, or resolves it while open. */
    const obstacleCommand = (): ProjectCommand => {
      const open = state.status === 'signed' && state.obstacles.o1 && !state.obstacles.o1.resolution;
      return open
        ? {
            type: 'ResolveObstacle',
            today,
            data: { projectId, obstacleId: 'o1', resolvedOn: effective, resolution: '已解决' },
          }
        : {
            type: 'RecordObstacle',
            today,
            data: {
              projectId,
              obstacleId: 'o1',
              category: 'land',
              description: '用地',
              responsibleUnit: '自然资源局',
              raisedOn: effective,
            },
          };
    };
    const command = ((): ProjectCommand => {
      switch (s.action) {
        case 'sign':
          return {
            type: 'SignProject',
            today,
            data: {
              projectId,
              zoneId: zone.id,
              name: `项目${s.project}`,
              enterprise: 'e',
              totalInvestmentWan: s.wan,
              industrial: s.industrial,
              signedOn: effective,
            },
          };
        case 'list':
          return { type: 'ListProject', today, data: { projectId, round: listableRound(), batch: s.batch } };
        case 'reach':
          return {
            type: 'RecordMilestone',
            today,
            data: {
              projectId,
              milestone: reachable,
              occurredOn: dependencyOn && dependencyOn > effective ? dependencyOn : effective,
            },
          };
        case 'correct':
          return {
            type: 'CorrectMilestoneDate',
            today,
            data: {
              projectId,
              milestone: s.lagDays === 0 ? 'signed' : pick(recorded, s.correctable),
              occurredOn: effective,
              reason: '更正',
            },
          };
        case 'retract':
          return {
            type: 'RetractMilestone',
            today,
            data: { projectId, milestone: s.milestone, reason: '误报' },
          };
        case 'amend':
          return {
            type: 'AmendProject',
            today,
            data: {
              projectId,
              changes: s.wan % 2 === 0 ? { totalInvestmentWan: s.wan } : { industrial: s.industrial },
              reason: '核实',
            },
          };
        case 'plan':
          return {
            type: 'SetPlannedDates',
            today,
            data: {
              projectId,
              plannedStartOn: plusDays(effective, s.wan % 90),
              ...(s.industrial ? { plannedProductionOn: plusDays(effective, 90 + (s.wan % 200)) } : {}),
              reason: '调整计划',
            },
          };
        case 'obstacle':
          return obstacleCommand();
        case 'planInvestment':
          return {
            type: 'PlanAnnualInvestment',
            today,
            data: {
              projectId,
              year: Number(effective.slice(0, 4)),
              plannedInvestmentWan: s.wan,
              reason: '调整',
            },
          };
        case 'report':
          return {
            type: 'ReportInvestmentProgress',
            today,
            data: { projectId, month: effective.slice(0, 7), completedInvestmentWan: s.wan },
          };
        case 'withdraw':
          return {
            type: 'WithdrawListing',
            today,
            data: {
              projectId,
              roundId: pick(state.status === 'signed' ? state.listings.map((l) => l.roundId) : [], 'r0'),
              reason: '误列',
            },
          };
        case 'void':
          // Only the last project is ever voided: a voided project takes nothing more, and the
          // others must still go through every other kind of fact (here: the scarcest, obstacles).
          if (projectId === `p${PROJECTS - 1}`)
            return { type: 'VoidProject', today, data: { projectId, reason: '重复录入' } };
          return obstacleCommand();
        default:
          return {
            type: 'TerminateProject',
            today,
            data: { projectId, occurredOn: effective, reason: '退出' },
          };
      }
    })();
    let decided: ProjectEvent[];
    try {
      decided = decideProject(command, state);
    } catch (error) {
      if (error instanceof DomainError) return;
      throw error;
    }
    for (const event of decided) record(`project-${projectId}`, event.type, event.data);
    streams.set(projectId, [...stream, ...decided]);
  });
  return events;
}

// ---------------------------------------------------------------------------------------
// The naive reference: filter the raw events by recorded time, fold each project with the
// domain's evolve, and count by the words of DOMAIN.md. No code shared with the library.
// ---------------------------------------------------------------------------------------

const RULES = {
  start: {
    batch: 'signing',
    milestone: 'construction-started',
    industrialOnly: false,
    reported: 'investment',
  },
  production: {
    batch: 'construction',
    milestone: 'production-started',
    industrialOnly: false,
    reported: 'investment',
  },
  statisticsEntry: {
    batch: 'construction',
    milestone: 'statistics-entered',
    industrialOnly: false,
    reported: 'count',
  },
  attainment: { batch: 'production', milestone: 'attained', industrialOnly: true, reported: 'count' },
  aboveScale: {
    batch: 'production',
    milestone: 'enterprise-above-scale',
    industrialOnly: true,
    reported: 'count',
  },
} as const;

function knownProjects(events: RecordedEvent[], knownAt: string | undefined) {
  const k = knownAt === undefined ? Infinity : Date.parse(knownAt);
  const known = events.filter((e) => Date.parse(e.metadata.recordedAt) <= k);
  const zones: Zone[] = [];
  for (const e of known) {
    if (e.type === 'ZoneRegistered') zones.push(e.data as Zone);
    if (e.type === 'ZoneCorrected') {
      const { id, changes } = e.data as { id: string; changes: Partial<Zone> };
      const at = zones.findIndex((zone) => zone.id === id);
      zones[at] = { ...zones[at], ...changes };
    }
  }
  const streams = new Map<string, ProjectEvent[]>();
  for (const e of known) {
    if (!e.streamId.startsWith('project-')) continue;
    streams.set(e.streamId, [
      ...(streams.get(e.streamId) ?? []),
      { type: e.type, data: e.data } as ProjectEvent,
    ]);
  }
  const projects = [...streams.values()]
    .map((stream) => foldProject(stream))
    .filter((state): state is SignedProject => state.status === 'signed' && !state.voided);
  return { zones, projects };
}

function referenceRates(events: RecordedEvent[], q: RateQuery) {
  const { zones, projects } = knownProjects(events, q.knownAt);
  const zoneOk = (zone: Zone | undefined) =>
    (!q.zoneId || zone?.id === q.zoneId) &&
    (!q.cityId || zone?.cityId === q.cityId) &&
    (!q.zoneCategory || zone?.category === q.zoneCategory);
  const units =
    q.scope === 'province'
      ? [{ scope: q.scope, id: 'province', name: '全省' }]
      : q.scope === 'zone'
        ? zones
            .filter(zoneOk)
            .sort((a, b) => (a.cityId + ' ' + a.id < b.cityId + ' ' + b.id ? -1 : 1))
            .map((z) => ({ scope: q.scope, id: z.id, name: z.name }))
        : [...new Set(zones.filter(zoneOk).map((z) => z.cityId))]
            .sort()
            .map((c) => ({ scope: q.scope, id: c, name: c }));
  const rows = units.map((unit) => {
    const row: Record<string, unknown> = { ...unit };
    for (const [key, rule] of Object.entries(RULES)) {
      let cohortCount = 0;
      let cohortWan = 0;
      let count = 0;
      let wan = 0;
      let terminatedCount = 0;
      let completedWan = 0;
      for (const p of projects) {
        const zone = zones.find((z) => z.id === p.zoneId);
        if (!zoneOk(zone)) continue;
        const unitId = q.scope === 'province' ? 'province' : q.scope === 'zone' ? zone?.id : zone?.cityId;
        if (unitId !== unit.id) continue;
        if (q.minTotalInvestmentWan !== undefined && p.totalInvestmentWan < q.minTotalInvestmentWan) continue;
        if (q.industrialOnly && !p.industrial) continue;
        if (rule.industrialOnly && !p.industrial) continue;
        const inCohort = p.listings.some(
          (l) =>
            l.batch === rule.batch &&
            l.heldOn <= q.asOf &&
            (q.roundIds?.length ? q.roundIds.includes(l.roundId) : q.since ? l.heldOn >= q.since : true),
        );
        if (!inCohort) continue;
        cohortCount += 1;
        cohortWan += p.totalInvestmentWan;
        if (p.termination && p.termination.occurredOn <= q.asOf) terminatedCount += 1;
        const reachedOn = p.milestones[rule.milestone];
        if (reachedOn !== undefined && reachedOn <= q.asOf) {
          count += 1;
          wan += p.totalInvestmentWan;
          const reported = Object.keys(p.investmentProgress)
            .filter((month) => lastDayOf(month) <= q.asOf)
            .sort();
          if (reported.length > 0) completedWan += p.investmentProgress[reported[reported.length - 1]];
        }
      }
      row[key] = {
        cohortCount,
        cohortWan,
        count,
        wan,
        terminatedCount,
        completedWan,
        byCount: cohortCount === 0 ? null : count / cohortCount,
        byInvestment: cohortWan === 0 ? null : wan / cohortWan,
        byCompletedInvestment: cohortWan === 0 ? null : completedWan / cohortWan,
        reported: rule.reported,
      };
    }
    return row;
  });
  return { asOf: q.asOf, knownAt: q.knownAt ?? null, rows };
}

const days = (from: LocalDate, to: LocalDate) => (Date.parse(to) - Date.parse(from)) / DAY;

/** Province-wide: signed → started over the signing cohort, only when both ends are by D. */
function referenceSignToStart(events: RecordedEvent[], q: LeadTimeQuery): number[] {
  return knownProjects(events, q.knownAt)
    .projects.filter((p) => p.listings.some((l) => l.batch === 'signing' && l.heldOn <= q.asOf))
    .filter((p) => {
      const started = p.milestones['construction-started'];
      return started !== undefined && started <= q.asOf;
    })
    .map((p) => days(p.signedOn, p.milestones['construction-started']!))
    .sort((a, b) => a - b);
}

/** 三未 as of D: the furthest stage reached decides the list; terminated projects are left out. */
function referenceStalled(events: RecordedEvent[], asOf: LocalDate, knownAt?: string) {
  const lists = {
    signedNotStarted: [] as string[],
    startedNotProducing: [] as string[],
    producingNotAttained: [] as string[],
  };
  for (const p of knownProjects(events, knownAt).projects) {
    if (p.signedOn > asOf || (p.termination && p.termination.occurredOn <= asOf)) continue;
    const by = (m: keyof typeof p.milestones) => p.milestones[m] !== undefined && p.milestones[m]! <= asOf;
    if (!by('construction-started')) lists.signedNotStarted.push(`${p.projectId}@${days(p.signedOn, asOf)}`);
    else if (!by('production-started'))
      lists.startedNotProducing.push(`${p.projectId}@${days(p.milestones['construction-started']!, asOf)}`);
    else if (p.industrial && !by('attained'))
      lists.producingNotAttained.push(`${p.projectId}@${days(p.milestones['production-started']!, asOf)}`);
  }
  return lists;
}

/** Listed by D in one of the cohort's rounds (all rounds, some, or those since a date). */
const listedIn = (p: SignedProject, asOf: LocalDate, cohort: Partial<RateQuery>) =>
  p.listings.some(
    (l) =>
      l.heldOn <= asOf &&
      (cohort.roundIds?.length
        ? cohort.roundIds.includes(l.roundId)
        : cohort.since
          ? l.heldOn >= cohort.since
          : true),
  );

/** The obstacles open on D, as `id` in raising order. */
const openObstacles = (p: SignedProject, asOf: LocalDate) =>
  Object.values(p.obstacles)
    .filter((o) => o.raisedOn <= asOf && (!o.resolution || o.resolution.resolvedOn > asOf))
    .map((o) => o.obstacleId);

/** 应开工 / 应投产 by the words of DOMAIN.md, over projects listed in the cohort's rounds by D. */
function referencePlan(
  events: RecordedEvent[],
  asOf: LocalDate,
  knownAt?: string,
  cohort: Partial<RateQuery> = {},
) {
  const figures = {
    start: { due: 0, dueWan: 0, reached: 0, reachedWan: 0, onPlan: 0, overdue: [] as string[] },
    production: { due: 0, dueWan: 0, reached: 0, reachedWan: 0, onPlan: 0, overdue: [] as string[] },
  };
  const expected: string[] = [];
  for (const p of knownProjects(events, knownAt).projects) {
    if (!listedIn(p, asOf, cohort)) continue;
    const terminated = p.termination !== undefined && p.termination.occurredOn <= asOf;
    for (const [key, planned, milestone] of [
      ['start', p.plannedStartOn, 'construction-started'],
      ['production', p.plannedProductionOn, 'production-started'],
    ] as const) {
      if (planned === undefined) continue;
      const reachedOn = p.milestones[milestone];
      const reached = reachedOn !== undefined && reachedOn <= asOf;
      if (
        key === 'production' &&
        !terminated &&
        !reached &&
        planned > asOf &&
        planned.slice(0, 4) === asOf.slice(0, 4)
      )
        expected.push(p.projectId);
      if (planned > asOf) continue;
      figures[key].due += 1;
      figures[key].dueWan += p.totalInvestmentWan;
      if (reached) {
        figures[key].reached += 1;
        figures[key].reachedWan += p.totalInvestmentWan;
      }
      if (reached && reachedOn <= planned) figures[key].onPlan += 1;
      if (!reached && !terminated && planned < asOf)
        figures[key].overdue.push(`${p.projectId}@${days(planned, asOf)}[${openObstacles(p, asOf).join()}]`);
    }
  }
  return { figures, expected };
}

/** 投资完成率 by the words of DOMAIN.md: completed this year by D / planned for the year. */
function referenceInvestment(
  events: RecordedEvent[],
  asOf: LocalDate,
  knownAt?: string,
  cohort: Partial<RateQuery> = {},
) {
  const year = Number(asOf.slice(0, 4));
  const cumulative = (progress: Record<string, number>, by: LocalDate) => {
    const months = Object.keys(progress)
      .filter((month) => lastDayOf(month) <= by)
      .sort();
    return months.length ? progress[months[months.length - 1]] : 0;
  };
  let plannedWan = 0;
  let completedWan = 0;
  let completedAllWan = 0;
  // what each month of the year ended by D added (the cumulative figure's step), every project
  const months = Array.from({ length: 12 }, (_, i) => `${year}-${String(i + 1).padStart(2, '0')}`).filter(
    (month) => lastDayOf(month) <= asOf,
  );
  const monthly = months.map(() => 0);
  for (const p of knownProjects(events, knownAt).projects) {
    if (!listedIn(p, asOf, cohort)) continue;
    const completed =
      cumulative(p.investmentProgress, asOf) - cumulative(p.investmentProgress, `${year - 1}-12-31`);
    completedAllWan += completed;
    months.forEach((month, i) => {
      monthly[i] +=
        cumulative(p.investmentProgress, lastDayOf(month)) -
        cumulative(p.investmentProgress, plusDays(`${month}-01`, -1));
    });
    if (p.annualInvestmentPlan[year] !== undefined) {
      plannedWan += p.annualInvestmentPlan[year];
      completedWan += completed;
    }
  }
  return {
    plannedWan,
    completedWan,
    completedAllWan,
    rate: plannedWan === 0 ? null : completedWan / plannedWan,
    months: months.map((month, i) => ({ month, completedWan: monthly[i] })),
  };
}

/** The default lights (银川) by the words of DOMAIN.md, as `id:kind:colour:rule:justifiedBy`. */
function referenceLights(
  events: RecordedEvent[],
  asOf: LocalDate,
  knownAt?: string,
  cohort: Partial<RateQuery> = {},
): string[] {
  const year = Number(asOf.slice(0, 4));
  const monthIndex = (date: LocalDate) => Number(date.slice(0, 4)) * 12 + Number(date.slice(5, 7));
  const wholeMonths = (from: LocalDate, to: LocalDate) =>
    monthIndex(to) - monthIndex(from) - (to.slice(8) < from.slice(8) ? 1 : 0);
  const cumulative = (progress: Record<string, number>, by: LocalDate) => {
    const months = Object.keys(progress)
      .filter((month) => lastDayOf(month) <= by)
      .sort();
    return months.length ? progress[months[months.length - 1]] : 0;
  };
  const elapsed = (days(`${year}-01-01`, asOf) + 1) / (days(`${year}-01-01`, `${year}-12-31`) + 1);
  const lit: string[] = [];
  for (const p of knownProjects(events, knownAt).projects) {
    if (!listedIn(p, asOf, cohort)) continue;
    if (p.termination && p.termination.occurredOn <= asOf) continue;
    const open = openObstacles(p, asOf);
    const started = p.milestones['construction-started'];
    const startedByD = started !== undefined && started <= asOf;
    const light = (kind: string, colour: string, rule: string, explainable: boolean) =>
      lit.push(
        `${p.projectId}:${kind}:${colour}:${rule}:${colour !== 'green' && explainable ? open.join() : ''}`,
      );
    if (p.plannedStartOn !== undefined) {
      const planned = p.plannedStartOn;
      if (startedByD)
        light('start', 'green', started <= planned ? 'start.on-plan' : 'start.started-late', true);
      else if (planned.slice(0, 7) > asOf.slice(0, 7)) light('start', 'green', 'start.not-yet-due', true);
      else if (planned.slice(0, 7) === asOf.slice(0, 7))
        light('start', 'amber', 'start.due-this-month', true);
      else if (wholeMonths(planned, asOf) < 3) light('start', 'amber', 'start.overdue', true);
      else light('start', 'red', 'start.overdue-3-months', true);
    }
    const plan = p.annualInvestmentPlan[year];
    if (plan) {
      const rate =
        (cumulative(p.investmentProgress, asOf) - cumulative(p.investmentProgress, `${year - 1}-12-31`)) /
        plan;
      const below = elapsed - rate;
      if (below > 0.3) light('progress', 'red', 'progress.behind-30', true);
      else if (below >= 0.1) light('progress', 'amber', 'progress.behind-10', true);
      else light('progress', 'green', 'progress.on-schedule', true);
    }
    if (startedByD) {
      const entered = p.milestones['statistics-entered'];
      const months = wholeMonths(started, asOf);
      if (entered !== undefined && entered <= asOf)
        light('statisticsEntry', 'green', 'statisticsEntry.entered', false);
      else if (months >= 2) light('statisticsEntry', 'red', 'statisticsEntry.2-months', false);
      else if (months >= 1) light('statisticsEntry', 'amber', 'statisticsEntry.1-months', false);
      else light('statisticsEntry', 'green', 'statisticsEntry.pending', false);
    }
  }
  return lit.sort();
}

/** 亿元以上 shares per batch: projects listed in it by D in the cohort's rounds, those of ≥ 10,000 万元 among them. */
function referenceLargeShares(
  events: RecordedEvent[],
  asOf: LocalDate,
  knownAt?: string,
  cohort: Partial<RateQuery> = {},
) {
  const shares: Record<string, unknown> = {};
  const projects = knownProjects(events, knownAt).projects;
  for (const batch of BATCHES) {
    const listed = projects.filter((p) =>
      listedIn({ ...p, listings: p.listings.filter((l) => l.batch === batch) }, asOf, cohort),
    );
    const large = listed.filter((p) => p.totalInvestmentWan >= 10_000);
    const wanOf = (ps: SignedProject[]) => ps.reduce((sum, p) => sum + p.totalInvestmentWan, 0);
    shares[batch] = {
      count: listed.length,
      wan: wanOf(listed),
      largeCount: large.length,
      largeWan: wanOf(large),
      byCount: listed.length === 0 ? null : large.length / listed.length,
      byInvestment: wanOf(listed) === 0 ? null : wanOf(large) / wanOf(listed),
    };
  }
  return shares;
}

// ---------------------------------------------------------------------------------------

const asOfArb = fc.oneof(
  fc.integer({ min: 0, max: 600 }).map((d) => plusDays('2022-12-15', d)),
  fc.constantFrom(...ROUNDS.map((r) => r.heldOn), '9999-12-31'),
);
const knownAtArb = fc.option(
  fc.integer({ min: -30, max: 24 * 500 }).map((h) => new Date(START + h * 3_600_000).toISOString()),
  { nil: undefined, freq: 3 },
);
const cohortArb = fc.constantFrom<Partial<RateQuery>>(
  {},
  {},
  { roundIds: ['r1'] },
  { roundIds: ['r0', 'r3'] },
  { roundIds: ['r4'] },
  { since: '2023-05-01' },
);
const filterArb = fc.constantFrom<Partial<RateQuery>>(
  {},
  {},
  { minTotalInvestmentWan: 10_000 },
  { industrialOnly: true },
  { zoneCategory: 'industrial' },
  { cityId: 'jinzhong' },
  { zoneId: 'z2' },
);
const scopeArb = fc.constantFrom<RateQuery['scope']>('province', 'city', 'zone');

function feed(model: LifecycleReadModel, events: RecordedEvent[], cuts: number[]): void {
  let from = 0;
  for (const cut of [
    ...cuts.map((c) => Math.floor(c * events.length)).sort((a, b) => a - b),
    events.length,
  ]) {
    // each batch re-delivers a few events already applied, as an at-least-once subscription may
    model.apply(events.slice(Math.max(0, from - 3), cut));
    from = Math.max(from, cut);
    rateTable(model, { scope: 'zone', asOf: '9999-12-31' }); // a query in between flushes the aggregates
  }
}

describe('read models on random histories the domain accepts', () => {
  it('every (D, K, rounds, filters, scope) rate table equals the naive reference', () => {
    fc.assert(
      fc.property(
        historyArb,
        asOfArb,
        knownAtArb,
        cohortArb,
        filterArb,
        scopeArb,
        (spec, asOf, knownAt, cohort, filters, scope) => {
          // given
          const events = buildHistory(spec);
          const model = new LifecycleReadModel();
          model.apply(events);
          const query: RateQuery = { scope, asOf, knownAt, ...cohort, ...filters };
          // when / then
          const expected = referenceRates(events, query);
          expect(rateTable(model, query)).toEqual(expected);
          expect(rateTable(model, query, null)).toEqual(expected);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('the incremental current view, fed in overlapping batches, equals a from-scratch fold at every D', () => {
    fc.assert(
      fc.property(
        historyArb,
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 6 }),
        fc.array(asOfArb, { minLength: 1, maxLength: 4 }),
        (spec, cuts, dates) => {
          // given: one model fed incrementally, another folded once
          const events = buildHistory(spec);
          const incremental = new LifecycleReadModel();
          feed(incremental, events, cuts);
          const scratch = new LifecycleReadModel();
          scratch.apply(events);
          // then
          expect(incremental.position).toBe(events.length);
          expect(incremental.eventCount).toBe(events.length);
          const factsOf = (model: LifecycleReadModel) =>
            [...model.projects.values()].map((timeline) => timeline.facts.map((fact) => fact.position));
          expect(factsOf(incremental)).toEqual(factsOf(scratch));
          for (const asOf of dates) {
            for (const scope of ['province', 'city', 'zone'] as const) {
              const query: RateQuery = { scope, asOf };
              const fromScratch = rateTable(scratch, query, null);
              expect(rateTable(incremental, query)).toEqual(fromScratch);
              expect(fromScratch).toEqual(referenceRates(events, query));
            }
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('lead times (signed → started) and the stalled lists equal the naive reference', () => {
    fc.assert(
      fc.property(historyArb, asOfArb, knownAtArb, (spec, asOf, knownAt) => {
        const events = buildHistory(spec);
        const model = new LifecycleReadModel();
        model.apply(events);
        // lead times
        const samples = referenceSignToStart(events, { scope: 'province', asOf, knownAt });
        const nearestRank = (p: number) =>
          samples.length ? samples[Math.ceil((p / 100) * samples.length) - 1] : null;
        expect(leadTimes(model, { scope: 'province', asOf, knownAt }).rows[0].signToStart).toEqual({
          count: samples.length,
          median: nearestRank(50),
          p90: nearestRank(90),
        });
        // stalled
        const stalled = stalledProjects(model, { asOf, knownAt });
        const expected = referenceStalled(events, asOf, knownAt);
        for (const kind of ['signedNotStarted', 'startedNotProducing', 'producingNotAttained'] as const) {
          expect(stalled[kind].map((p) => `${p.projectId}@${p.daysStalled}`).sort()).toEqual(
            expected[kind].sort(),
          );
        }
      }),
      { numRuns: 200 },
    );
  });

  it('plan against actual (due, reached, on plan, overdue, expected by year end) equals the naive reference', () => {
    fc.assert(
      fc.property(historyArb, asOfArb, knownAtArb, cohortArb, (spec, asOf, knownAt, cohort) => {
        const events = buildHistory(spec);
        const model = new LifecycleReadModel();
        model.apply(events);
        const plan = planProgress(model, { scope: 'province', asOf, knownAt, ...cohort });
        const { figures, expected } = referencePlan(events, asOf, knownAt, cohort);
        for (const key of ['start', 'production'] as const) {
          const { due, dueWan, reached, reachedWan, onPlan } = figures[key];
          expect(plan.rows[0][key]).toEqual({
            due,
            dueWan,
            reached,
            reachedWan,
            onPlan,
            rate: due === 0 ? null : reached / due,
            onPlanRate: due === 0 ? null : onPlan / due,
          });
          expect(
            plan.overdue[key]
              .map((p) => `${p.projectId}@${p.daysOverdue}[${p.obstacles.map((o) => o.obstacleId).join()}]`)
              .sort(),
          ).toEqual(figures[key].overdue.sort());
        }
        expect(plan.expectedByYearEnd.map((p) => p.projectId).sort()).toEqual(expected.sort());
      }),
      { numRuns: 200 },
    );
  });

  it('investment completion (planned, completed this year, rate, months) equals the naive reference', () => {
    fc.assert(
      fc.property(historyArb, asOfArb, knownAtArb, cohortArb, (spec, asOf, knownAt, cohort) => {
        const events = buildHistory(spec);
        const model = new LifecycleReadModel();
        model.apply(events);
        const [row] = investmentCompletion(model, { scope: 'province', asOf, knownAt, ...cohort }).rows;
        const expected = referenceInvestment(events, asOf, knownAt, cohort);
        expect(row.investment).toMatchObject(expected);
        expect(row.investment.months.reduce((sum, m) => sum + m.completedWan, 0)).toBe(
          row.investment.completedAllWan,
        );
      }),
      { numRuns: 200 },
    );
  });

  it('the lights (colour, rule and the obstacles that justify it) equal the naive reference', () => {
    fc.assert(
      fc.property(historyArb, asOfArb, knownAtArb, cohortArb, (spec, asOf, knownAt, cohort) => {
        const events = buildHistory(spec);
        const model = new LifecycleReadModel();
        model.apply(events);
        const lit = projectLights(model, { asOf, knownAt, ...cohort }).flatMap((p) =>
          p.lights.map((l) => {
            expect(l.justified).toBe(l.justifiedBy.length > 0);
            return `${p.projectId}:${l.kind}:${l.colour}:${l.rule}:${l.justifiedBy.join()}`;
          }),
        );
        expect(lit.sort()).toEqual(referenceLights(events, asOf, knownAt, cohort));
      }),
      { numRuns: 200 },
    );
  });

  it('亿元以上 shares per batch equal the naive reference', () => {
    fc.assert(
      fc.property(historyArb, asOfArb, knownAtArb, cohortArb, (spec, asOf, knownAt, cohort) => {
        const events = buildHistory(spec);
        const model = new LifecycleReadModel();
        model.apply(events);
        const [row] = largeProjectShares(model, { scope: 'province', asOf, knownAt, ...cohort }).rows;
        expect(row).toMatchObject(referenceLargeShares(events, asOf, knownAt, cohort));
      }),
      { numRuns: 200 },
    );
  });

  it('generates histories with every kind of fact (the generator is not vacuous)', () => {
    const seen = new Map<string, number>();
    fc.assert(
      fc.property(historyArb, (spec) => {
        for (const type of new Set(buildHistory(spec).map((event) => event.type)))
          seen.set(type, (seen.get(type) ?? 0) + 1);
      }),
      { numRuns: 200 },
    );
    // every kind of fact shows up in at least one history in twenty
    expect(
      [...seen]
        .filter(([, histories]) => histories >= 10)
        .map(([type]) => type)
        .sort(),
    ).toEqual(
      [
        'ConstructionStarted',
        'DesignOutputAttained',
        'EnterpriseEnteredAboveScale',
        'MilestoneDateCorrected',
        'MilestoneRetracted',
        'ObstacleRecorded',
        'ObstacleResolved',
        'PlannedDatesSet',
        'ProductionStarted',
        'AnnualInvestmentPlanned',
        'InvestmentProgressReported',
        'ProjectAmended',
        'ProjectListed',
        'ProjectSigned',
        'ProjectTerminated',
        'ProjectVoided',
        'ListingWithdrawn',
        'RoundRegistered',
        'StatisticsEntered',
        'ZoneRegistered',
        'ZoneCorrected',
      ].sort(),
    );
  });
});

describe('rates as known at K from the known-at index', () => {
  /** Facts whose recorded time is moved back (a late entry stamped with an earlier time). */
  const backdatingArb = fc.array(
    fc.record({ at: fc.double({ min: 0, max: 0.999, noNaN: true }), days: fc.integer({ min: 1, max: 365 }) }),
    { minLength: 1, maxLength: 4 },
  );
  /** A K among the history's recorded times (just before, at or just after one). */
  const probeArb = fc.record({
    asOf: asOfArb,
    permille: fc.integer({ min: 0, max: 999 }),
    offsetMs: fc.constantFrom(-1, 0, 0, 1, 3_600_000),
  });
  const placeArb = fc.constantFrom<Partial<RateQuery>>(
    {},
    {},
    { zoneCategory: 'industrial' },
    { cityId: 'linfen' },
    { zoneId: 'z1' },
  );

  it('equals the scan for random D and K, fed in batches, with corrections, retractions, voids, zone moves and back-dated facts', () => {
    let outOfOrder = 0;
    let logged = 0;
    let runs = 0;
    fc.assert(
      fc.property(
        historyArb,
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 4 }),
        backdatingArb,
        fc.array(probeArb, { minLength: 1, maxLength: 5 }),
        placeArb,
        fc.integer({ min: 0, max: 3 }),
        (spec, cuts, backdating, probes, place, slice) => {
          // given: a history, some of its facts stamped earlier than the facts before them
          const events = buildHistory(spec);
          const projectFacts = [...events.keys()].filter((i) => events[i].streamId.startsWith('project-'));
          for (const { at, days } of backdating) {
            if (projectFacts.length === 0) break;
            const index = projectFacts[Math.floor(at * projectFacts.length)];
            const event = events[index];
            const recordedAt = new Date(Date.parse(event.metadata.recordedAt) - days * DAY).toISOString();
            events[index] = { ...event, metadata: { ...event.metadata, recordedAt } };
          }
          const recorded = [START, ...projectFacts.map((i) => Date.parse(events[i].metadata.recordedAt))];
          const model = new LifecycleReadModel();
          // when: fed in overlapping batches, each followed by queries as known at K
          let from = 0;
          for (const cut of [
            ...cuts.map((c) => Math.floor(c * events.length)).sort((a, b) => a - b),
            events.length,
          ]) {
            model.apply(events.slice(Math.max(0, from - 3), cut));
            from = Math.max(from, cut);
            // as the API does between requests: part of the changed projects logged, the query logs the rest
            if (slice > 0) knownAtRatesOf(model).catchUpSome(slice);
            for (const { asOf, permille, offsetMs } of probes) {
              const knownAt = new Date(
                recorded[Math.floor((permille / 1000) * recorded.length)] + offsetMs,
              ).toISOString();
              for (const scope of ['province', 'city', 'zone'] as const) {
                const query: RateQuery = { scope, asOf, knownAt, ...place };
                // then: the indexed answer is the scan's
                expect(rateTable(model, query)).toEqual(rateTable(model, query, null));
              }
            }
          }
          runs++;
          const { groups, outOfOrderProjects } = knownAtRatesOf(model).size;
          if (groups > 0) logged++;
          if (outOfOrderProjects > 0) outOfOrder++;
        },
      ),
      { numRuns: 300 },
    );
    // the index logged changes (a third of the histories list a project), and met projects it leaves to a fold
    expect(runs).toBe(300);
    expect(logged).toBeGreaterThan(50);
    expect(outOfOrder).toBeGreaterThan(5);
  });
});
