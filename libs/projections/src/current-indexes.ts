import { LocalDate } from '@app/domain';
import { byCodePoint } from './days';
import { LifecycleReadModel, ProjectTimeline, ReadModelListener } from './lifecycle-read-model';
import { LEAD_TIME_DEFINITIONS, LEAD_TIME_KEYS, LeadTimeKey, interval } from './lead-time-samples';
import { ProjectSnapshot, listedBy } from './project-snapshot';

/** project-lists' StalledKind (三未), named again here because project-lists reads this file. */
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

/** The first index whose element does not sort before `item`. */
function lowerBound<T>(list: T[], item: T, compare: (a: T, b: T) => number): number {
  let low = 0;
  let high = list.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (compare(list[middle], item) < 0) low = middle + 1;
    else high = middle;
  }
  return low;
}

function insertSorted<T>(list: T[], item: T, compare: (a: T, b: T) => number): void {
  list.splice(lowerBound(list, item, compare), 0, item);
}

function removeSorted<T>(list: T[], item: T, compare: (a: T, b: T) => number): void {
  const low = lowerBound(list, item, compare);
  if (low < list.length && compare(list[low], item) === 0) list.splice(low, 1);
}

const NONE: readonly never[] = Object.freeze([]);

/**
 * Entries in groups, each group kept in order, at most one entry per project: moved at once
 * as a project changes, or all sorted again after many changes.
 */
class SortedGroups<E> {
  private readonly placed = new Map<string, { group: string; entry: E }>();
  private readonly groups = new Map<string, E[]>();

  constructor(private readonly order: (a: E, b: E) => number) {}

  group(key: string): readonly E[] {
    return this.groups.get(key) ?? NONE;
  }

  /** Puts a project's entry in a group (none: in no group). */
  place(projectId: string, placement: { group: string; entry: E } | undefined, move: boolean): void {
    const before = this.placed.get(projectId);
    if (
      before &&
      placement &&
      before.group === placement.group &&
      this.order(before.entry, placement.entry) === 0
    )
      return;
    if (before) {
      if (move) removeSorted(this.groupOf(before.group), before.entry, this.order);
      this.placed.delete(projectId);
    }
    if (placement) {
      this.placed.set(projectId, placement);
      if (move) insertSorted(this.groupOf(placement.group), placement.entry, this.order);
    }
  }

  sortAll(): void {
    this.groups.clear();
    for (const { group, entry } of this.placed.values()) this.groupOf(group).push(entry);
    for (const list of this.groups.values()) list.sort(this.order);
  }

  clear(): void {
    this.placed.clear();
    this.groups.clear();
  }

  private groupOf(key: string): E[] {
    let list = this.groups.get(key);
    if (!list) this.groups.set(key, (list = []));
    return list;
  }
}

/** Which groups of a stalled list: listed in some round or not, and (optionally) the project's zone. */
const stalledGroup = (kind: StalledKindName, listed: boolean, zoneId?: string) =>
  zoneId === undefined ? `${kind}/${listed}` : `${kind}/${listed}/${zoneId}`;

/**
 * Indexes of the current state (everything known) kept as events arrive: the projects in id
 * order (all, and per zone), the stalled lists in their order (per list, listed or not, and
 * per zone), and lead times per zone. The model tells it which projects changed; they are
 * placed again on the next read (a sort of everything only when many changed, as after a
 * replay). Reads "as known at K" before the latest fact do not use it.
 */
