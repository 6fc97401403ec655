import { Module } from '@nestjs/common';
import { ProjectionsModule } from '../projections/projections.module';
import { ReportsController } from './reports.controller';

/** Rates, lead times, project lists, stalled projects and the rebuild. */
@Module({ imports: [ProjectionsModule], controllers: [ReportsController] })
export class ReportsModule {}
