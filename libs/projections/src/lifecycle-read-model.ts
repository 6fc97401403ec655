import {
  DOMAIN_UPCASTERS,
  ProjectEvent,
  Round,
  RoundCorrected,
  Zone,
  ZoneCorrected,
  isProjectEvent,
  PROJECT_STREAM_PREFIX,
  upcast,
} from '@app/domain';
import { AllCheckpoint, RecordedEvent, checkpointAfter, isAtOrBefore } from '@app/event-store';
import { ProjectFact, ProjectSnapshot, applyFact, foldFacts } from './project-snapshot';

export interface ProjectTimeline {
  projectId: string;
  /** Every fact in position order (recorded order), parsed once. */
  facts: ProjectFact[];
  /** Everything known now, folded incrementally. */
  current?: ProjectSnapshot;
  /** Earliest and latest recorded time among the facts (epoch ms): K outside them needs no fold. */
  firstRecordedAt: number;
  lastRecordedAt: number;
  /** No fact was recorded before the one ahead of it: a fold as known at K may stop at K. */
  recordedInOrder: boolean;
}

/** The model's state at one position: what a projection snapshot stores. */
export interface ReadModelCut {
  checkpoint: AllCheckpoint;
  events: number;
  eventsByType: [string, number][];
  /** Epoch ms; null before any event. */
  latestRecordedAt: number | null;
  /** Each zone's and round's definitions in recorded order (the last is the current one). */
  zoneVersions: [string, Definition<Zone>[]][];
  roundVersions: [string, Definition<Round>[]][];
  /** Each project, in first-seen order, with its first `count` facts. */
  timelines: { projectId: string; facts: ProjectFact[]; count: number }[];
}

/** Told when a project's current snapshot may have changed, and when the model is dropped. */
export interface ReadModelListener {
  projectChanged(timeline: ProjectTimeline): void;
  reset(): void;
}

/** The (type, schema version) pairs an upcaster reads: every other event is in its current shape. */
const UPCAST_FROM = new Set(DOMAIN_UPCASTERS.map((u) => `${u.type}@${u.fromVersion}`));

function needsUpcasting({ type, schemaVersion }: RecordedEvent): boolean {
  return UPCAST_FROM.size > 0 && UPCAST_FROM.has(`${type}@${schemaVersion}`);
}

/** isProjectEvent per type, remembered: the fold asks it for every event. */
const projectEventTypes = new Map<string, boolean>();

function isProjectEventType(type: string): boolean {
  let known = projectEventTypes.get(type);
  if (known === undefined) projectEventTypes.set(type, (known = isProjectEvent({ type })));
  return known;
}

/** A zone's or round's definition from the time it was recorded (epoch ms) until the next. */
export interface Definition<T> {
  recordedAt: number;
  value: T;
}

/** The definitions known at K: the last recorded at or before it, if any. */
function definitionsAt<T>(versions: Map<string, Definition<T>[]>, knownAt: number): Map<string, T> {
  const known = new Map<string, T>();
  for (const [id, definitions] of versions) {
    let latest: Definition<T> | undefined;
    for (const definition of definitions)
      if (definition.recordedAt <= knownAt && (!latest || definition.recordedAt >= latest.recordedAt))
        latest = definition;
    if (latest) known.set(id, latest.value);
  }
  return known;
}

/**
 * The bitemporal read model: zones, rounds and each project's timeline of facts, fed from
 * `$all`. Pure (no I/O, no clock): the runner feeds it, queries evaluate it.
 */
export class LifecycleReadModel {
  /** Zones and rounds as known now (corrections applied). */
  readonly zones = new Map<string, Zone>();
  readonly rounds = new Map<string, Round>();
  readonly projects = new Map<string, ProjectTimeline>();
  /** How many events of each type have been applied (as upcast), for the metrics. */
  readonly eventsByType = new Map<string, number>();
  /** Each zone's and round's registration and corrections: a view as known at K uses those recorded by K. */
  private readonly zoneVersions = new Map<string, Definition<Zone>[]>();
  private readonly roundVersions = new Map<string, Definition<Round>[]>();
  /**
   * The last zones-as-known-at-K answered and the current snapshots, until the next event
   * (keyed by the count of events applied: events of one transaction share a position).
   */
  private zonesAtCache: { knownAt: number; applied: number; zones: Map<string, Zone> } | undefined;
  private currentSnapshots: { applied: number; list: ProjectSnapshot[] } | undefined;
  private lastApplied: AllCheckpoint = { after: 0 };
  private events = 0;
  private latestRecorded = -Infinity;
  private readonly listeners: ReadModelListener[] = [];

  /** The last position applied: facts "as known through" it (whole transactions). */
  get position(): number {
    return this.lastApplied.after;
  }

  /** Where to resume `$all`: the last position applied, with its prepare position if any. */
  get checkpoint(): AllCheckpoint {
    return this.lastApplied;
  }

  get eventCount(): number {
    return this.events;
  }

  /** The latest recorded time among all facts (epoch ms): a K at or after it changes nothing. */
  get latestRecordedAt(): number {
    return this.latestRecorded;
  }

