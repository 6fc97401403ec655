import { Module } from '@nestjs/common';
import { TrackerCommandsModule } from '../infrastructure/tracker-commands.module';
import { ProjectionsModule } from '../projections/projections.module';
import { ExecuteProjectHandler } from './execute-project.handler';
import { GetProjectHistoryHandler } from './get-project-history.handler';
import { GetProjectHandler } from './get-project.handler';
import { ProjectPlansController } from './project-plans.controller';
import { ProjectsController } from './projects.controller';

/** Lifecycle commands on one project (planned dates, investment plans and obstacles too), its view as of a date and its history. */
@Module({
  imports: [TrackerCommandsModule, ProjectionsModule],
  controllers: [ProjectsController, ProjectPlansController],
  providers: [ExecuteProjectHandler, GetProjectHandler, GetProjectHistoryHandler],
})
export class ProjectsModule {}
