import { LocalDate } from '@app/domain';
import { byCodePoint } from './days';
import { LifecycleReadModel, ProjectTimeline, ReadModelListener } from './lifecycle-read-model';
import { LEAD_TIME_DEFINITIONS, LEAD_TIME_KEYS, LeadTimeKey, interval } from './lead-time-samples';
import { ProjectSnapshot, listedBy } from './project-snapshot';

/** The list of the furthest stage a project reached and did not pass (三未), with the date it has been stuck since. */
export type StalledKindName = 'signedNotStarted' | 'startedNotProducing' | 'producingNotAttained';

export interface StalledEntry {
  projectId: string;
  since: LocalDate;
}

/** Longest stalled first (earliest `since`), then by id: the lists' order for any one D. */
const bySinceThenId = (a: StalledEntry, b: StalledEntry) =>
  byCodePoint(a.since, b.since) || byCodePoint(a.projectId, b.projectId);

/** Lead times as counts per number of days (a median is a walk over the distinct values). */
export type DaysHistogram = Map<number, number>;
export type LeadTimeHistograms = Record<LeadTimeKey, DaysHistogram>;

/** D after every date: the lead times a project gives once all it has happened, for all rounds. */
const AFTER_EVERYTHING = '9999-12-31';

function leadTimeSamplesOf(project: ProjectSnapshot): (number | undefined)[] {
  return LEAD_TIME_KEYS.map((key) => {
    const { cohort, industrialOnly } = LEAD_TIME_DEFINITIONS[key];
    if (industrialOnly && !project.industrial) return undefined;
    if (!listedBy(project, cohort, AFTER_EVERYTHING, () => true)) return undefined;
    return interval(project, key, AFTER_EVERYTHING);
  });
}

function count(histogram: DaysHistogram, days: number, by: number): void {
  const counted = (histogram.get(days) ?? 0) + by;
  if (counted === 0) histogram.delete(days);
  else histogram.set(days, counted);
}

/** Changed projects beyond which a flush sorts everything again rather than moving each one. */
const REBUILD_FRACTION = 1 / 16;

/** Where a project is in the stalled lists as of a D after every date it has (none: in no list). */
function stalledEntryOf(project: ProjectSnapshot): { kind: StalledKindName; since: LocalDate } | undefined {
  if (project.terminatedOn !== undefined) return undefined;
  const started = project.milestones['construction-started'];
  const producing = project.milestones['production-started'];
  if (!started) return { kind: 'signedNotStarted', since: project.signedOn };
  if (!producing) return { kind: 'startedNotProducing', since: started };
  if (project.industrial && !project.milestones.attained)
    return { kind: 'producingNotAttained', since: producing };
  return undefined;
}

/** The latest date a project's membership of a list can depend on. */
function latestDateOf(project: ProjectSnapshot): LocalDate {
  let latest = project.signedOn;
  for (const date of Object.values(project.milestones)) if (date && date > latest) latest = date;
  for (const listing of project.listings) if (listing.heldOn > latest) latest = listing.heldOn;
  if (project.terminatedOn && project.terminatedOn > latest) latest = project.terminatedOn;
  return latest;
}

function insertSorted<T>(list: T[], item: T, compare: (a: T, b: T) => number): void {
  let low = 0;
  let high = list.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (compare(list[middle], item) < 0) low = middle + 1;
    else high = middle;
  }
  list.splice(low, 0, item);
}

function removeSorted<T>(list: T[], item: T, compare: (a: T, b: T) => number): void {
  let low = 0;
  let high = list.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (compare(list[middle], item) < 0) low = middle + 1;
    else high = middle;
  }
  if (low < list.length && compare(list[low], item) === 0) list.splice(low, 1);
}

/**
 * Indexes of the current state (everything known) kept as events arrive: the projects in id
 * order, and the stalled lists in their order. The model tells it which projects changed; they
 * are placed again on the next read (a sort of everything only when many changed, as after a
 * replay). Answers "as known at K" before the latest fact do not use it.
 */
export class CurrentIndexes implements ReadModelListener {
  private ids: string[] = [];
  private readonly indexed = new Set<string>();
  private readonly stalled = new Map<string, { kind: StalledKindName; entry: StalledEntry }>();
  private lists: Record<StalledKindName, StalledEntry[]> = emptyLists();
  /** Each project's lead times as counted below, and the zone it was counted in. */
  private readonly samples = new Map<string, { zoneId: string; days: (number | undefined)[] }>();
  /** Lead times per project zone (the project's zone id, registered or not). */
  private readonly histograms = new Map<string, LeadTimeHistograms>();
  private readonly pending = new Set<string>();
  /** The latest date of any project seen (never lowered: a D at or after it needs no date check). */
  private latest: LocalDate = '0000-01-01';

