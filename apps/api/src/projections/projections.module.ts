import { Module } from '@nestjs/common';
import { ProjectionsService } from './projections.service';

/** The in-memory read models; one instance for every module that imports this one. */
@Module({ providers: [ProjectionsService], exports: [ProjectionsService] })
export class ProjectionsModule {}
