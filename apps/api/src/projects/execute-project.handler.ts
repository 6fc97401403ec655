import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandResult, TrackerCommands } from '@app/application';
import { ExecuteProjectCommand } from './execute-project.command';

@CommandHandler(ExecuteProjectCommand)
export class ExecuteProjectHandler implements ICommandHandler<ExecuteProjectCommand, CommandResult> {
  constructor(private readonly commands: TrackerCommands) {}

  execute({ request, context, beforeDecide }: ExecuteProjectCommand): Promise<CommandResult> {
    return this.commands.executeProject(request, context, beforeDecide);
  }
}
