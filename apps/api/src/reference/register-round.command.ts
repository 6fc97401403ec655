import { Command } from '@nestjs/cqrs';
import { CommandContext, CommandResult } from '@app/application';
import { Round } from '@app/domain';

export class RegisterRoundCommand extends Command<CommandResult> {
  constructor(
    readonly round: Round,
    readonly context: CommandContext,
  ) {
    super();
  }
}
