import { Module } from '@nestjs/common';
import { TrackerCommandsModule } from '../infrastructure/tracker-commands.module';
import { ProjectionsModule } from '../projections/projections.module';
import { CorrectRoundHandler, CorrectZoneHandler } from './correct-reference';
import { ReferenceController } from './reference.controller';
import { RegisterRoundHandler } from './register-round.handler';
import { RegisterZoneHandler } from './register-zone.handler';

/** Zones and rounds: registered by admins, listed from the read model. */
@Module({
  imports: [TrackerCommandsModule, ProjectionsModule],
  controllers: [ReferenceController],
  providers: [RegisterZoneHandler, RegisterRoundHandler, CorrectZoneHandler, CorrectRoundHandler],
})
export class ReferenceModule {}
