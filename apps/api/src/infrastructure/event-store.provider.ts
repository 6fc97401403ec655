import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import { Provider } from '@nestjs/common';
import { TrackerConfig } from '@app/config';
import { EventStore, SqliteEventStore } from '@app/event-store';
import { TRACKER_CONFIG } from './tokens';

export const EMBEDDED_STORE_FILE = 'events.sqlite';

/** The store chosen by EVENT_STORE; swapping stores is this one provider. */
export const eventStoreProvider: Provider = {
  provide: EventStore,
  inject: [TRACKER_CONFIG],
  useFactory: async (config: TrackerConfig): Promise<EventStore> => {
    if (config.eventStore === 'eventstoredb') {
      throw new Error(
        'EVENT_STORE=eventstoredb: the EventStoreDB adapter is not available in this build yet',
      );
    }
    mkdirSync(config.dataDir, { recursive: true });
    return SqliteEventStore.open({ file: join(config.dataDir, EMBEDDED_STORE_FILE) });
  },
};
