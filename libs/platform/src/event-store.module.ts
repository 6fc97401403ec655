import { Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { TrackerConfig } from '@app/config';
import { EventStore, EventStoreObserver, openEventStore } from '@app/event-store';
import { STORE_OBSERVER, TRACKER_CONFIG } from './tokens';

/**
 * Closes the store on shutdown. The module is global, so Nest shuts it down after every
 * feature module: subscriptions to `$all` (projections, relay) have stopped by then.
 */
@Injectable()
class StoreCloser implements OnApplicationShutdown {
  constructor(@Inject(EventStore) private readonly store: EventStore) {}

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}

/** The store chosen by EVENT_STORE, shared by the API and the relay; needs TrackerConfigModule. */
@Global()
@Module({
  providers: [
    {
      provide: EventStore,
      inject: [TRACKER_CONFIG, { token: STORE_OBSERVER, optional: true }],
      useFactory: (config: TrackerConfig, observer?: EventStoreObserver): Promise<EventStore> =>
        openEventStore(config, observer),
    },
    StoreCloser,
  ],
  exports: [EventStore],
})
export class EventStoreModule {}
