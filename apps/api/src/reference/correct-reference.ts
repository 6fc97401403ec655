import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandContext, CommandResult, TrackerCommands } from '@app/application';
import { RoundCorrection, ZoneCorrection } from '@app/domain';

export class CorrectZoneCommand extends Command<CommandResult> {
  constructor(
    readonly zoneId: string,
    readonly changes: ZoneCorrection,
    readonly reason: string,
    readonly context: CommandContext,
  ) {
    super();
  }
}

/** `listings` comes from an explicit read-model query: the round's date may move only while there are none. */
export class CorrectRoundCommand extends Command<CommandResult> {
  constructor(
    readonly roundId: string,
    readonly changes: RoundCorrection,
    readonly reason: string,
    readonly listings: () => number,
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(CorrectZoneCommand)
export class CorrectZoneHandler implements ICommandHandler<CorrectZoneCommand, CommandResult> {
  constructor(private readonly commands: TrackerCommands) {}

  execute({ zoneId, changes, reason, context }: CorrectZoneCommand): Promise<CommandResult> {
    return this.commands.correctZone(zoneId, changes, reason, context);
  }
}

@CommandHandler(CorrectRoundCommand)
export class CorrectRoundHandler implements ICommandHandler<CorrectRoundCommand, CommandResult> {
  constructor(private readonly commands: TrackerCommands) {}

  execute({ roundId, changes, reason, listings, context }: CorrectRoundCommand): Promise<CommandResult> {
    return this.commands.correctRound(roundId, changes, reason, listings, context);
  }
}
