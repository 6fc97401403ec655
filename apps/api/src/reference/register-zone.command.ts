import { Command } from '@nestjs/cqrs';
import { CommandContext, CommandResult } from '@app/application';
import { Zone } from '@app/domain';

export class RegisterZoneCommand extends Command<CommandResult> {
  constructor(
    readonly zone: Zone,
    readonly context: CommandContext,
  ) {
    super();
  }
}
