import { Command } from '@nestjs/cqrs';
import { CommandContext, CommandResult } from '@app/application';
import { YearMonth } from '@app/domain';

export class IssueNotificationCommand extends Command<CommandResult> {
  constructor(
    readonly month: YearMonth,
    readonly context: CommandContext,
  ) {
    super();
  }
}
