import { DynamicModule, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { TrackerConfig } from '@app/config';
import { EventStore, openEventStore } from '@app/event-store';
import { RELAY_CONFIG, RelayService } from './relay.service';

class StoreCloser implements OnApplicationShutdown {
  constructor(@Inject(EventStore) private readonly store: EventStore) {}

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}

/** The relay process: no HTTP, just the store, Kafka and the relay loop. */
@Module({})
export class RelayModule {
  static register(config: TrackerConfig): DynamicModule {
    return {
      module: RelayModule,
      providers: [
        { provide: RELAY_CONFIG, useValue: config },
        { provide: EventStore, useFactory: () => openEventStore(config) },
        StoreCloser,
        RelayService,
      ],
    };
  }
}
