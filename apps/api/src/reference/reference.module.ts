import { Module } from '@nestjs/common';
import { TrackerCommandsModule } from '../infrastructure/tracker-commands.module';
import { ProjectionsModule } from '../projections/projections.module';
import { ReferenceController } from './reference.controller';
import { RegisterRoundHandler } from './register-round.handler';
import { RegisterZoneHandler } from './register-zone.handler';

/** Zones and rounds: registered by admins, listed from the read model. */
@Module({
  imports: [TrackerCommandsModule, ProjectionsModule],
  controllers: [ReferenceController],
  providers: [RegisterZoneHandler, RegisterRoundHandler],
})
export class ReferenceModule {}
