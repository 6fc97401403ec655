import {
  Batch,
  LocalDate,
  ProjectLifecycleStage,
  Zone,
  listingsAsOf,
  milestonesAsOf,
  stageOf,
} from '@app/domain';
import { byCodePoint, epochDay } from './days';
import { StalledEntry, bySinceThenId, currentIndexesOf, firstOfMerged } from './current-indexes';
import { LifecycleReadModel } from './lifecycle-read-model';
import { OpenObstacle, ProjectSnapshot, listedBy, openObstaclesAt, reachedBy } from './project-snapshot';
import {
  CohortSelection,
  ProjectFilters,
  knownAtMillis,
  projectMatches,
  roundSelector,
  overAllProjects,
  selectsRounds,
  zoneMatches,
} from './scope';

/** Who and what a project is, as every list shows it. */
export interface ProjectIdentity {
  projectId: string;
  name: string;
  enterprise: string;
  zoneId: string;
  cityId: string | null;
  totalInvestmentWan: number;
  industrial: boolean;
  signedOn: LocalDate;
}

export interface ProjectSummary extends ProjectIdentity {
  stage: ProjectLifecycleStage;
  milestones: ProjectSnapshot['milestones'];
  listings: ProjectSnapshot['listings'];
  terminatedOn: LocalDate | null;
}

export interface ProjectListQuery extends ProjectFilters {
  /** Effective date D. */
  asOf: LocalDate;
  /** Recorded time K (ISO instant); everything known when absent. */
  knownAt?: string;
  stage?: ProjectLifecycleStage;
  /** Listed in this batch (any round held by D). */
  batch?: Batch;
  /** Listed in this round (held by D). */
  roundId?: string;
  /** Search: the id, name or enterprise contains this text (case-insensitive). */
  q?: string;
  /** Only these projects (e.g. those whose worst light is red: projectsWithLight). */
  projectIds?: ReadonlySet<string>;
  limit?: number;
  offset?: number;
}

export interface ProjectList {
  asOf: LocalDate;
  knownAt: string | null;
  total: number;
  offset: number;
  limit: number;
  items: ProjectSummary[];
}

/** Who and what a project is, with its zone's city as known at the query's K (`zonesAt`). */
export function identityOf(zones: ReadonlyMap<string, Zone>, project: ProjectSnapshot): ProjectIdentity {
  return {
    projectId: project.projectId,
    name: project.name,
    enterprise: project.enterprise,
    zoneId: project.zoneId,
    cityId: zones.get(project.zoneId)?.cityId ?? null,
    totalInvestmentWan: project.totalInvestmentWan,
    industrial: project.industrial,
    signedOn: project.signedOn,
  };
}

/** A project as of D: milestones, listings and termination after D left out. */
function summary(
  zones: ReadonlyMap<string, Zone>,
  project: ProjectSnapshot,
  asOf: LocalDate,
): ProjectSummary {
  return {
    ...identityOf(zones, project),
    stage: stageOf(project, asOf),
    milestones: milestonesAsOf(project.milestones, asOf),
    listings: listingsAsOf(project.listings, asOf),
    terminatedOn:
      project.terminatedOn !== undefined && project.terminatedOn <= asOf ? project.terminatedOn : null,
  };
}

/** The projects signed on or before D, as known at K, that pass the filters. */
function* signedProjects(
  model: LifecycleReadModel,
  query: { asOf: LocalDate; knownAt?: string } & ProjectFilters,
): Generator<ProjectSnapshot> {
  const knownAt = knownAtMillis(query.knownAt);
  const zones = model.zonesAt(knownAt);
  for (const project of model.snapshots(knownAt)) {
    if (project.signedOn > query.asOf) continue;
    if (projectMatches(project, zones.get(project.zoneId), query)) yield project;
  }
}

