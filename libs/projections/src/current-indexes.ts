import { LocalDate } from '@app/domain';
import { byCodePoint } from './days';
import { LifecycleReadModel, ProjectTimeline, ReadModelListener } from './lifecycle-read-model';
import { ProjectSnapshot } from './project-snapshot';

/** The list of the furthest stage a project reached and did not pass (三未), with the date it has been stuck since. */
export type StalledKindName = 'signedNotStarted' | 'startedNotProducing' | 'producingNotAttained';

export interface StalledEntry {
  projectId: string;
  since: LocalDate;
}

/** Longest stalled first (earliest `since`), then by id: the lists' order for any one D. */
const bySinceThenId = (a: StalledEntry, b: StalledEntry) =>
  byCodePoint(a.since, b.since) || byCodePoint(a.projectId, b.projectId);

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
