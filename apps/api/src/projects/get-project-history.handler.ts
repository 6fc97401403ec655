import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { projectStreamId } from '@app/domain';
import { EventStore } from '@app/event-store';
import { notFoundProblem } from '../http/problem';
import { GetProjectHistoryQuery } from './get-project-history.query';

@QueryHandler(GetProjectHistoryQuery)
export class GetProjectHistoryHandler implements IQueryHandler<GetProjectHistoryQuery> {
  constructor(@Inject(EventStore) private readonly store: EventStore) {}

  async execute({ projectId }: GetProjectHistoryQuery) {
    const stored = await this.store.readStream(projectStreamId(projectId));
    if (stored.length === 0) {
      throw notFoundProblem(
        { zh: `项目 ${projectId} 尚未签约`, en: `project ${projectId} is not signed` },
        'project-not-found',
      );
    }
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
