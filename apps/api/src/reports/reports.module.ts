import { Module } from '@nestjs/common';
import { HeavyReadsModule } from '../heavy-reads/heavy-reads.module';
import { ProjectionsModule } from '../projections/projections.module';
import { ReportsController } from './reports.controller';

/** Rates, lead times, project lists, stalled projects and the rebuild. */
@Module({ imports: [ProjectionsModule, HeavyReadsModule], controllers: [ReportsController] })
export class ReportsModule {}
