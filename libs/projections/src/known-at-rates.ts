import { LocalDate } from '@app/domain';
import { CurrentRateAggregates } from './current-rates';
import { LifecycleReadModel, ProjectTimeline, ReadModelListener } from './lifecycle-read-model';
import { ProjectSnapshot, applyFact } from './project-snapshot';
import {
  ContributionSink,
  RateFootprint,
  TallyVector,
  emptyFootprint,
  footprintOf,
  forEachContribution,
  newTallyVector,
  sameFootprint,
} from './rate-definitions';

/** Slots per zone in the flat accumulator: the 30 tally slots, rounded up to a power of two. */
const ZONE_STRIDE = 32;
/** A diff's key: day × 2^20 + zone × 32 + slot (below 2^53 for days up to 9999-12-31). */
const DAY_SHIFT = 2 ** 20;
const MAX_ZONES = DAY_SHIFT / ZONE_STRIDE;

/** A LocalDate (YYYY-MM-DD) as the integer YYYYMMDD: the same order as the string. */
function dayNumber(date: LocalDate): number {
  return Number(date.slice(0, 4)) * 10_000 + Number(date.slice(5, 7)) * 100 + Number(date.slice(8, 10));
}

type TypedArray = Float64Array | Int32Array | Uint32Array | Uint8Array;

/** An append-only typed column that doubles its capacity. */
class Column<T extends TypedArray> {
  data: T;
  length = 0;

  constructor(private readonly make: (capacity: number) => T) {
    this.data = make(1024);
  }

