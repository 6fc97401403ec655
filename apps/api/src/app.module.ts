import { DynamicModule, Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { Clock } from '@app/application';
import { TrackerConfig } from '@app/config';
import { readableSchemaVersion } from '@app/domain';
import { EventStoreModule, TrackerConfigModule } from '@app/platform';
import { AccountsModule } from './accounts/accounts.module';
import { AuthModule } from './auth/auth.module';
import { ConsoleModule } from './console/console.module';
import { HealthModule } from './health/health.module';
import { ImportsModule } from './imports/imports.module';
import { ReadYourWritesInterceptor } from './http/read-your-writes.interceptor';
import { RequestTimeoutInterceptor } from './http/request-timeout.interceptor';
import { ClockModule } from './infrastructure/clock.module';
import { NotificationsModule } from './notifications/notifications.module';
import { ObservabilityModule } from './observability/observability.module';
import { ObservabilityOptions } from './observability/observability.options';
import { ProjectionsModule } from './projections/projections.module';
import { ProjectsModule } from './projects/projects.module';
import { ReferenceModule } from './reference/reference.module';
import { ReportsModule } from './reports/reports.module';

/**
 * The HTTP application: global configuration, store and clock (shut down last), then one
 * module per feature. Commands run through libs/application.
 */
@Module({})
export class AppModule {
  static register(
    config: TrackerConfig,
    overrides: { clock?: Clock; logDestination?: ObservabilityOptions['logDestination'] } = {},
  ): DynamicModule {
    return {
      module: AppModule,
      imports: [
        TrackerConfigModule.forRoot(config),
        ObservabilityModule.forRoot({ ...config, logDestination: overrides.logDestination }),
        EventStoreModule.forRoot({ readableSchemaVersion }),
        ClockModule.forRoot(overrides.clock),
        CqrsModule.forRoot(),
        AccountsModule.register(config),
        AuthModule.register(config),
        ProjectionsModule,
        HealthModule,
        ReferenceModule,
        ProjectsModule,
        ReportsModule,
        NotificationsModule,
        ImportsModule,
        ConsoleModule.register(),
      ],
      providers: [
        // The timeout first, so that it also bounds the wait for the projections.
        { provide: APP_INTERCEPTOR, useClass: RequestTimeoutInterceptor },
        { provide: APP_INTERCEPTOR, useClass: ReadYourWritesInterceptor },
      ],
    };
  }
}
