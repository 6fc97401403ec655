import { describeEventStoreConformance } from './event-store.conformance';
import { InMemoryEventStore } from './in-memory-event-store';

// The fake the projection tests run on behaves as the real adapters do.
describeEventStoreConformance('InMemoryEventStore', async () => {
  const store = new InMemoryEventStore();
  return { store, dispose: () => store.close() };
});

describeEventStoreConformance('InMemoryEventStore in batches of 7', async () => {
  const store = new InMemoryEventStore({ batchSize: 7 });
  return { store, dispose: () => store.close() };
});
