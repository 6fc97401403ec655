import {
  LocalDate,
  ProjectEvent,
  Round,
  RoundRegistered,
  Zone,
  ZoneRegistered,
  isProjectEvent,
} from '@app/domain';
import { RecordedEvent } from '@app/event-store';
import { ProjectFact, ProjectSnapshot, applyFact, foldFacts } from './project-snapshot';

export interface ProjectTimeline {
  projectId: string;
  /** Every fact in position order (recorded order). */
  facts: ProjectFact[];
  /** Everything known now, folded incrementally. */
  current?: ProjectSnapshot;
}

/** Told when a project's current snapshot changes, to keep incremental aggregates. */
export type SnapshotListener = (
  before: ProjectSnapshot | undefined,
  after: ProjectSnapshot | undefined,
) => void;

/**
 * The bitemporal read model: zones, rounds and each project's timeline of facts, fed from
 * `$all`. Pure (no I/O, no clock): the runner feeds it, queries evaluate it.
 */
export class LifecycleReadModel {
  readonly zones = new Map<string, Zone>();
  readonly rounds = new Map<string, Round>();
  readonly projects = new Map<string, ProjectTimeline>();
  private lastPosition = 0;
  private events = 0;
  /** The latest effective date among current facts: above it, "as of" changes nothing. */
  private latestEffective: LocalDate = '0000-00-00';
  private readonly listeners: SnapshotListener[] = [];

  get position(): number {
    return this.lastPosition;
  }

  get eventCount(): number {
    return this.events;
  }

  get latestEffectiveDate(): LocalDate {
    return this.latestEffective;
  }

  onSnapshotChange(listener: SnapshotListener): void {
    this.listeners.push(listener);
  }

  /** Applies events in position order; any at or below the last applied position is ignored. */
  apply(events: readonly RecordedEvent[]): void {
    for (const event of events) this.applyOne(event);
  }

  applyOne(event: RecordedEvent): void {
    if (event.position <= this.lastPosition) return;
    this.lastPosition = event.position;
    this.events++;
    if (event.type === 'ZoneRegistered') {
      const zone = event.data as ZoneRegistered['data'];
      this.zones.set(zone.id, zone);
    } else if (event.type === 'RoundRegistered') {
      const round = event.data as RoundRegistered['data'];
      this.rounds.set(round.id, round);
    } else if (isProjectEvent(event) && event.streamId.startsWith('project-')) {
      this.applyProjectEvent(
        event.streamId.slice('project-'.length),
        event as unknown as RecordedEvent & ProjectEvent,
      );
    }
  }

  private applyProjectEvent(projectId: string, recorded: RecordedEvent & ProjectEvent): void {
    let timeline = this.projects.get(projectId);
    if (!timeline) {
      timeline = { projectId, facts: [] };
      this.projects.set(projectId, timeline);
    }
    const event = { type: recorded.type, data: recorded.data } as ProjectEvent;
    timeline.facts.push({
      recordedAt: Date.parse(recorded.metadata.recordedAt),
      position: recorded.position,
      event,
      recordedBy: recorded.metadata.recordedBy,
      reason: recorded.metadata.reason,
    });
    const before = timeline.current ? cloneSnapshot(timeline.current) : undefined;
    timeline.current = applyFact(timeline.current, event);
    this.noteEffectiveDates(event);
    for (const listener of this.listeners) listener(before, timeline.current);
  }

  private noteEffectiveDates(event: ProjectEvent): void {
    const data = event.data as { occurredOn?: LocalDate; heldOn?: LocalDate; signedOn?: LocalDate };
    for (const date of [data.occurredOn, data.heldOn, data.signedOn]) {
      if (date !== undefined && date > this.latestEffective) this.latestEffective = date;
    }
  }

  /** Each project as known at `knownAt` (epoch ms; everything known when undefined). */
  *snapshots(knownAt?: number): Generator<ProjectSnapshot> {
    for (const timeline of this.projects.values()) {
      const snapshot = knownAt === undefined ? timeline.current : foldFacts(timeline.facts, knownAt);
      if (snapshot) yield snapshot;
    }
  }
}

export function cloneSnapshot(snapshot: ProjectSnapshot): ProjectSnapshot {
  return { ...snapshot, milestones: { ...snapshot.milestones }, listings: [...snapshot.listings] };
}
