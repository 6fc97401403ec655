import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteEventStore } from '@app/event-store';
import { Ack, problemsInStore, runUntilKilled } from './support/store-crash';

/**
 * Kills writer processes with SIGKILL mid-append, again and again on one file, and checks
 * after each crash that the embedded store kept every acknowledged append exactly once, in
 * order, and never a part of a multi-event append.
 */
const RUNS = 12;
const WRITERS_PER_RUN = 2;

describe('embedded store: SIGKILL while appending', () => {
  let dir: string;
  let file: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'plt-store-crash-'));
    file = join(dir, 'events.sqlite');
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it(`keeps every acknowledged append, whole and exactly once, across ${RUNS} kills`, async () => {
    const acked: Ack[] = [];
    for (let run = 0; run < RUNS; run++) {
      // given writers appending to the same file, each killed 50–400 ms after its first ack
      const writers = Array.from({ length: WRITERS_PER_RUN }, (_, writer) =>
        runUntilKilled(file, `${run}.${writer}`),
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

      // then the store, reopened after the crash, holds all of it intact
      expect({ run, problems: await problemsIn(file, acked) }).toEqual({ run, problems: [] });
    }
    expect(acked.length).toBeGreaterThanOrEqual(RUNS * WRITERS_PER_RUN);
  }, 60_000);
});

/** Everything wrong with the store after a crash, as readable sentences (none is the goal). */
async function problemsIn(file: string, acked: Ack[]): Promise<string[]> {
  const problems: string[] = [];
  const db = new Database(file);
  const integrity = db.pragma('integrity_check', { simple: true });
  db.close();
  if (integrity !== 'ok') problems.push(`integrity_check: ${String(integrity)}`);

  const store = SqliteEventStore.open({ file });
  try {
    problems.push(...(await problemsInStore(store, acked)));
  } finally {
    await store.close();
  }
  return problems;
}