/** Projects as of D (as known at K), filtered the way officers look for them, by id, one page. */
export function listProjects(model: LifecycleReadModel, query: ProjectListQuery): ProjectList {
  const { asOf, batch, roundId, stage, projectIds } = query;
  const needle = query.q?.trim().toLocaleLowerCase();
  const offset = query.offset ?? 0;
  const limit = query.limit ?? 100;
  const knownAt = knownAtMillis(query.knownAt);
  const zones = model.zonesAt(knownAt);
  const matches = (project: ProjectSnapshot) =>
    project.signedOn <= asOf &&
    projectMatches(project, zones.get(project.zoneId), query) &&
    (!projectIds || projectIds.has(project.projectId)) &&
    (!needle || mentions(project, needle)) &&
    (!batch || listedBy(project, batch, asOf, () => true)) &&
    (!roundId || project.listings.some((l) => l.roundId === roundId && l.heldOn <= asOf)) &&
    (!stage || stageOf(project, asOf) === stage);
  const page: ProjectSnapshot[] = [];
  let total = 0;
  const take = (project: ProjectSnapshot) => {
    if (total >= offset && total < offset + limit) page.push(project);
    total++;
  };
  const index = currentIndexesOf(model);
  const current = model.knowsNothingAfter(knownAt);
  const byPlaceOnly =
    !needle &&
    !batch &&
    !roundId &&
    !stage &&
    !projectIds &&
    query.minTotalInvestmentWan === undefined &&
    !query.industrialOnly;
  if (current && byPlaceOnly && index.holdsOn(asOf)) {
    // every current project is in the list but for its place: the kept id order pages it
    const lists = placeFiltered(query)
      ? [...zones.values()]
          .filter((zone) => zoneMatches(zone, query))
          .map((zone) => index.projectIds(zone.id))
      : [index.projectIds()];
    for (const list of lists) total += list.length;
    const ids = firstOfMerged(
      lists.map((list) => ({ list, end: list.length })),
      offset + limit,
      byCodePoint,
    ).slice(offset);
    for (const id of ids) page.push(model.projects.get(id)?.current as ProjectSnapshot);
  } else if (current) {
    // the current projects are kept in id order: one pass, no sort
    for (const id of index.projectIds()) {
      const project = model.projects.get(id)?.current as ProjectSnapshot;
      if (matches(project)) take(project);
    }
  } else {
    const matching = model.snapshots(knownAt).filter(matches);
    matching.sort((a, b) => byCodePoint(a.projectId, b.projectId));
    matching.forEach(take);
  }
  return {
    asOf,
    knownAt: query.knownAt ?? null,
    total,
    offset,
    limit,
    items: page.map((project) => summary(zones, project, asOf)),
  };
}

function mentions(project: ProjectSnapshot, needle: string): boolean {
  return [project.projectId, project.name, project.enterprise].some((text) =>
    text.toLocaleLowerCase().includes(needle),
  );
}

/** 三未: the three ways a project can be stuck. */
export const STALLED_KINDS = ['signedNotStarted', 'startedNotProducing', 'producingNotAttained'] as const;
export type StalledKind = (typeof STALLED_KINDS)[number];
export const STALLED_NAMES_ZH: Record<StalledKind, string> = {
  signedNotStarted: '签而未落',
  startedNotProducing: '落而未投',
  producingNotAttained: '投而未达',
};

export interface StalledProject extends ProjectIdentity {
  /** The date of the last milestone reached: the project has been stuck since. */
  since: LocalDate;
  /** Days from `since` to D. */
  daysStalled: number;
  /** Obstacles open on D (问题协调), shown beside the project. */
  obstacles: OpenObstacle[];
}

export interface StalledQuery extends ProjectFilters, CohortSelection {
  /** Effective date D: stalled as of this day. */
  asOf: LocalDate;
  /** Recorded time K (ISO instant); everything known when absent. */
  knownAt?: string;
  /** Thresholds: only projects stuck at least this many days, per list. */
  minDays?: Partial<Record<StalledKind, number>>;
  /** Only projects listed by D in a round of the cohort (all rounds when none are chosen), as the rates count. */
  listedOnly?: boolean;
}

export type StalledLists = { asOf: LocalDate; knownAt: string | null } & Record<
  StalledKind,
  StalledProject[]
>;

/**
 * Projects stuck as of D (as known at K), longest first, each in the list of the furthest
 * stage it reached: 签而未落 signed, not started (since signing); 落而未投 started, not
 * producing (since construction start); 投而未达 producing, not attained (since production
 * start). Terminated projects are not stalled (they are reported as terminated). 投而未达
 * lists industrial projects only: attainment is measured for industrial projects (the
 * attainment rate's cohort). With rounds chosen (or `listedOnly`), only projects listed in
 * them by D.
 */
