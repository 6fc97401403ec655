import { LocalDate } from '@app/domain';
import { LifecycleReadModel, ReadModelListener, ProjectTimeline } from './lifecycle-read-model';
import {
  ContributionSink,
  RateFootprint,
  TallyVector,
  addVector,
  footprintOf,
  forEachContribution,
  isZeroVector,
  newTallyVector,
  sameFootprint,
} from './rate-definitions';

interface ZoneAggregate {
  /** Every contribution, whatever its date: the view as of any date after all of them. */
  total: TallyVector;
  /** The contributions that start on each date: the view as of D is the sum up to D. */
  changes: Map<LocalDate, TallyVector>;
}

const registry = new WeakMap<LifecycleReadModel, CurrentRateAggregates>();

/** The aggregates kept for a model (created, and seeded from its projects, on first use). */
export function currentRatesOf(model: LifecycleReadModel): CurrentRateAggregates {
  return registry.get(model) ?? new CurrentRateAggregates(model);
}

/**
 * The rates with everything known (no K), over all rounds and every project, kept
 * incrementally per zone and per effective date: as of D they are each zone's total minus
 * the contributions that start after D (or the sum of those up to D, whichever is shorter).
 * A project that changes is marked; before the next query its old contribution is subtracted
 * and its new one added, so a catch-up of a million events costs one pass over the projects
 * that changed, and a query costs O(zones × dates on the short side of D), with no scan of
 * projects. Rounds scheduled after D are handled like any other date: their listings start
 * contributing on the round's date.
 */
export class CurrentRateAggregates implements ReadModelListener {
  private readonly zones = new Map<string, ZoneAggregate>();
  private readonly footprints = new Map<string, RateFootprint>();
  private readonly dirty = new Set<ProjectTimeline>();
  private readonly dates = new Set<LocalDate>();
  private sortedDates: LocalDate[] | undefined;
  private lastAnswer: { asOf: LocalDate; vectors: Map<string, TallyVector> } | undefined;

  constructor(model: LifecycleReadModel) {
    model.subscribe(this);
    for (const timeline of model.projects.values()) this.dirty.add(timeline);
    if (!registry.has(model)) registry.set(model, this);
  }

  projectChanged(timeline: ProjectTimeline): void {
    this.dirty.add(timeline);
  }

  reset(): void {
    this.lastAnswer = undefined;
    this.zones.clear();
    this.footprints.clear();
    this.dirty.clear();
    this.dates.clear();
    this.sortedDates = undefined;
  }

  /**
   * Per zone, the tallies as of D over all rounds and projects, with everything known. The
   * last answer is kept until a project changes (a notification asks for three scopes at one
   * D); callers only read it.
   */
  vectorsAsOf(asOf: LocalDate): ReadonlyMap<string, TallyVector> {
    if (this.dirty.size === 0 && this.lastAnswer?.asOf === asOf) return this.lastAnswer.vectors;
    this.flush();
    const dates = this.datesInOrder();
    let after = dates.length;
    for (let low = 0, high = dates.length; low < high;) {
      const middle = (low + high) >>> 1;
      if (dates[middle] > asOf) high = after = middle;
      else low = middle + 1;
    }
    const result = new Map<string, TallyVector>();
    for (const [zoneId, zone] of this.zones) {
      let vector: TallyVector;
      if (dates.length - after <= after) {
        vector = zone.total.slice();
        this.addChanges(vector, zone, dates, after, dates.length, -1);
      } else {
        vector = newTallyVector();
        this.addChanges(vector, zone, dates, 0, after, 1);
      }
      result.set(zoneId, vector);
    }
    this.lastAnswer = { asOf, vectors: result };
    return result;
  }

  private addChanges(
    into: TallyVector,
    zone: ZoneAggregate,
    dates: LocalDate[],
    from: number,
    to: number,
    sign: 1 | -1,
  ): void {
    if (zone.changes.size < to - from) {
      const [low, high] = [dates[from], dates[to - 1]];
      for (const [date, change] of zone.changes)
        if (date >= low && date <= high) addVector(into, change, sign);
      return;
    }
    for (let i = from; i < to; i++) {
      const change = zone.changes.get(dates[i]);
      if (change) addVector(into, change, sign);
    }
  }

  private datesInOrder(): LocalDate[] {
    this.sortedDates ??= [...this.dates].sort();
    return this.sortedDates;
  }

  /** Brings the changed projects' contributions up to date. */
  private flush(): void {
    for (const timeline of this.dirty) {
      const before = this.footprints.get(timeline.projectId);
      const after = timeline.current && footprintOf(timeline.current);
      if (before && after && sameFootprint(before, after)) continue;
      if (before) this.contribute(before, -1);
      if (after) {
        this.contribute(after, 1);
        this.footprints.set(timeline.projectId, after);
      } else {
        this.footprints.delete(timeline.projectId);
      }
    }
    this.dirty.clear();
  }

  private contribute(footprint: RateFootprint, sign: 1 | -1): void {
    let zone = this.zones.get(footprint.zoneId);
    if (!zone) {
      zone = { total: newTallyVector(), changes: new Map() };
      this.zones.set(footprint.zoneId, zone);
    }
    forEachContribution(
      footprint,
      new ZoneContribution(zone, sign, this.dates, () => (this.sortedDates = undefined)),
    );
  }
}

/** Adds (or, with sign -1, removes) one project's contributions to its zone's aggregate. */
class ZoneContribution implements ContributionSink {
  constructor(
    private readonly zone: ZoneAggregate,
    private readonly sign: 1 | -1,
    private readonly dates: Set<LocalDate>,
    private readonly datesChanged: () => void,
  ) {}

  add(from: LocalDate, slot: number, amount: number): void {
    const { total, changes } = this.zone;
    total[slot] += this.sign * amount;
    let change = changes.get(from);
    if (!change) {
      change = newTallyVector();
      changes.set(from, change);
      if (!this.dates.has(from)) {
        this.dates.add(from);
        this.datesChanged();
      }
    }
    change[slot] += this.sign * amount;
    // Corrections move dates: drop what no longer holds anything, so memory follows the facts.
    if (this.sign < 0 && isZeroVector(change)) changes.delete(from);
  }
}
