import { Provider } from '@nestjs/common';
import { TrackerConfig } from '@app/config';
import { EventStore, openEventStore } from '@app/event-store';
import { TRACKER_CONFIG } from './tokens';

/** The store chosen by EVENT_STORE; swapping stores is this one provider. */
export const eventStoreProvider: Provider = {
  provide: EventStore,
  inject: [TRACKER_CONFIG],
  useFactory: (config: TrackerConfig): Promise<EventStore> => openEventStore(config),
};
