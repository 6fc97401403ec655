import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandResult, TrackerCommands } from '@app/application';
import { RegisterZoneCommand } from './register-zone.command';

@CommandHandler(RegisterZoneCommand)
export class RegisterZoneHandler implements ICommandHandler<RegisterZoneCommand, CommandResult> {
  constructor(private readonly commands: TrackerCommands) {}

  execute({ zone, context }: RegisterZoneCommand): Promise<CommandResult> {
    return this.commands.registerZone(zone, context);
  }
}