  /**
   * The model as it is now, for a snapshot (read-model-snapshot.ts): taken synchronously, and
   * consistent however long it is written, because facts and definitions are only ever
   * appended (a project's facts are its first `facts` entries).
   */
  cut(): ReadModelCut {
    const timelines: ReadModelCut['timelines'] = [];
    for (const timeline of this.projects.values())
      timelines.push({ projectId: timeline.projectId, facts: timeline.facts, count: timeline.facts.length });
    const versions = <T>(map: Map<string, Definition<T>[]>): [string, Definition<T>[]][] =>
      [...map].map(([id, definitions]) => [id, definitions.slice()]);
    return {
      checkpoint: { ...this.lastApplied },
      events: this.events,
      eventsByType: [...this.eventsByType],
      latestRecordedAt: this.latestRecorded === -Infinity ? null : this.latestRecorded,
      zoneVersions: versions(this.zoneVersions),
      roundVersions: versions(this.roundVersions),
      timelines,
    };
  }

  /**
   * A model holding what a cut held: each project's current snapshot is folded again from its
   * facts (no parsing, no upcasting), so a snapshot stores only facts.
   */
  static fromCut(cut: ReadModelCut): LifecycleReadModel {
    const model = new LifecycleReadModel();
    model.lastApplied = { ...cut.checkpoint };
    model.events = cut.events;
    for (const [type, count] of cut.eventsByType) model.eventsByType.set(type, count);
    model.latestRecorded = cut.latestRecordedAt ?? -Infinity;
    const restore = <T>(
      versions: [string, Definition<T>[]][],
      current: Map<string, T>,
      into: Map<string, Definition<T>[]>,
    ) => {
      for (const [id, definitions] of versions) {
        into.set(id, definitions);
        current.set(id, definitions[definitions.length - 1].value);
      }
    };
    restore(cut.zoneVersions, model.zones, model.zoneVersions);
    restore(cut.roundVersions, model.rounds, model.roundVersions);
    for (const { projectId, facts, count } of cut.timelines) {
      const timeline: ProjectTimeline = {
        projectId,
        facts: facts.length === count ? facts : facts.slice(0, count),
        firstRecordedAt: Infinity,
        lastRecordedAt: -Infinity,
        recordedInOrder: true,
      };
      for (const fact of timeline.facts) {
        if (fact.recordedAt < timeline.lastRecordedAt) timeline.recordedInOrder = false;
        if (fact.recordedAt < timeline.firstRecordedAt) timeline.firstRecordedAt = fact.recordedAt;
        if (fact.recordedAt > timeline.lastRecordedAt) timeline.lastRecordedAt = fact.recordedAt;
        timeline.current = applyFact(timeline.current, fact.event);
      }
      model.projects.set(projectId, timeline);
    }
    return model;
  }

  subscribe(listener: ReadModelListener): void {
    this.listeners.push(listener);
  }

  /** Applies events in `$all` order; any at or before the last applied one is ignored. */
  apply(events: readonly RecordedEvent[]): void {
    for (const event of events) this.applyOne(event);
  }

  applyOne(recorded: RecordedEvent): void {
    if (isAtOrBefore(recorded, this.lastApplied)) return;
    const { type, data } = needsUpcasting(recorded)
      ? upcast(
          { type: recorded.type, schemaVersion: recorded.schemaVersion, data: recorded.data },
          DOMAIN_UPCASTERS,
        )
      : recorded;
    const recordedAt = Date.parse(recorded.metadata.recordedAt);
    this.applyUpcast(recorded, type, data, recordedAt);
    // Only once applied: an event that fails stays the next one to apply (a restarted
    // subscription meets it again instead of skipping it).
    this.lastApplied = checkpointAfter(recorded);
    this.events++;
    this.eventsByType.set(type, (this.eventsByType.get(type) ?? 0) + 1);
    if (recordedAt > this.latestRecorded) this.latestRecorded = recordedAt;
  }

  private applyUpcast(recorded: RecordedEvent, type: string, data: unknown, recordedAt: number): void {
    if (type === 'ZoneRegistered') {
      const zone = data as Zone;
      define(this.zones, this.zoneVersions, zone.id, zone, recordedAt);
    } else if (type === 'ZoneCorrected') {
      const { id, changes } = data as ZoneCorrected['data'];
      const zone = this.zones.get(id);
      if (zone) define(this.zones, this.zoneVersions, id, { ...zone, ...changes }, recordedAt);
    } else if (type === 'RoundRegistered') {
      const round = data as Round;
      define(this.rounds, this.roundVersions, round.id, round, recordedAt);
    } else if (type === 'RoundCorrected') {
      const { id, changes } = data as RoundCorrected['data'];
      const round = this.rounds.get(id);
      if (round) define(this.rounds, this.roundVersions, id, { ...round, ...changes }, recordedAt);
    } else if (recorded.streamId.startsWith(PROJECT_STREAM_PREFIX) && isProjectEventType(type)) {
      const projectId = recorded.streamId.slice(PROJECT_STREAM_PREFIX.length);
      this.applyProjectFact(projectId, {
        recordedAt,
        position: recorded.position,
        event: { type, data } as ProjectEvent,
        recordedBy: recorded.metadata.recordedBy,
        reason: recorded.metadata.reason,
      });
    }
  }

