import { DynamicModule, Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { TrackerConfig } from '@app/config';
import {
  CorruptStoreError,
  EventStore,
  EventStoreObserver,
  IntegrityOptions,
  checkStoreIntegrity,
  openEventStore,
} from '@app/event-store';
import { STORE_INTEGRITY, STORE_OBSERVER, TRACKER_CONFIG } from './tokens';

/** Opens the store and, given the readers' event types, refuses one they would misread. */
async function openCheckedStore(
  config: TrackerConfig,
  observer?: EventStoreObserver,
  integrity?: IntegrityOptions,
): Promise<EventStore> {
  const store = await openEventStore(config, observer);
  if (!integrity) return store;
  const { findings } = await checkStoreIntegrity(store, { ...integrity, maxFindings: 20 }).catch(
    async (error) => {
      await store.close();
      throw error;
    },
  );
  if (findings.length > 0) {
    await store.close();
    throw new CorruptStoreError(findings);
  }
  return store;
}

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
      inject: [
        TRACKER_CONFIG,
        { token: STORE_OBSERVER, optional: true },
        { token: STORE_INTEGRITY, optional: true },
      ],
      useFactory: openCheckedStore,
    },
    StoreCloser,
  ],
  exports: [EventStore],
})
export class EventStoreModule {
  /**
   * The store, checked before anything reads it: an unknown event type or schema version, or a
   * stream with missing revisions, stops the start with the positions (`npm run cli -- check`).
   */
  static forRoot(integrity: IntegrityOptions): DynamicModule {
    return { module: EventStoreModule, providers: [{ provide: STORE_INTEGRITY, useValue: integrity }] };
  }
}
