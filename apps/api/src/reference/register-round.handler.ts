import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandResult, TrackerCommands } from '@app/application';
import { RegisterRoundCommand } from './register-round.command';

@CommandHandler(RegisterRoundCommand)
export class RegisterRoundHandler implements ICommandHandler<RegisterRoundCommand, CommandResult> {
  constructor(private readonly commands: TrackerCommands) {}

  execute({ round, context }: RegisterRoundCommand): Promise<CommandResult> {
    return this.commands.registerRound(round, context);
  }
}
