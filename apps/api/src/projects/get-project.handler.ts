import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { upcastEvent } from '@app/application';
import { ProjectEvent, projectAsOf, projectStreamId } from '@app/domain';
import { EventStore } from '@app/event-store';
import { normaliseInstant } from '../http/instant';
import { notFoundProblem } from '../http/problem';
import { GetProjectQuery, ProjectResource } from './get-project.query';

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
      const whenZh = [asOf && `截至 ${asOf}`, known && `按 ${known} 所知`].filter(Boolean).join('、');
      throw notFoundProblem(
        {
          zh: `项目 ${projectId}${whenZh}尚未签约`,
          en: `project ${projectId} is not signed${when ? ` ${when}` : ''}`,
        },
        'project-not-found',
      );
    }
    const revision = known
      ? stored.filter((event) => event.metadata.recordedAt <= known).length - 1
      : stored.length - 1;
    return { ...view, revision, ...(asOf ? { asOf } : {}), ...(known ? { knownAt: known } : {}) };
  }
}
