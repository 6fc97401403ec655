import { randomUUID } from 'node:crypto';
import {
  Batch,
  DatedFact,
  Milestone,
  MILESTONE_EVENT_TYPES,
  ProjectDetails,
  ProjectEvent,
  Zone,
} from '@app/domain';
import { RecordedEvent } from '@app/event-store';

/**
 * Builds a `$all` history for read-model tests: every fact gets the next position and a
 * recorded time (advancing a minute per fact unless set).
 */
export class HistoryBuilder {
  readonly events: RecordedEvent[] = [];
  private clock = Date.parse('2023-01-01T00:00:00Z');
  private revisions = new Map<string, number>();

  at(instant: string): this {
    this.clock = Date.parse(instant);
    return this;
  }

  private push(streamId: string, type: string, data: unknown): this {
    const revision = (this.revisions.get(streamId) ?? -1) + 1;
    this.revisions.set(streamId, revision);
    this.events.push({
      id: randomUUID(),
      streamId,
      revision,
      position: this.events.length + 1,
      type,
      schemaVersion: 1,
      data,
      metadata: {
        recordedAt: new Date(this.clock).toISOString(),
        recordedBy: 'test',
        source: { kind: 'api' },
        correlationId: 'c',
        causationId: 'c',
      },
    });
    this.clock += 60_000;
    return this;
  }

  zone(zone: Partial<Zone> & { id: string }): this {
    return this.push(`zone-${zone.id}`, 'ZoneRegistered', {
      name: zone.id,
      cityId: 'city-1',
      category: 'industrial',
      level: 'provincial',
      ...zone,
    });
  }

  round(id: string, heldOn: string): this {
    return this.push(`round-${id}`, 'RoundRegistered', { id, heldOn });
  }

  project(event: ProjectEvent): this {
    return this.push(`project-${(event.data as { projectId: string }).projectId}`, event.type, event.data);
  }

  sign(
    projectId: string,
    zoneId: string,
    wan: number,
    options: { industrial?: boolean; signedOn?: string } = {},
  ): this {
    return this.project({
      type: 'ProjectSigned',
      data: {
        projectId,
        zoneId,
        name: projectId,
        enterprise: 'e',
        totalInvestmentWan: wan,
        industrial: options.industrial ?? true,
        strategicEmerging: false,
        signedOn: options.signedOn ?? '2023-01-01',
      },
    });
  }

  list(projectId: string, roundId: string, heldOn: string, batch: Batch): this {
    return this.project({ type: 'ProjectListed', data: { projectId, roundId, heldOn, batch } });
  }

  reach(projectId: string, milestone: Milestone, occurredOn: string): this {
    return this.project({ type: MILESTONE_EVENT_TYPES[milestone], data: { projectId, occurredOn } });
  }

  correct(projectId: string, milestone: DatedFact, occurredOn: string, previousOccurredOn: string): this {
    return this.project({
      type: 'MilestoneDateCorrected',
      data: { projectId, milestone, occurredOn, previousOccurredOn, reason: '更正' },
    });
  }

  retract(projectId: string, milestone: Milestone, previousOccurredOn: string): this {
    return this.project({
      type: 'MilestoneRetracted',
      data: { projectId, milestone, previousOccurredOn, reason: '误报' },
    });
  }

  amend(projectId: string, changes: Partial<ProjectDetails>): this {
    return this.project({ type: 'ProjectAmended', data: { projectId, changes, reason: '核实' } });
  }

  terminate(projectId: string, occurredOn: string): this {
    return this.project({ type: 'ProjectTerminated', data: { projectId, occurredOn, reason: '退出' } });
  }

  void(projectId: string, reason = '重复录入'): this {
    return this.project({ type: 'ProjectVoided', data: { projectId, reason } });
  }

  withdraw(projectId: string, roundId: string, heldOn: string, batch: Batch): this {
    return this.project({
      type: 'ListingWithdrawn',
      data: { projectId, roundId, heldOn, batch, reason: '误列' },
    });
  }

  correctZone(id: string, changes: Partial<Omit<Zone, 'id'>>): this {
    return this.push(`zone-${id}`, 'ZoneCorrected', { id, changes, previous: {}, reason: '更正' });
  }

  correctRound(id: string, changes: { heldOn?: string; name?: string }): this {
    return this.push(`round-${id}`, 'RoundCorrected', { id, changes, previous: {}, reason: '更正' });
  }
}
