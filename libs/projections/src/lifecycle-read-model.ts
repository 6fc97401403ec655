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

/** Told when a project's current snapshot may have changed, and when the model is dropped. */
export interface ReadModelListener {
  projectChanged(timeline: ProjectTimeline): void;
  reset(): void;
}

/**
 * The bitemporal read model: zones, rounds and each project's timeline of facts, fed from
 * `$all`. Pure (no I/O, no clock): the runner feeds it, queries evaluate it.
 */
export class LifecycleReadModel {
  readonly zones = new Map<string, Zone>();
  readonly rounds = new Map<string, Round>();
  readonly projects = new Map<string, ProjectTimeline>();
  /** How many events of each type have been applied (as upcast), for the metrics. */
  readonly eventsByType = new Map<string, number>();
  /** When each zone became known (epoch ms): a view as known at K has only the zones known then. */
  private readonly zoneKnownAt = new Map<string, number>();
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

  subscribe(listener: ReadModelListener): void {
    this.listeners.push(listener);
  }

  /** Applies events in `$all` order; any at or before the last applied one is ignored. */
  apply(events: readonly RecordedEvent[]): void {
    for (const event of events) this.applyOne(event);
  }

  applyOne(recorded: RecordedEvent): void {
    if (isAtOrBefore(recorded, this.lastApplied)) return;
    this.lastApplied = checkpointAfter(recorded);
    this.events++;
    const { type, data } = upcast(
      { type: recorded.type, schemaVersion: recorded.schemaVersion, data: recorded.data },
      DOMAIN_UPCASTERS,
    );
    this.eventsByType.set(type, (this.eventsByType.get(type) ?? 0) + 1);
    const recordedAt = Date.parse(recorded.metadata.recordedAt);
    if (recordedAt > this.latestRecorded) this.latestRecorded = recordedAt;
    if (type === 'ZoneRegistered') {
      const zone = data as Zone;
      this.zones.set(zone.id, zone);
      if (!this.zoneKnownAt.has(zone.id)) this.zoneKnownAt.set(zone.id, recordedAt);
    } else if (type === 'ZoneCorrected') {
      const { id, changes } = data as ZoneCorrected['data'];
      const zone = this.zones.get(id);
      if (zone) this.zones.set(id, { ...zone, ...changes });
    } else if (type === 'RoundRegistered') {
      const round = data as Round;
      this.rounds.set(round.id, round);
    } else if (type === 'RoundCorrected') {
      const { id, changes } = data as RoundCorrected['data'];
      const round = this.rounds.get(id);
      if (round) this.rounds.set(id, { ...round, ...changes });
    } else if (recorded.streamId.startsWith(PROJECT_STREAM_PREFIX) && isProjectEvent({ type })) {
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
    timeline.current = applyFact(timeline.current, fact.event);
    for (const listener of this.listeners) listener.projectChanged(timeline);
  }

  /** Drops everything, so that a replay from the start rebuilds the model. */
  reset(): void {
    this.zones.clear();
    this.rounds.clear();
    this.projects.clear();
    this.eventsByType.clear();
    this.zoneKnownAt.clear();
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
   * snapshot or unknown.
   */
  *snapshots(knownAt?: number): Generator<ProjectSnapshot> {
    for (const timeline of this.projects.values()) {
      const snapshot = this.snapshotOf(timeline, knownAt);
      if (snapshot) yield snapshot;
    }
  }

  /** The zones registered at or before `knownAt` (epoch ms; all when undefined). */
  zonesKnownAt(knownAt?: number): Zone[] {
    const zones = [...this.zones.values()];
    if (knownAt === undefined) return zones;
    return zones.filter((zone) => (this.zoneKnownAt.get(zone.id) as number) <= knownAt);
  }
}
