import { Batch, LocalDate, daysBetween } from '@app/domain';
import { LifecycleReadModel } from './lifecycle-read-model';
import { ProjectSnapshot, listedBy, reachedBy } from './project-snapshot';
import { ProjectFilters, roundSelector } from './scope';

export type Stage = 'signed' | 'construction-started' | 'production-started' | 'attained' | 'terminated';

/** The furthest stage reached as of D. */
export function stageAsOf(project: ProjectSnapshot, asOf: LocalDate): Stage {
  if (project.terminatedOn !== undefined && project.terminatedOn <= asOf) return 'terminated';
  if (reachedBy(project, 'attained', asOf)) return 'attained';
  if (reachedBy(project, 'production-started', asOf)) return 'production-started';
  if (reachedBy(project, 'construction-started', asOf)) return 'construction-started';
  return 'signed';
}

export interface ProjectSummary {
  projectId: string;
  name: string;
  enterprise: string;
  zoneId: string;
  cityId: string | null;
  totalInvestmentWan: number;
  industrial: boolean;
  stage: Stage;
  signedOn: LocalDate;
  milestones: ProjectSnapshot['milestones'];
  listings: ProjectSnapshot['listings'];
  terminatedOn: LocalDate | null;
}

export interface ProjectListQuery extends ProjectFilters {
  asOf: LocalDate;
  knownAt?: string;
  stage?: Stage;
  batch?: Batch;
  roundId?: string;
  limit?: number;
  offset?: number;
}

function summary(model: LifecycleReadModel, project: ProjectSnapshot, asOf: LocalDate): ProjectSummary {
  const milestones: ProjectSnapshot['milestones'] = {};
  for (const [milestone, date] of Object.entries(project.milestones)) {
    if (date <= asOf) milestones[milestone as keyof typeof milestones] = date;
  }
  return {
    projectId: project.projectId,
    name: project.name,
    enterprise: project.enterprise,
    zoneId: project.zoneId,
    cityId: model.zones.get(project.zoneId)?.cityId ?? null,
    totalInvestmentWan: project.totalInvestmentWan,
    industrial: project.industrial,
    stage: stageAsOf(project, asOf),
    signedOn: project.signedOn,
    milestones,
    listings: project.listings.filter((listing) => listing.heldOn <= asOf),
    terminatedOn:
      project.terminatedOn !== undefined && project.terminatedOn <= asOf ? project.terminatedOn : null,
  };
}

function* signedProjects(
  model: LifecycleReadModel,
  query: { asOf: LocalDate; knownAt?: string } & ProjectFilters,
) {
  const knownAt = query.knownAt === undefined ? undefined : Date.parse(query.knownAt);
  for (const project of model.snapshots(knownAt)) {
    if (project.signedOn > query.asOf) continue;
    const zone = model.zones.get(project.zoneId);
    if (query.zoneId && project.zoneId !== query.zoneId) continue;
    if (query.cityId && zone?.cityId !== query.cityId) continue;
    if (query.zoneCategory && zone?.category !== query.zoneCategory) continue;
    if (query.minTotalInvestmentWan !== undefined && project.totalInvestmentWan < query.minTotalInvestmentWan)
      continue;
    if (query.industrialOnly && !project.industrial) continue;
    yield project;
  }
}

/** Projects as of D (as known at K), filtered the way officers look for them, by id. */
export function listProjects(model: LifecycleReadModel, query: ProjectListQuery) {
  const matching: ProjectSummary[] = [];
  for (const project of signedProjects(model, query)) {
    if (query.batch && !listedBy(project, query.batch, query.asOf, () => true)) continue;
    if (query.roundId && !project.listings.some((l) => l.roundId === query.roundId && l.heldOn <= query.asOf))
      continue;
    const item = summary(model, project, query.asOf);
    if (query.stage && item.stage !== query.stage) continue;
    matching.push(item);
  }
  matching.sort((a, b) => a.projectId.localeCompare(b.projectId));
  const offset = query.offset ?? 0;
  const limit = query.limit ?? 100;
  return {
    asOf: query.asOf,
    knownAt: query.knownAt ?? null,
    total: matching.length,
    offset,
    limit,
    items: matching.slice(offset, offset + limit),
  };
}

/** 三未: the three ways a project can be stuck. */
export const STALLED_KINDS = ['signedNotStarted', 'startedNotProducing', 'producingNotAttained'] as const;
export type StalledKind = (typeof STALLED_KINDS)[number];
export const STALLED_NAMES_ZH: Record<StalledKind, string> = {
  signedNotStarted: '签而未落',
  startedNotProducing: '落而未投',
  producingNotAttained: '投而未达',
};

export interface StalledProject extends ProjectSummary {
  /** The date of the last milestone reached: the project has been stuck since. */
  since: LocalDate;
  daysStalled: number;
}

export interface StalledQuery extends ProjectFilters {
  asOf: LocalDate;
  knownAt?: string;
  /** Only projects stuck at least this many days, per list. */
  minDays?: Partial<Record<StalledKind, number>>;
  roundIds?: string[];
  since?: LocalDate;
}

/**
 * Projects stuck as of D, longest first. Terminated projects are not stalled (they are
 * reported as terminated). 投而未达 lists industrial projects only: attainment is measured
 * for industrial projects (the attainment rate's cohort).
 */
export function stalledProjects(model: LifecycleReadModel, query: StalledQuery) {
  const lists: Record<StalledKind, StalledProject[]> = {
    signedNotStarted: [],
    startedNotProducing: [],
    producingNotAttained: [],
  };
  const selected = roundSelector(query);
  const restrictToRounds = Boolean((query.roundIds && query.roundIds.length > 0) || query.since);
  for (const project of signedProjects(model, query)) {
    if (project.terminatedOn !== undefined && project.terminatedOn <= query.asOf) continue;
    if (restrictToRounds && !project.listings.some((l) => l.heldOn <= query.asOf && selected(l))) continue;
    const started = reachedBy(project, 'construction-started', query.asOf);
    const producing = reachedBy(project, 'production-started', query.asOf);
    const attained = reachedBy(project, 'attained', query.asOf);
    let kind: StalledKind | undefined;
    let since: LocalDate | undefined;
    if (!started) [kind, since] = ['signedNotStarted', project.signedOn];
    else if (!producing) [kind, since] = ['startedNotProducing', started];
    else if (!attained && project.industrial) [kind, since] = ['producingNotAttained', producing];
    if (!kind || !since) continue;
    const daysStalled = daysBetween(since, query.asOf);
    if (daysStalled < (query.minDays?.[kind] ?? 0)) continue;
    lists[kind].push({ ...summary(model, project, query.asOf), since, daysStalled });
  }
  for (const kind of STALLED_KINDS) {
    lists[kind].sort((a, b) => b.daysStalled - a.daysStalled || a.projectId.localeCompare(b.projectId));
  }
  return { asOf: query.asOf, knownAt: query.knownAt ?? null, ...lists };
}
