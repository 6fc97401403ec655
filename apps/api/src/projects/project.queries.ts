import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { ProjectEvent, ProjectView, projectAsOf, projectStreamId } from '@app/domain';
import { EventStore, RecordedEvent } from '@app/event-store';
import { upcastEvent } from '../commands/event-sourced-writer';
import { notFoundProblem } from '../http/problem';
import { normaliseInstant } from '../http/instant';

export type ProjectResource = ProjectView & { revision: number; asOf?: string; knownAt?: string };

export class GetProjectQuery extends Query<ProjectResource> {
  constructor(
    readonly projectId: string,
    readonly asOf?: string,
    readonly knownAt?: string,
  ) {
    super();
  }
}

export interface HistoryEntry {
  position: number;
  revision: number;
  id: string;
  type: string;
  schemaVersion: number;
  data: unknown;
  metadata: RecordedEvent['metadata'];
}

export class GetProjectHistoryQuery extends Query<{ projectId: string; events: HistoryEntry[] }> {
  constructor(readonly projectId: string) {
    super();
  }
}

@QueryHandler(GetProjectQuery)
export class GetProjectHandler implements IQueryHandler<GetProjectQuery, ProjectResource> {
  constructor(@Inject(EventStore) private readonly store: EventStore) {}

  async execute({ projectId, asOf, knownAt }: GetProjectQuery): Promise<ProjectResource> {
    const stored = await this.store.readStream(projectStreamId(projectId));
    const known = knownAt ? normaliseInstant(knownAt) : undefined;
    const view = projectAsOf(
      stored.map((event) => ({
        event: upcastEvent(event) as ProjectEvent,
        recordedAt: event.metadata.recordedAt,
      })),
      asOf,
      known,
    );
    if (!view) {
      const when = [asOf && `as of ${asOf}`, known && `as known at ${known}`].filter(Boolean).join(' ');
      throw notFoundProblem(
        `project ${projectId} is not signed${when ? ` ${when}` : ''}`,
        'project-not-found',
      );
    }
    const revision = known
      ? stored.filter((event) => event.metadata.recordedAt <= known).length - 1
      : stored.length - 1;
    return { ...view, revision, ...(asOf ? { asOf } : {}), ...(known ? { knownAt: known } : {}) };
  }
}

@QueryHandler(GetProjectHistoryQuery)
export class GetProjectHistoryHandler implements IQueryHandler<GetProjectHistoryQuery> {
  constructor(@Inject(EventStore) private readonly store: EventStore) {}

  async execute({ projectId }: GetProjectHistoryQuery) {
    const stored = await this.store.readStream(projectStreamId(projectId));
    if (stored.length === 0) throw notFoundProblem(`project ${projectId} is not signed`, 'project-not-found');
    const events = stored.map(({ position, revision, id, type, schemaVersion, data, metadata }) => ({
      position,
      revision,
      id,
      type,
      schemaVersion,
      data,
      metadata,
    }));
    return { projectId, events };
  }
}
