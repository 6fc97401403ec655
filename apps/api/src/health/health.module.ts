import { Module } from '@nestjs/common';
import { HeavyReadsModule } from '../heavy-reads/heavy-reads.module';
import { ProjectionsModule } from '../projections/projections.module';
import { HealthController } from './health.controller';

@Module({ imports: [ProjectionsModule, HeavyReadsModule], controllers: [HealthController] })
export class HealthModule {}
