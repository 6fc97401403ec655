import { Command } from '@nestjs/cqrs';
import { CommandContext, CommandResult } from '@app/application';
import { YearMonth } from '@app/domain';

/** Issue month M, or (with `erratum`) issue its corrected content superseding the issue in force. */
export class IssueNotificationCommand extends Command<CommandResult> {
  constructor(
    readonly month: YearMonth,
    readonly context: CommandContext,
    readonly erratum?: { reason: string },
  ) {
    super();
  }
}

/** Withdraw the latest month, issued when it should not have been. */
export class WithdrawNotificationCommand extends Command<CommandResult> {
  constructor(
    readonly month: YearMonth,
    readonly reason: string,
    readonly context: CommandContext,
  ) {
    super();
  }
}
