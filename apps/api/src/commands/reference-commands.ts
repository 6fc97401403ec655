import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import {
  RoundEvent,
  ZoneEvent,
  decideRound,
  decideZone,
  evolveRound,
  evolveZone,
  roundStreamId,
  zoneStreamId,
  Round,
  Zone,
} from '@app/domain';
import { EventSourcedWriter } from './event-sourced-writer';
import { WriteContext, WriteResult } from './write-context';

export class RegisterZoneCommand extends Command<WriteResult> {
  constructor(
    readonly zone: Zone,
    readonly context: WriteContext,
  ) {
    super();
  }
}

export class RegisterRoundCommand extends Command<WriteResult> {
  constructor(
    readonly round: Round,
    readonly context: WriteContext,
  ) {
    super();
  }
}

@CommandHandler(RegisterZoneCommand)
export class RegisterZoneHandler implements ICommandHandler<RegisterZoneCommand, WriteResult> {
  constructor(private readonly writer: EventSourcedWriter) {}

  execute({ zone, context }: RegisterZoneCommand): Promise<WriteResult> {
    return this.writer.write<ZoneEvent>(
      {
        streamId: zoneStreamId(zone.id),
        decide: (history) =>
          decideZone({ type: 'RegisterZone', data: zone }, history.reduce(evolveZone, null)),
      },
      context,
    );
  }
}

@CommandHandler(RegisterRoundCommand)
export class RegisterRoundHandler implements ICommandHandler<RegisterRoundCommand, WriteResult> {
  constructor(private readonly writer: EventSourcedWriter) {}

  execute({ round, context }: RegisterRoundCommand): Promise<WriteResult> {
    return this.writer.write<RoundEvent>(
      {
        streamId: roundStreamId(round.id),
        decide: (history) =>
          decideRound({ type: 'RegisterRound', data: round }, history.reduce(evolveRound, null)),
      },
      context,
    );
  }
}