  private applyProjectFact(projectId: string, fact: ProjectFact): void {
    let timeline = this.projects.get(projectId);
    // Folded first: a fact that cannot be applied leaves the model as it was.
    const current = applyFact(timeline?.current, fact.event);
    if (!timeline) {
      timeline = {
        projectId,
        facts: [],
        firstRecordedAt: Infinity,
        lastRecordedAt: -Infinity,
        recordedInOrder: true,
      };
      this.projects.set(projectId, timeline);
    }
    timeline.facts.push(fact);
    if (fact.recordedAt < timeline.lastRecordedAt) timeline.recordedInOrder = false;
    if (fact.recordedAt < timeline.firstRecordedAt) timeline.firstRecordedAt = fact.recordedAt;
    if (fact.recordedAt > timeline.lastRecordedAt) timeline.lastRecordedAt = fact.recordedAt;
    timeline.current = current;
    for (const listener of this.listeners) listener.projectChanged(timeline);
  }

  /** Drops everything, so that a replay from the start rebuilds the model. */
  reset(): void {
    this.zones.clear();
    this.rounds.clear();
    this.projects.clear();
    this.eventsByType.clear();
    this.zoneVersions.clear();
    this.roundVersions.clear();
    this.zonesAtCache = undefined;
    this.currentSnapshots = undefined;
    this.lastApplied = { after: 0 };
    this.events = 0;
    this.latestRecorded = -Infinity;
    for (const listener of this.listeners) listener.reset();
  }

  /** Whether a K (epoch ms) leaves out nothing the model knows: the current state answers it. */
  knowsNothingAfter(knownAt: number | undefined): boolean {
    return knownAt === undefined || knownAt >= this.latestRecorded;
  }

  /** A project as known at `knownAt` (epoch ms; everything known when undefined). */
  snapshotOf(timeline: ProjectTimeline, knownAt?: number): ProjectSnapshot | undefined {
    if (knownAt === undefined || knownAt >= timeline.lastRecordedAt) return timeline.current;
    if (knownAt < timeline.firstRecordedAt) return undefined;
    return foldFacts(timeline.facts, knownAt, timeline.recordedInOrder);
  }

  /**
   * Each project as known at `knownAt` (epoch ms; everything known when undefined). Only the
   * projects with facts on both sides of K are folded again; the others are their current
   * snapshot or unknown. The current ones are listed once per position: a notification scans
   * them for each of its sections.
   */
  snapshots(knownAt?: number): readonly ProjectSnapshot[] {
    const current = knownAt === undefined || knownAt >= this.latestRecorded;
    if (current && this.currentSnapshots?.applied === this.events) return this.currentSnapshots.list;
    const list: ProjectSnapshot[] = [];
    for (const timeline of this.projects.values()) {
      const snapshot = this.snapshotOf(timeline, knownAt);
      if (snapshot) list.push(snapshot);
    }
    if (current) this.currentSnapshots = { applied: this.events, list };
    return list;
  }

  /**
   * The zones as known at `knownAt` (epoch ms; now when undefined): those registered by K, each
   * as last corrected by K, so a table as known before a correction has the old name, city and
   * category.
   */
  zonesAt(knownAt?: number): ReadonlyMap<string, Zone> {
    if (this.knowsNothingAfter(knownAt)) return this.zones;
    const cached = this.zonesAtCache;
    if (cached && cached.knownAt === knownAt && cached.applied === this.events) return cached.zones;
    const zones = definitionsAt(this.zoneVersions, knownAt as number);
    this.zonesAtCache = { knownAt: knownAt as number, applied: this.events, zones };
    return zones;
  }

  /** The zones as known at `knownAt` (`zonesAt`), as a list. */
  zonesKnownAt(knownAt?: number): Zone[] {
    return [...this.zonesAt(knownAt).values()];
  }

  /** Whether any zone belongs, or belonged before a correction, to the city. */
  knowsCity(cityId: string): boolean {
    for (const definitions of this.zoneVersions.values())
      if (definitions.some(({ value }) => value.cityId === cityId)) return true;
    return false;
  }

  /** The rounds as known at `knownAt` (epoch ms; now when undefined), each as last corrected by K. */
  roundsAt(knownAt?: number): ReadonlyMap<string, Round> {
    if (this.knowsNothingAfter(knownAt)) return this.rounds;
    return definitionsAt(this.roundVersions, knownAt as number);
  }
}

/** Records a zone's or round's definition from `recordedAt` on; the current map holds the latest. */
function define<T>(
  current: Map<string, T>,
  versions: Map<string, Definition<T>[]>,
  id: string,
  value: T,
  recordedAt: number,
): void {
  current.set(id, value);
  const definitions = versions.get(id);
  if (definitions) definitions.push({ recordedAt, value });
  else versions.set(id, [{ recordedAt, value }]);
}
