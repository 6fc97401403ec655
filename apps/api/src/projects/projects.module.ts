import { Module } from '@nestjs/common';
import { TrackerCommandsModule } from '../infrastructure/tracker-commands.module';
import { ExecuteProjectHandler } from './execute-project.handler';
import { GetProjectHistoryHandler } from './get-project-history.handler';
import { GetProjectHandler } from './get-project.handler';
import { ProjectsController } from './projects.controller';

/** Lifecycle commands on one project, its view as of a date and its history. */
@Module({
  imports: [TrackerCommandsModule],
  controllers: [ProjectsController],
  providers: [ExecuteProjectHandler, GetProjectHandler, GetProjectHistoryHandler],
})
export class ProjectsModule {}