export class CurrentIndexes implements ReadModelListener {
  private readonly ids = new SortedGroups<string>(byCodePoint);
  private readonly idsByZone = new SortedGroups<string>(byCodePoint);
  private readonly stalled = new SortedGroups<StalledEntry>(bySinceThenId);
  private readonly stalledByZone = new SortedGroups<StalledEntry>(bySinceThenId);
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
    for (const groups of [this.ids, this.idsByZone, this.stalled, this.stalledByZone]) groups.clear();
    this.samples.clear();
    this.histograms.clear();
    this.pending.clear();
    this.latest = '0000-01-01';
  }

  /** Whether a D is on or after every date known: what the project is then is what it is now. */
  holdsOn(asOf: LocalDate): boolean {
    this.flush();
    return asOf >= this.latest;
  }

  /** The current projects (not voided) in id order, all or of one zone. */
  projectIds(zoneId?: string): readonly string[] {
    this.flush();
    return zoneId === undefined ? this.ids.group('') : this.idsByZone.group(zoneId);
  }

  /**
   * One stalled list's projects listed in some round (or not), all or of one zone, in the
   * list's order as of any D that `holdsOn`.
   */
  stalledList(kind: StalledKindName, listed: boolean, zoneId?: string): readonly StalledEntry[] {
    this.flush();
    return (zoneId === undefined ? this.stalled : this.stalledByZone).group(
      stalledGroup(kind, listed, zoneId),
    );
  }

  /** Lead times over all rounds per project zone, as of any D that `holdsOn`. */
  leadTimesPerZone(): ReadonlyMap<string, LeadTimeHistograms> {
    this.flush();
    return this.histograms;
  }

  /** Places every project changed since the last read (a read does it too). */
  placeChanged(): void {
    this.flush();
  }

  private flush(): void {
    if (this.pending.size === 0) return;
    const move = this.pending.size <= Math.max(64, this.ids.group('').length * REBUILD_FRACTION);
    for (const projectId of this.pending) {
      const project = this.model.projects.get(projectId)?.current;
      if (project) {
        const latest = latestDateOf(project);
        if (latest > this.latest) this.latest = latest;
      }
      this.ids.place(projectId, project && { group: '', entry: projectId }, move);
      this.idsByZone.place(projectId, project && { group: project.zoneId, entry: projectId }, move);
      const stalled = project && stalledEntryOf(project);
      const listed = project !== undefined && project.listings.length > 0;
      const entry = stalled && { projectId, since: stalled.since };
      this.stalled.place(
        projectId,
        stalled && { group: stalledGroup(stalled.kind, listed), entry: entry! },
        move,
      );
      this.stalledByZone.place(
        projectId,
        stalled && { group: stalledGroup(stalled.kind, listed, project.zoneId), entry: entry! },
        move,
      );
      this.countLeadTimes(projectId, project);
    }
    this.pending.clear();
    if (!move)
      for (const groups of [this.ids, this.idsByZone, this.stalled, this.stalledByZone]) groups.sortAll();
  }

  private countLeadTimes(projectId: string, project: ProjectSnapshot | undefined): void {
    const before = this.samples.get(projectId);
    if (before) {
      const histograms = this.histograms.get(before.zoneId) as LeadTimeHistograms;
      LEAD_TIME_KEYS.forEach((key, k) => {
        const days = before.days[k];
        if (days !== undefined) count(histograms[key], days, -1);
      });
      this.samples.delete(projectId);
    }
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
}

/** The first `count` entries of sorted lists (each up to its `end`) together, in order. */
export function firstOfMerged<E>(
  lists: readonly { list: readonly E[]; end: number }[],
  count: number,
  order: (a: E, b: E) => number,
): E[] {
  if (lists.length === 1) return lists[0].list.slice(0, Math.min(count, lists[0].end));
  const at = lists.map(() => 0);
  const merged: E[] = [];
  while (merged.length < count) {
    let best = -1;
    for (let i = 0; i < lists.length; i++) {
      if (at[i] >= lists[i].end) continue;
      if (best < 0 || order(lists[i].list[at[i]], lists[best].list[at[best]]) < 0) best = i;
    }
    if (best < 0) break;
    merged.push(lists[best].list[at[best]++]);
  }
  return merged;
}

export { bySinceThenId };

const indexes = new WeakMap<LifecycleReadModel, CurrentIndexes>();

/** The model's current-state indexes, built on first use and kept as events arrive from then on. */
export function currentIndexesOf(model: LifecycleReadModel): CurrentIndexes {
  let found = indexes.get(model);
  if (!found) indexes.set(model, (found = new CurrentIndexes(model)));
  return found;
}
