import { PostgresEventStore } from '@app/event-store';
import { Ack, problemsInStore, runUntilKilled } from './support/store-crash';
import { describeWithPostgres } from './support/postgres';

/**
 * Kills writer processes with SIGKILL mid-append, again and again against one PostgreSQL
 * database, and checks after each crash that every acknowledged append is stored exactly
 * once, in order, and never a part of a multi-event append. A killed writer's open
 * transaction (and its append lock) dies with its connection.
 */
const RUNS = 12;
const WRITERS_PER_RUN = 2;

describeWithPostgres('PostgreSQL store: SIGKILL while appending', (server) => {
  it(`keeps every acknowledged append, whole and exactly once, across ${RUNS} kills`, async () => {
    const url = await server().createDatabase();
    const acked: Ack[] = [];
    for (let run = 0; run < RUNS; run++) {
      // given writers appending to the same database, each killed 50–400 ms after its first ack
      const writers = Array.from({ length: WRITERS_PER_RUN }, (_, writer) =>
        runUntilKilled(url, `${run}.${writer}`),
      );
      for (const outcome of await Promise.all(writers)) {
        expect({ run, signal: outcome.signal, stderr: outcome.stderr }).toEqual({
          run,
          signal: 'SIGKILL',
          stderr: '',
        });
        expect(outcome.acks.length).toBeGreaterThan(0);
        acked.push(...outcome.acks);
      }

      // then a fresh connection finds all of it intact
      const store = await PostgresEventStore.connect({ connectionString: url });
      try {
        expect({ run, problems: await problemsInStore(store, acked) }).toEqual({ run, problems: [] });
      } finally {
        await store.close();
      }
    }
    expect(acked.length).toBeGreaterThanOrEqual(RUNS * WRITERS_PER_RUN);
  }, 120_000);
});
