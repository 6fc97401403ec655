import { Module } from '@nestjs/common';
import { TrackerCommandsModule } from '../infrastructure/tracker-commands.module';
import { ProjectionsModule } from '../projections/projections.module';
import { ImportsController } from './imports.controller';
import { RunImportHandler } from './run-import.handler';

/** Spreadsheet import of a round's 台账 and its template. */
@Module({
  imports: [TrackerCommandsModule, ProjectionsModule],
  controllers: [ImportsController],
  providers: [RunImportHandler],
})
export class ImportsModule {}