export function stalledProjects(model: LifecycleReadModel, query: StalledQuery): StalledLists {
  const lists: Record<StalledKind, StalledProject[]> = {
    signedNotStarted: [],
    startedNotProducing: [],
    producingNotAttained: [],
  };
  const { asOf } = query;
  const asOfDay = epochDay(asOf);
  const selected = roundSelector(query);
  const restrictToRounds = selectsRounds(query) || query.listedOnly === true;
  const zones = model.zonesAt(knownAtMillis(query.knownAt));
  for (const project of signedProjects(model, query)) {
    if (project.terminatedOn !== undefined && project.terminatedOn <= asOf) continue;
    if (restrictToRounds && !project.listings.some((l) => l.heldOn <= asOf && selected(l))) continue;
    const started = reachedBy(project, 'construction-started', asOf);
    const producing = reachedBy(project, 'production-started', asOf);
    let kind: StalledKind;
    let since: LocalDate;
    if (!started) {
      kind = 'signedNotStarted';
      since = project.signedOn;
    } else if (!producing) {
      kind = 'startedNotProducing';
      since = started;
    } else if (project.industrial && !reachedBy(project, 'attained', asOf)) {
      kind = 'producingNotAttained';
      since = producing;
    } else continue;
    const daysStalled = asOfDay - epochDay(since);
    if (daysStalled < (query.minDays?.[kind] ?? 0)) continue;
    lists[kind].push({
      ...identityOf(zones, project),
      since,
      daysStalled,
      obstacles: openObstaclesAt(project, asOf),
    });
  }
  for (const kind of STALLED_KINDS) {
    lists[kind].sort((a, b) => b.daysStalled - a.daysStalled || byCodePoint(a.projectId, b.projectId));
  }
  return { asOf, knownAt: query.knownAt ?? null, ...lists };
}

/** One page of each stalled list, with each whole list's length. */
export interface StalledPage {
  lists: Record<StalledKind, StalledProject[]>;
  totals: Record<StalledKind, number>;
}

/**
 * `stalledProjects`, paged: projects `offset` to `offset + limit` of each list. Everything
 * known and a D on or after every date known (today, unless a date lies ahead): each list is
 * walked in its kept order, only the page's projects built; otherwise the lists are computed
 * and sliced.
 */
export function stalledPage(
  model: LifecycleReadModel,
  query: StalledQuery,
  offset: number,
  limit: number,
): StalledPage {
  const page: StalledPage = {
    lists: { signedNotStarted: [], startedNotProducing: [], producingNotAttained: [] },
    totals: { signedNotStarted: 0, startedNotProducing: 0, producingNotAttained: 0 },
  };
  const knownAt = knownAtMillis(query.knownAt);
  const index = currentIndexesOf(model);
  const kept = model.knowsNothingAfter(knownAt) && overAllProjects(query) && index.holdsOn(query.asOf);
  if (!kept) {
    const all = stalledProjects(model, query);
    for (const kind of STALLED_KINDS) {
      page.lists[kind] = all[kind].slice(offset, offset + limit);
      page.totals[kind] = all[kind].length;
    }
    return page;
  }
  // D on or after every date, all rounds: a project is listed by D if it has a listing
  const { asOf } = query;
  const asOfDay = epochDay(asOf);
  const zones = model.zonesAt(knownAt);
  const zoneIds = placeFiltered(query)
    ? [...zones.values()].filter((zone) => zoneMatches(zone, query)).map((zone) => zone.id)
    : [undefined];
  const listed = query.listedOnly ? [true] : [true, false];
  for (const kind of STALLED_KINDS) {
    // longest first: those stalled at least minDays are a prefix of each list
    const latestSince = asOfDay - (query.minDays?.[kind] ?? 0);
    const lists = zoneIds.flatMap((zoneId) =>
      listed.map((isListed) => {
        const list = index.stalledList(kind, isListed, zoneId);
        return { list, end: prefixUntil(list, latestSince) };
      }),
    );
    for (const { end } of lists) page.totals[kind] += end;
    for (const { projectId, since } of firstOfMerged(lists, offset + limit, bySinceThenId).slice(offset)) {
      const project = model.projects.get(projectId)?.current as ProjectSnapshot;
      page.lists[kind].push({
        ...identityOf(zones, project),
        since,
        daysStalled: asOfDay - epochDay(since),
        obstacles: openObstaclesAt(project, asOf),
      });
    }
  }
  return page;
}

/** How many entries, from the start, have `since` on or before the epoch day given. */
function prefixUntil(list: readonly StalledEntry[], latestDay: number): number {
  let low = 0;
  let high = list.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (epochDay(list[middle].since) <= latestDay) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** A zone, city or zone category was asked for. */
const placeFiltered = (filters: ProjectFilters) =>
  Boolean(filters.zoneId || filters.cityId || filters.zoneCategory);
