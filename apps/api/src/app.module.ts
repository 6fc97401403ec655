import { createSecretKey } from 'node:crypto';
import { DynamicModule, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { JwtModule } from '@nestjs/jwt';
import { TrackerConfig } from '@app/config';
import { EventStore } from '@app/event-store';
import { JwtAuthGuard } from './auth/jwt-auth.guard';
import { EventSourcedWriter } from './commands/event-sourced-writer';
import { ProjectCommandHandler } from './commands/project-command.handler';
import { RegisterRoundHandler, RegisterZoneHandler } from './commands/reference-commands';
import { ReferenceData } from './commands/reference-data';
import { HealthController } from './health/health.controller';
import { Clock, SystemClock } from './infrastructure/clock';
import { eventStoreProvider } from './infrastructure/event-store.provider';
import { TRACKER_CONFIG } from './infrastructure/tokens';
import { ProjectionsService } from './projections/projections.service';
import { GetProjectHandler, GetProjectHistoryHandler } from './projects/project.queries';
import { ProjectsController } from './projects/projects.controller';
import { ReferenceController } from './reference/reference.controller';
import { ReportsController } from './reports/reports.controller';
import { IssueNotificationHandler, NotificationsController } from './notifications/notifications.controller';

/** Closes the store last, after the projections' subscription has stopped. */
class StoreCloser implements OnApplicationShutdown {
  constructor(@Inject(EventStore) private readonly store: EventStore) {}

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}

@Module({})
export class AppModule {
  static register(config: TrackerConfig, overrides: { clock?: Clock } = {}): DynamicModule {
    const jwtKey = createSecretKey(Buffer.from(config.jwtSecret, 'utf8'));
    return {
      module: AppModule,
      imports: [
        CqrsModule.forRoot(),
        // A KeyObject made once: given a string, jsonwebtoken rebuilds (and first tries to parse
        // it as a public key) on every request, a quarter of the API's CPU under load.
        JwtModule.register({
          secretOrKeyProvider: () => jwtKey,
          verifyOptions: { algorithms: ['HS256'] },
          signOptions: { algorithm: 'HS256' },
        }),
      ],
      controllers: [
        HealthController,
        ReferenceController,
        ReportsController,
        ProjectsController,
        NotificationsController,
      ],
      providers: [
        { provide: TRACKER_CONFIG, useValue: config },
        { provide: Clock, useValue: overrides.clock ?? new SystemClock() },
        eventStoreProvider,
        StoreCloser,
        ProjectionsService,
        EventSourcedWriter,
        ReferenceData,
        ProjectCommandHandler,
        RegisterZoneHandler,
        RegisterRoundHandler,
        IssueNotificationHandler,
        GetProjectHandler,
        GetProjectHistoryHandler,
        { provide: APP_GUARD, useClass: JwtAuthGuard },
      ],
    };
  }
}
