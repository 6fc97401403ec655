import { DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { TrackerConfig } from '@app/config';
import { readableSchemaVersion } from '@app/domain';
import { KafkaPublisher } from '@app/messaging';
import { createLogger } from '@app/observability';
import { EventStoreModule, TrackerConfigModule } from '@app/platform';
import { RelayHttpServer } from './relay-http';
import { MESSAGE_PUBLISHER, RelayService } from './relay.service';

/** The relay's root pino logger (JSON lines at LOG_LEVEL, as the API's). */
export const RELAY_LOGGER = Symbol('RELAY_LOGGER');

/** The relay process: no HTTP, just the store, Kafka and the relay loop. */
@Module({})
export class RelayModule {
  static register(config: TrackerConfig): DynamicModule {
    const logger = createLogger({ level: config.logLevel, service: 'relay' });
    return {
      module: RelayModule,
      imports: [
        TrackerConfigModule.forRoot(config),
        EventStoreModule.forRoot({ readableSchemaVersion }),
        LoggerModule.forRoot({ pinoHttp: { logger } }),
      ],
      providers: [
        { provide: RELAY_LOGGER, useValue: logger },
        {
          provide: MESSAGE_PUBLISHER,
          useValue: () =>
            new KafkaPublisher({
              ...config.kafka,
              eventsTopic: config.kafka.topics.events,
            }),
        },
        RelayService,
        RelayHttpServer,
      ],
    };
  }
}
