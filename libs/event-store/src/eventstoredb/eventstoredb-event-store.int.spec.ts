import { describeEventStoreConformance } from '../testing';
import { EventStoreDbEventStore } from './eventstoredb-event-store';

/**
 * The conformance suite against a real EventStoreDB/KurrentDB server: where a Docker engine
 * answers, the jest global setup starts one (testcontainers); elsewhere give one, e.g.
 *   docker run -d --name eventstoredb -p 2113:2113 eventstore/eventstore:24.10 --insecure
 *   EVENTSTORE_CONNECTION_STRING='esdb://localhost:2113?tls=false' npx jest libs/event-store/src/eventstoredb
 * The server is not emptied between tests or runs: the suite uses fresh stream names and
 * positions relative to the head, so use a server nothing else writes to while it runs.
 */
const connectionString = process.env.EVENTSTORE_CONNECTION_STRING;

if (connectionString) {
  // Round trips to a server, and catch-up subscriptions over everything earlier runs left in $all.
  jest.setTimeout(30_000);
  describeEventStoreConformance('EventStoreDbEventStore', async () => {
    const store = EventStoreDbEventStore.connect(connectionString);
    return { store, dispose: () => store.close() };
  });
} else {
  // The jest global setup says why it started no server (test/support/test-services-plan.ts).
  const why =
    process.env.TEST_EVENTSTORE_SKIP_REASON ??
    'EVENTSTORE_CONNECTION_STRING is not set and the global setup started no server';
  const reason = `${why}; start a server and set EVENTSTORE_CONNECTION_STRING='esdb://localhost:2113?tls=false'`;
  describe('EventStoreDbEventStore against a real server', () => {
    console.warn(`EventStoreDbEventStore conformance skipped: ${reason}`);
    it.skip(`skipped: ${reason}`, () => undefined);
  });
}
