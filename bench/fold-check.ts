/**
 * The rebuild fold in-process (readAll pages into LifecycleReadModel + CurrentRateAggregates,
 * up to the first current rate table), next to the raw SELECT + JSON.parse of the same rows.
 * Prints both as JSON with CPU time. Runs on another checkout of the repo too, to compare the
 * two back to back on a shared machine:
 *   node --expose-gc --require <checkout>/test/support/register-ts.js bench/fold-check.ts <history.sqlite>
 */
import Database from 'better-sqlite3';
import { SqliteEventStore } from '@app/event-store';
import { CurrentRateAggregates, LifecycleReadModel, rateTable } from '@app/projections';

const PAGE = 5_000;
const file = process.argv[2];

function raw(): { ms: number; cpuMs: number; events: number } {
  const db = new Database(file, { readonly: true });
  const select = db.prepare(
    'SELECT position, stream_id, revision, event_id, type, schema_version, data, metadata FROM events WHERE position > ? ORDER BY position LIMIT ?',
  );
  const cpu = process.cpuUsage();
  const started = performance.now();
  let events = 0;
  let checksum = 0;
  for (let after = 0; ;) {
    const rows = select.all(after, PAGE) as { position: number; data: string; metadata: string }[];
    if (rows.length === 0) break;
    for (const row of rows) {
      const data = JSON.parse(row.data) as object | null;
      checksum += (data ? 1 : 0) + (JSON.parse(row.metadata) as { recordedAt: string }).recordedAt.length;
    }
    events += rows.length;
    after = rows[rows.length - 1].position;
  }
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  db.close();
  if (checksum === 0 && events > 0) throw new Error('unreachable');
  return { ms: Math.round(ms), cpuMs: Math.round((used.user + used.system) / 1000), events };
}

async function fold(): Promise<{ ms: number; cpuMs: number; events: number }> {
  const store = SqliteEventStore.open({ file });
  const model = new LifecycleReadModel();
  const aggregates = new CurrentRateAggregates(model);
  const cpu = process.cpuUsage();
  const started = performance.now();
  for (let after = 0; ;) {
    const page = await store.readAll({ after, limit: PAGE });
    if (page.length === 0) break;
    model.apply(page);
    after = page[page.length - 1].position;
  }
  rateTable(model, { scope: 'zone', asOf: '2024-06-30' }, aggregates);
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  await store.close();
  return {
    ms: Math.round(ms),
    cpuMs: Math.round((used.user + used.system) / 1000),
    events: model.eventCount,
  };
}

async function main(): Promise<void> {
  raw();
  const rawRun = raw();
  (globalThis as { gc?: () => void }).gc?.();
  const foldRun = await fold();
  console.log(
    JSON.stringify({
      raw: rawRun,
      fold: foldRun,
      ratioByTime: Math.round((rawRun.ms / foldRun.ms) * 1000) / 1000,
      ratioByCpu: Math.round((rawRun.cpuMs / foldRun.cpuMs) * 1000) / 1000,
      load: (await import('node:os')).loadavg().map((l) => Math.round(l * 100) / 100),
    }),
  );
}

void main();