  constructor(private readonly model: LifecycleReadModel) {
    for (const projectId of model.projects.keys()) this.pending.add(projectId);
    model.subscribe(this);
  }

  projectChanged(timeline: ProjectTimeline): void {
    this.pending.add(timeline.projectId);
  }

  reset(): void {
    this.ids = [];
    this.indexed.clear();
    this.stalled.clear();
    this.lists = emptyLists();
    this.samples.clear();
    this.histograms.clear();
    this.pending.clear();
    this.latest = '0000-01-01';
  }

  /** Every project ever seen, in id order (a voided one has no current snapshot). */
  projectIds(): readonly string[] {
    this.flush();
    return this.ids;
  }

  /**
   * One stalled list in its order as of any D on or after every date known (undefined for an
   * earlier D: the membership then depends on D).
   */
  stalledList(kind: StalledKindName, asOf: LocalDate): readonly StalledEntry[] | undefined {
    this.flush();
    return asOf >= this.latest ? this.lists[kind] : undefined;
  }

  /**
   * Lead times over all rounds per project zone, as of any D on or after every date known
   * (undefined for an earlier D: which intervals count then depends on D).
   */
  leadTimesPerZone(asOf: LocalDate): ReadonlyMap<string, LeadTimeHistograms> | undefined {
    this.flush();
    return asOf >= this.latest ? this.histograms : undefined;
  }

  /** Places every project changed since the last read (a read does it too). */
  placeChanged(): void {
    this.flush();
  }

  private flush(): void {
    if (this.pending.size === 0) return;
    const rebuild = this.pending.size > Math.max(64, this.indexed.size * REBUILD_FRACTION);
    const added: string[] = [];
    for (const projectId of this.pending) {
      if (!this.indexed.has(projectId)) {
        this.indexed.add(projectId);
        added.push(projectId);
      }
      this.placeStalled(projectId, !rebuild);
      this.countLeadTimes(projectId);
    }
    this.pending.clear();
    if (rebuild) {
      this.ids.push(...added);
      this.ids.sort(byCodePoint);
      this.lists = emptyLists();
      for (const { kind, entry } of this.stalled.values()) this.lists[kind].push(entry);
      for (const list of Object.values(this.lists)) list.sort(bySinceThenId);
    } else {
      for (const projectId of added) insertSorted(this.ids, projectId, byCodePoint);
    }
  }

  private countLeadTimes(projectId: string): void {
    const before = this.samples.get(projectId);
    if (before) {
      const histograms = this.histograms.get(before.zoneId) as LeadTimeHistograms;
      LEAD_TIME_KEYS.forEach((key, k) => {
        const days = before.days[k];
        if (days !== undefined) count(histograms[key], days, -1);
      });
      this.samples.delete(projectId);
    }
    const project = this.model.projects.get(projectId)?.current;
    if (!project) return;
    const days = leadTimeSamplesOf(project);
    let histograms = this.histograms.get(project.zoneId);
    if (!histograms) {
      histograms = {
        signToStart: new Map(),
        startToProduction: new Map(),
        productionToAttainment: new Map(),
      };
      this.histograms.set(project.zoneId, histograms);
    }
    LEAD_TIME_KEYS.forEach((key, k) => {
      const value = days[k];
      if (value !== undefined) count(histograms[key], value, 1);
    });
    this.samples.set(projectId, { zoneId: project.zoneId, days });
  }

  private placeStalled(projectId: string, move: boolean): void {
    const project = this.model.projects.get(projectId)?.current;
    const before = this.stalled.get(projectId);
    const now = project && stalledEntryOf(project);
    if (project) {
      const latest = latestDateOf(project);
      if (latest > this.latest) this.latest = latest;
    }
    if (before && now && before.kind === now.kind && before.entry.since === now.since) return;
    if (before) {
      if (move) removeSorted(this.lists[before.kind], before.entry, bySinceThenId);
      this.stalled.delete(projectId);
    }
    if (now) {
      const placed = { kind: now.kind, entry: { projectId, since: now.since } };
      this.stalled.set(projectId, placed);
      if (move) insertSorted(this.lists[now.kind], placed.entry, bySinceThenId);
    }
  }
}

function emptyLists(): Record<StalledKindName, StalledEntry[]> {
  return { signedNotStarted: [], startedNotProducing: [], producingNotAttained: [] };
}

const indexes = new WeakMap<LifecycleReadModel, CurrentIndexes>();

/** The model's current-state indexes, built on first use and kept as events arrive from then on. */
export function currentIndexesOf(model: LifecycleReadModel): CurrentIndexes {
  let found = indexes.get(model);
  if (!found) indexes.set(model, (found = new CurrentIndexes(model)));
  return found;
}
