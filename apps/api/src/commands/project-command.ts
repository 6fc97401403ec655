import { Command } from '@nestjs/cqrs';
import { Batch, ProjectCommand } from '@app/domain';
import { WriteContext, WriteResult } from './write-context';

type WithoutToday<T> = T extends unknown ? Omit<T, 'today'> : never;

/**
 * A lifecycle command as the edge builds it: without `today` (the handler adds it from the
 * clock) and, for a listing, naming its round by id (the handler loads the round).
 */
export type ProjectCommandRequest =
  | Exclude<WithoutToday<ProjectCommand>, { type: 'ListProject' }>
  | { type: 'ListProject'; data: { projectId: string; roundId: string; batch: Batch } };

/** Any lifecycle command on one project, dispatched through the CommandBus. */
export class ExecuteProjectCommand extends Command<WriteResult> {
  constructor(
    readonly request: ProjectCommandRequest,
    readonly context: WriteContext,
  ) {
    super();
  }
}