  push(value: number): void {
    if (this.length === this.data.length) {
      const grown = this.make(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = value;
  }

  clear(): void {
    this.data = this.make(1024);
    this.length = 0;
  }
}

const registry = new WeakMap<LifecycleReadModel, KnownAtRates>();

/** The index kept for a model (created on first use; it indexes the model's facts on its first query). */
export function knownAtRatesOf(model: LifecycleReadModel): KnownAtRates {
  return registry.get(model) ?? new KnownAtRates(model);
}

/**
 * The rates as known at K (all rounds, every project) without folding the projects again:
 * an index by recorded time of how each fact changed its project's contribution to the rates.
 * Each fact that changes a project's rate footprint (rate-definitions.ts) is logged as one
 * group at the fact's recorded time: the net change, per zone, effective date and tally slot,
 * from the contribution before it to the one after it (a zone move is a minus in one zone and
 * a plus in the other). A project folded as known at K is the fold of its facts recorded by K,
 * which for a project whose facts were recorded in position order is a prefix of them; so the
 * tallies as of D, as known at K, are the sum of the logged changes recorded by K and
 * effective by D. The log is kept in recorded order; a query sums whichever side of K is
 * shorter: the groups up to K, or the current aggregates minus the groups after K.
 *
 * A project with a fact recorded before one ahead of it (a late entry with a back-dated
 * recorded time) is not a prefix fold: it is left out of the log's sums and folded as known
 * at K at query time, as the scan does.
 *
 * Facts are indexed lazily: a project that changed is marked, and before the next query its
 * new facts are folded once more, from its first, to log their changes. The first query after
 * a start-up therefore folds every fact once (about as long as one scan).
 */
export class KnownAtRates implements ReadModelListener {
  private readonly dirty = new Set<ProjectTimeline>();
  private readonly projectNumbers = new Map<ProjectTimeline, number>();
  /** Per project number: facts already logged, and whether it is left out (recorded out of order). */
  private readonly indexedFacts: number[] = [];
  private readonly leftOut: boolean[] = [];
  private readonly outOfOrder = new Set<ProjectTimeline>();
  private readonly zoneNumbers = new Map<string, number>();
  private readonly zoneIds: string[] = [];
  private readonly days = new Map<LocalDate, number>();

  /** Groups (one per logged fact): recorded time, project number and entries [start, end). */
  private groupRecordedAt = new Column((n) => new Float64Array(n));
  private groupProject = new Column((n) => new Uint32Array(n));
  private groupStart = new Column((n) => new Uint32Array(n));
  private groupEnd = new Column((n) => new Uint32Array(n));
  private sorted = true;
  /** Entries: effective day (YYYYMMDD), zone × 32 + slot, and the amount. */
  private readonly entryDay = new Column((n) => new Int32Array(n));
  private readonly entryZoneSlot = new Column((n) => new Uint32Array(n));
  private readonly entryAmount = new Column((n) => new Float64Array(n));

  private readonly diff = new Map<number, number>();
  private readonly diffSink = new DiffSink(this.diff, this.days);

  constructor(private readonly model: LifecycleReadModel) {
    model.subscribe(this);
    for (const timeline of model.projects.values()) this.dirty.add(timeline);
    if (!registry.has(model)) registry.set(model, this);
  }

  projectChanged(timeline: ProjectTimeline): void {
    this.dirty.add(timeline);
  }

  reset(): void {
    this.dirty.clear();
    this.projectNumbers.clear();
    this.indexedFacts.length = this.leftOut.length = 0;
    this.outOfOrder.clear();
    this.zoneNumbers.clear();
    this.zoneIds.length = 0;
    this.days.clear();
    for (const column of [
      this.groupRecordedAt,
      this.groupProject,
      this.groupStart,
      this.groupEnd,
      this.entryDay,
      this.entryZoneSlot,
      this.entryAmount,
    ])
      column.clear();
    this.sorted = true;
  }

  /**
   * Logs the new facts of up to `projects` of the changed projects, so that a caller can catch
   * the index up in slices, between other work; true once nothing is left, and the next query
   * as known at K only reads the index. A query before then logs the rest itself.
   */
  catchUpSome(projects: number): boolean {
    if (this.dirty.size > 0) {
      const before = emptyFootprint();
      const after = emptyFootprint();
      let logged = 0;
      for (const timeline of this.dirty) {
        if (logged++ >= projects) return false;
        this.index(timeline, before, after);
        this.dirty.delete(timeline);
      }
    }
    if (!this.sorted) this.sortGroups();
    return true;
  }

  /** How many changes are logged (groups = facts that changed a footprint), for the bench. */
  get size(): { groups: number; entries: number; outOfOrderProjects: number } {
    this.flush();
    return {
      groups: this.groupRecordedAt.length,
      entries: this.entryDay.length,
      outOfOrderProjects: this.outOfOrder.size,
    };
  }

  /**
   * Per zone, the tallies as of D, as known at K (epoch ms), over all rounds and every
   * project: what a scan of every project folded as known at K gives. `current` must be the
   * model's current aggregates (used when the changes after K are the shorter side).
   */
  vectorsAsOf(asOf: LocalDate, knownAt: number, current: CurrentRateAggregates): Map<string, TallyVector> {
    this.flush();
    const groups = this.groupRecordedAt.length;
    const recordedAt = this.groupRecordedAt.data;
    let cut = groups;
    for (let low = 0, high = groups; low < high;) {
      const middle = (low + high) >>> 1;
      if (recordedAt[middle] > knownAt) high = cut = middle;
      else low = middle + 1;
    }
    const day = dayNumber(asOf);
    const result = new Map<string, TallyVector>();
    const vectorOf = (zoneId: string): TallyVector => {
      let vector = result.get(zoneId);
      if (!vector) result.set(zoneId, (vector = newTallyVector()));
      return vector;
    };
    const sums = new Float64Array(this.zoneIds.length * ZONE_STRIDE);
    const before = cut <= groups - cut;
    if (before) {
      this.sumGroups(sums, 0, cut, day, 1);
    } else {
      for (const [zoneId, vector] of current.vectorsAsOf(asOf)) {
        const into = vectorOf(zoneId);
        for (let slot = 0; slot < vector.length; slot++) into[slot] += vector[slot];
      }
      this.sumGroups(sums, cut, groups, day, -1);
    }
    const tally = new SignedTallyAsOf(asOf);
    const footprint = emptyFootprint();
    for (const timeline of this.outOfOrder) {
      const known = this.model.snapshotOf(timeline, knownAt);
      if (known) {
        tally.target = vectorOf(known.zoneId);
        tally.sign = 1;
        forEachContribution(footprintOf(known, undefined, footprint), tally);
      }
      if (!before && timeline.current) {
        tally.target = vectorOf(timeline.current.zoneId);
        tally.sign = -1;
        forEachContribution(footprintOf(timeline.current, undefined, footprint), tally);
      }
    }
    for (let zone = 0; zone < this.zoneIds.length; zone++) {
      const base = zone * ZONE_STRIDE;
      let touched = false;
      for (let slot = 0; slot < ZONE_STRIDE && !touched; slot++) touched = sums[base + slot] !== 0;
      if (!touched) continue;
      const into = vectorOf(this.zoneIds[zone]);
      for (let slot = 0; slot < into.length; slot++) into[slot] += sums[base + slot];
    }
    return result;
  }

  private sumGroups(sums: Float64Array, from: number, to: number, day: number, sign: 1 | -1): void {
    const project = this.groupProject.data;
    const start = this.groupStart.data;
    const end = this.groupEnd.data;
    const entryDay = this.entryDay.data;
    const zoneSlot = this.entryZoneSlot.data;
    const amount = this.entryAmount.data;
    const leftOut = this.leftOut;
    for (let group = from; group < to; group++) {
      if (leftOut[project[group]]) continue;
      for (let entry = start[group], last = end[group]; entry < last; entry++)
        if (entryDay[entry] <= day) sums[zoneSlot[entry]] += sign * amount[entry];
    }
  }

  /** Logs the new facts of the projects that changed, then keeps the groups in recorded order. */
  private flush(): void {
    if (this.dirty.size > 0) {
      const before = emptyFootprint();
      const after = emptyFootprint();
      for (const timeline of this.dirty) this.index(timeline, before, after);
      this.dirty.clear();
    }
    if (!this.sorted) this.sortGroups();
  }

  private index(timeline: ProjectTimeline, before: RateFootprint, after: RateFootprint): void {
    let project = this.projectNumbers.get(timeline);
    if (project === undefined) {
      project = this.indexedFacts.length;
      this.projectNumbers.set(timeline, project);
      this.indexedFacts.push(0);
      this.leftOut.push(false);
    }
    if (this.leftOut[project]) return;
    if (!timeline.recordedInOrder) {
      this.leftOut[project] = true;
      this.outOfOrder.add(timeline);
      return;
    }
    const { facts } = timeline;
    const from = this.indexedFacts[project];
    if (from === facts.length) return;
    let snapshot: ProjectSnapshot | undefined;
    for (let i = 0; i < from; i++) snapshot = applyFact(snapshot, facts[i].event);
    let previous = snapshot ? footprintOf(snapshot, undefined, before) : undefined;
    for (let i = from; i < facts.length; i++) {
      snapshot = applyFact(snapshot, facts[i].event);
      const next = snapshot
        ? footprintOf(snapshot, undefined, previous === after ? before : after)
        : undefined;
      if (previous === undefined ? next !== undefined : next === undefined || !sameFootprint(previous, next))
        this.log(project, facts[i].recordedAt, previous, next);
      previous = next;
    }
    this.indexedFacts[project] = facts.length;
  }

  /** One group: the net change from `previous` to `next`, at the fact's recorded time. */
  private log(
    project: number,
    recordedAt: number,
    previous: RateFootprint | undefined,
    next: RateFootprint | undefined,
  ): void {
    const { diff, diffSink } = this;
    diff.clear();
    if (previous) {
      diffSink.zone = this.zoneNumber(previous.zoneId);
      diffSink.sign = -1;
      forEachContribution(previous, diffSink);
    }
    if (next) {
      diffSink.zone = this.zoneNumber(next.zoneId);
      diffSink.sign = 1;
      forEachContribution(next, diffSink);
    }
    const start = this.entryDay.length;
    for (const [key, amount] of diff) {
      if (amount === 0) continue;
      this.entryDay.push(Math.floor(key / DAY_SHIFT));
      this.entryZoneSlot.push(key % DAY_SHIFT);
      this.entryAmount.push(amount);
    }
    if (this.entryDay.length === start) return;
    const groups = this.groupRecordedAt.length;
    if (groups > 0 && recordedAt < this.groupRecordedAt.data[groups - 1]) this.sorted = false;
    this.groupRecordedAt.push(recordedAt);
    this.groupProject.push(project);
    this.groupStart.push(start);
    this.groupEnd.push(this.entryDay.length);
  }

  private zoneNumber(zoneId: string): number {
    let zone = this.zoneNumbers.get(zoneId);
    if (zone === undefined) {
      zone = this.zoneIds.length;
      if (zone >= MAX_ZONES) throw new RangeError(`more than ${MAX_ZONES} zones in the known-at index`);
      this.zoneNumbers.set(zoneId, zone);
      this.zoneIds.push(zoneId);
    }
    return zone;
  }

  /** Puts the groups in recorded order (their entries stay where they are). */
  private sortGroups(): void {
    const count = this.groupRecordedAt.length;
    const recordedAt = this.groupRecordedAt.data;
    const order = new Uint32Array(count);
    for (let i = 0; i < count; i++) order[i] = i;
    order.sort((a, b) => recordedAt[a] - recordedAt[b] || a - b);
    const permute = <T extends TypedArray>(column: Column<T>): void => {
      const data = column.data;
      const sorted = data.slice() as T;
      for (let i = 0; i < count; i++) sorted[i] = data[order[i]];
      column.data = sorted;
    };
    permute(this.groupRecordedAt);
    permute(this.groupProject);
    permute(this.groupStart);
    permute(this.groupEnd);
    this.sorted = true;
  }
}

/** Collects a footprint's contributions by (day, zone, slot), signed, so that a change nets out. */
class DiffSink implements ContributionSink {
  zone = 0;
  sign: 1 | -1 = 1;

  constructor(
    private readonly into: Map<number, number>,
    private readonly days: Map<LocalDate, number>,
  ) {}

  add(from: LocalDate, slot: number, amount: number): void {
    let day = this.days.get(from);
    if (day === undefined) this.days.set(from, (day = dayNumber(from)));
    const key = day * DAY_SHIFT + this.zone * ZONE_STRIDE + slot;
    this.into.set(key, (this.into.get(key) ?? 0) + this.sign * amount);
  }
}

/** Adds (or subtracts) the contributions that have started by D into `target`. */
class SignedTallyAsOf implements ContributionSink {
  target: TallyVector = newTallyVector();
  sign: 1 | -1 = 1;

  constructor(private readonly asOf: LocalDate) {}

  add(from: LocalDate, slot: number, amount: number): void {
    if (from <= this.asOf) this.target[slot] += this.sign * amount;
  }
}
