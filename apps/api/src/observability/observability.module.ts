import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import {
  DynamicModule,
  Global,
  Inject,
  Injectable,
  MiddlewareConsumer,
  Module,
  NestModule,
  OnApplicationBootstrap,
  RequestMethod,
} from '@nestjs/common';
import { NextFunction, Request, Response } from 'express';
import { LoggerModule } from 'nestjs-pino';
import { EventStore, EventStoreObserver, embeddedStoreFile } from '@app/event-store';
import { RELAY_STATUS_FILE } from '@app/messaging';
import { createLogger, writeLogObserver } from '@app/observability';
import { STORE_OBSERVER } from '@app/platform';
import { ProjectionsModule } from '../projections/projections.module';
import { ProjectionsService } from '../projections/projections.service';
import { StoreWriteHealth } from '../health/store-write-health';
import { EVERY_PATH, httpLogOptions, routeOf } from './http-log';
import { RelayStatusFile, TrackerMetrics } from './metrics';
import { MetricsController } from './metrics.controller';
import { OBSERVABILITY_OPTIONS, ObservabilityOptions, ROOT_LOGGER } from './observability.options';

/** Every path (path-to-regexp 8 syntax), so that Nest does not warn about converting `*`. */
const EVERY_ROUTE = { path: EVERY_PATH, method: RequestMethod.ALL };

/** Connects the scrape-time series to the store, the projections and the relay's status file. */
@Injectable()
class MetricsSourcesBinder implements OnApplicationBootstrap {
  constructor(
    private readonly metrics: TrackerMetrics,
    @Inject(EventStore) private readonly store: EventStore,
    private readonly projections: ProjectionsService,
    @Inject(OBSERVABILITY_OPTIONS) private readonly options: ObservabilityOptions,
  ) {}

  onApplicationBootstrap(): void {
    const { store, projections } = this;
    const { dataDir, eventStore } = this.options;
    const embedded = eventStore === 'embedded';
    this.metrics.observe({
      headPosition: () => store.headPosition(),
      projectionPosition: () => projections.position,
      projectionCaughtUp: () => projections.isCaughtUp,
      eventsByType: () => projections.model.eventsByType,
      storeSizeBytes: async () => {
        if (!embedded) return undefined;
        const file = embeddedStoreFile(dataDir);
        const sizes = await Promise.all(
          [file, `${file}-wal`].map((path) =>
            stat(path).then(
              (s) => s.size,
              () => 0,
            ),
          ),
        );
        return sizes[0] + sizes[1];
      },
      relayStatus: async () => {
        if (!embedded) return undefined;
        try {
          return JSON.parse(await readFile(join(dataDir, RELAY_STATUS_FILE), 'utf8')) as RelayStatusFile;
        } catch {
          return undefined;
        }
      },
    });
  }
}

/**
 * Logs (pino: JSON lines, one per request and per write) and metrics (`GET /metrics`) for the
 * API. Global, so the event store's provider can take the observer.
 */
@Global()
@Module({})
export class ObservabilityModule implements NestModule {
  constructor(private readonly metrics: TrackerMetrics) {}

  static forRoot(options: ObservabilityOptions): DynamicModule {
    const logger = createLogger({
      level: options.logLevel,
      service: 'api',
      destination: options.logDestination,
    });
    const metrics = new TrackerMetrics();
    const writeLog = writeLogObserver(logger);
    const writeHealth = new StoreWriteHealth();
    const observer: EventStoreObserver = {
      appendSettled: (report) => {
        metrics.storeObserver.appendSettled?.(report);
        writeLog.appendSettled?.(report);
        writeHealth.appendSettled(report);
      },
      groupCommitted: (group) => metrics.storeObserver.groupCommitted?.(group),
    };
    return {
      module: ObservabilityModule,
      imports: [
        LoggerModule.forRoot({ pinoHttp: httpLogOptions(logger), forRoutes: [EVERY_ROUTE] }),
        ProjectionsModule,
      ],
      controllers: [MetricsController],
      providers: [
        { provide: OBSERVABILITY_OPTIONS, useValue: options },
        { provide: ROOT_LOGGER, useValue: logger },
        { provide: TrackerMetrics, useValue: metrics },
        { provide: STORE_OBSERVER, useValue: observer },
        { provide: StoreWriteHealth, useValue: writeHealth },
        MetricsSourcesBinder,
      ],
      exports: [ROOT_LOGGER, TrackerMetrics, STORE_OBSERVER, StoreWriteHealth],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer
      .apply((request: Request, response: Response, next: NextFunction) => {
        const started = process.hrtime.bigint();
        response.once('finish', () => {
          const seconds = Number(process.hrtime.bigint() - started) / 1e9;
          this.metrics.requestFinished(request.method, routeOf(request), response.statusCode, seconds);
        });
        next();
      })
      .forRoutes(EVERY_ROUTE);
  }
}
