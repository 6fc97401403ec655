import { DynamicModule, Module } from '@nestjs/common';
import { TrackerConfig } from '@app/config';
import { KafkaPublisher } from '@app/messaging';
import { EventStoreModule, TrackerConfigModule } from '@app/platform';
import { MESSAGE_PUBLISHER, RelayService } from './relay.service';

/** The relay process: no HTTP, just the store, Kafka and the relay loop. */
@Module({})
export class RelayModule {
  static register(config: TrackerConfig): DynamicModule {
    return {
      module: RelayModule,
      imports: [TrackerConfigModule.forRoot(config), EventStoreModule],
      providers: [
        {
          provide: MESSAGE_PUBLISHER,
          useValue: () => new KafkaPublisher({ brokers: config.kafkaBrokers }),
        },
        RelayService,
      ],
    };
  }
}
