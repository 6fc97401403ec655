import { Query } from '@nestjs/cqrs';
import { ProjectView } from '@app/domain';

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
