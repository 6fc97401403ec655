import { Command } from '@nestjs/cqrs';
import { CommandContext, CommandResult, ProjectCommandRequest } from '@app/application';

/** Any lifecycle command on one project, dispatched through the CommandBus. */
export class ExecuteProjectCommand extends Command<CommandResult> {
  constructor(
    readonly request: ProjectCommandRequest,
    readonly context: CommandContext,
    /** Runs once the caller is authorised, before the decision (`?strict=true`'s duplicate check). */
    readonly beforeDecide?: () => void,
  ) {
    super();
  }
}
