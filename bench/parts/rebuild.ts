import { rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { PerformanceObserver } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { SqliteEventStore } from '@app/event-store';
import {
  CurrentRateAggregates,
  computeRateTable,
  knownAtRatesOf,
  DuplicateIndex,
  LifecycleReadModel,
  ProjectionRunner,
  RateQuery,
  loadSnapshotFile,
  rateTable,
  writeSnapshotFile,
} from '@app/projections';
import { HistoryOptions, NATIONAL_HISTORY, ensureHistory } from '../lib/history';
import { Measurement, Skipped } from '../lib/report';
import { now, round, summarise, timeRuns } from '../lib/stats';

export interface RebuildOptions {
  cacheDir: string;
  history: HistoryOptions;
  /** Events per readAll page (ours) and per SELECT page (raw). */
  pageSize: number;
  currentRuns: number;
  historicalRuns: number;
  /** The historical view: as of this effective date, as known at this instant. */
  historicalAsOf: string;
  historicalKnownAt: string;
  rebuild: boolean;
  queries: boolean;
}

export const DEFAULT_REBUILD_OPTIONS: Omit<RebuildOptions, 'cacheDir' | 'rebuild' | 'queries'> = {
  history: NATIONAL_HISTORY,
  pageSize: 5_000,
  currentRuns: 200,
  historicalRuns: 20,
  historicalAsOf: '2024-06-30',
  historicalKnownAt: '2024-07-15T00:00:00.000Z',
};

const COLUMNS = 'position, stream_id, revision, event_id, type, schema_version, data, metadata';

export async function runRebuildAndQueries(options: RebuildOptions): Promise<Measurement[] | Skipped> {
  const history = await ensureHistory(options.cacheDir, options.history, (line) => console.log(line));
  const historySettings = {
    file: history.file,
    fileBytes: statSync(history.file).size,
    events: history.events,
    projects: history.projects,
    zones: history.zones,
    rounds: history.rounds,
    cached: history.cached,
    generationMs: history.generationMs,
  };
  console.log(
    `  history: ${history.events.toLocaleString('en-US')} events, ${history.projects.toLocaleString('en-US')} projects` +
      (history.cached ? ' (cached)' : ` (generated in ${((history.generationMs ?? 0) / 1000).toFixed(1)} s)`),
  );
  const measurements: Measurement[] = [];

  // Raw limit first, once unmeasured: it also brings the file into the OS page cache.
  rawScan(history.file, options.pageSize);
  const rawStart = now();
  const rawCount = rawScan(history.file, options.pageSize);
  const rawMs = now() - rawStart;

  const store = SqliteEventStore.open({ file: history.file });
  try {
    const today: RateQuery = { scope: 'zone', asOf: todayInChina() };
    // The path the API takes at startup, first: its model is garbage before the next phase.
    const runner = options.rebuild ? await runnerCatchUp(store, today) : undefined;
    collectGarbage();
    const model = new LifecycleReadModel();
    const aggregates = new CurrentRateAggregates(model);
    const heapBefore = process.memoryUsage().heapUsed;
    const foldStart = now();
    for (let after = 0; ;) {
      const page = await store.readAll({ after, limit: options.pageSize });
      if (page.length === 0) break;
      model.apply(page);
      after = page[page.length - 1].position;
    }
    // The aggregates may defer work to the first query; the rebuild is done when that answers.
    rateTable(model, today, aggregates);
    const foldMs = now() - foldStart;
    const heapAfter = process.memoryUsage().heapUsed;
    if (model.eventCount !== rawCount)
      throw new Error(`folded ${model.eventCount} events, raw read ${rawCount}`);

    if (options.rebuild) {
      const ours = rawCount / (foldMs / 1000);
      const raw = rawCount / (rawMs / 1000);
      measurements.push(
        {
          part: 'rebuild',
          name: 'fold readAll pages into read model + rate aggregates',
          value: round(ours),
          unit: 'events/s',
          target: '≥ 200,000',
          met: ours >= 200_000,
          settings: {
            ...historySettings,
            pageSize: options.pageSize,
            totalMs: round(foldMs, 1),
            models: 'LifecycleReadModel + CurrentRateAggregates, timed up to the first current rate table',
            heapGrowthMiB: round((heapAfter - heapBefore) / 2 ** 20),
          },
        },
        {
          part: 'rebuild',
          name: 'raw better-sqlite3 SELECT + JSON.parse (limit)',
          value: round(raw),
          unit: 'events/s',
          settings: {
            events: rawCount,
            pageSize: options.pageSize,
            totalMs: round(rawMs, 1),
            what: `SELECT ${COLUMNS} paged by position; JSON.parse(data), JSON.parse(metadata)`,
          },
        },
        {
          part: 'rebuild',
          name: 'ratio fold / raw read',
          value: round(ours / raw, 3),
          unit: '×',
          target: '≥ 0.90',
          met: ours / raw >= 0.9,
          settings: { events: rawCount },
        },
      );
      measurements.push(...(await snapshotStartUp(store, model, options.cacheDir, today)));
      if (runner) {
        measurements.push({
          part: 'rebuild',
          name: 'ProjectionRunner catch-up (API startup path)',
          value: round(runner.rate),
          unit: 'events/s',
          target: '≥ 200,000',
          met: runner.rate >= 200_000,
          settings: {
            events: runner.events,
            totalMs: round(runner.ms, 1),
            batch: 'subscribeToAll, 500 events per batch; timed up to the first current rate table',
          },
        });
      }
    }
    collectGarbage();

    if (options.queries)
      measurements.push(...(await runQueries(model, aggregates, options, historySettings)));
  } finally {
    await store.close();
  }
  return measurements;
}

async function runnerCatchUp(
  store: SqliteEventStore,
  today: RateQuery,
): Promise<{ rate: number; ms: number; events: number }> {
  const model = new LifecycleReadModel();
  const aggregates = new CurrentRateAggregates(model);
  const runner = new ProjectionRunner(store, model);
  const start = now();
  await runner.start();
  rateTable(model, today, aggregates);
  const ms = now() - start;
  await runner.stop();
  return { rate: model.eventCount / (ms / 1000), ms, events: model.eventCount };
}

/**
 * The API's start-up with a snapshot (ProjectionsService): the folded model written as the API
 * writes it, then loaded, its aggregates and duplicate index seeded, the runner caught up
 * (no tail here) and the first current rate table answered.
 */
async function snapshotStartUp(
  store: SqliteEventStore,
  model: LifecycleReadModel,
  cacheDir: string,
  today: RateQuery,
): Promise<Measurement[]> {
  const file = join(cacheDir, 'bench-read-model.snapshot');
  const storeId = await store.storeId();
  const written = await writeSnapshotFile(file, model.cut(), storeId);
  collectGarbage();
  const rssBefore = process.memoryUsage().rss;
  const cpuBefore = process.cpuUsage();
  const start = now();
  const load = await loadSnapshotFile(file, { storeId, headPosition: await store.headPosition() });
  if (load.outcome !== 'loaded')
    throw new Error(`the bench snapshot was not loaded: ${JSON.stringify(load)}`);
  const loadMs = now() - start;
  const restored = load.snapshot.model;
  const aggregates = new CurrentRateAggregates(restored);
  new DuplicateIndex(restored);
  const runner = new ProjectionRunner(store, restored);
  await runner.start();
  rateTable(restored, today, aggregates);
  const ms = now() - start;
  const cpu = process.cpuUsage(cpuBefore);
  await runner.stop();
  const rssGrowthMiB = round((process.memoryUsage().rss - rssBefore) / 2 ** 20);
  rmSync(file, { force: true });
  if (restored.eventCount !== model.eventCount)
    throw new Error(`restored ${restored.eventCount} events, folded ${model.eventCount}`);
  const settings = {
    events: restored.eventCount,
    snapshotBytes: written.bytes,
    writeMs: written.milliseconds,
    readAndParseMs: round(loadMs, 1),
    cpuMs: round((cpu.user + cpu.system) / 1000, 1),
    rssGrowthMiB,
    what: 'loadSnapshotFile + CurrentRateAggregates + DuplicateIndex + runner caught up + first current rate table',
  };
  return [
    {
      part: 'rebuild',
      name: 'start-up from a snapshot (API path, no tail)',
      value: round(ms),
      unit: 'ms',
      target: '≤ 2,000',
      met: ms <= 2_000,
      settings,
    },
    {
      part: 'rebuild',
      name: 'snapshot write (chunked, fsync, rename)',
      value: written.milliseconds,
      unit: 'ms',
      settings: { events: written.events, bytes: written.bytes },
    },
  ];
}

/** Between phases (not inside a measurement): drop the previous phase's garbage if --expose-gc. */
function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/** Garbage-collection pauses while `fn` runs: how much of a latency tail is the collector. */
async function withGcPauses<T>(
  fn: () => T,
): Promise<{ result: T; gcPauses: number; gcTotalMs: number; gcMaxMs: number }> {
  const pauses: number[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) pauses.push(entry.duration);
  });
  observer.observe({ entryTypes: ['gc'] });
  const result = fn();
  // gc entries are delivered asynchronously, after the synchronous runs.
  await new Promise((resolve) => setTimeout(resolve, 100));
  observer.disconnect();
  return {
    result,
    gcPauses: pauses.length,
    gcTotalMs: round(
      pauses.reduce((a, b) => a + b, 0),
      1,
    ),
    gcMaxMs: round(Math.max(0, ...pauses), 1),
  };
}

function rawScan(file: string, pageSize: number): number {
  const db = new Database(file, { readonly: true });
  try {
    const select = db.prepare(`SELECT ${COLUMNS} FROM events WHERE position > ? ORDER BY position LIMIT ?`);
    let count = 0;
    let checksum = 0;
    for (let after = 0; ;) {
      const rows = select.all(after, pageSize) as { position: number; data: string; metadata: string }[];
      if (rows.length === 0) break;
      for (const row of rows) {
        const data = JSON.parse(row.data) as object | null;
        const metadata = JSON.parse(row.metadata) as { recordedAt: string };
        checksum += (data ? 1 : 0) + metadata.recordedAt.length;
      }
      count += rows.length;
      after = rows[rows.length - 1].position;
    }
    if (checksum === 0 && count > 0)
      throw new Error('unreachable: keeps the parse from being optimised away');
    return count;
  } finally {
    db.close();
  }
}

function todayInChina(): string {
  return new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
}

async function runQueries(
  model: LifecycleReadModel,
  aggregates: CurrentRateAggregates,
  options: RebuildOptions,
  historySettings: Record<string, unknown>,
): Promise<Measurement[]> {
  const current: RateQuery = { scope: 'zone', asOf: todayInChina() };
  const currentRows = rateTable(model, current, aggregates).rows.length;
  // Computed every time (computeRateTable), as the first query after an event is; the current
  // table is also timed as the API answers it between events: the table kept for that position.
  const series = async (query: RateQuery, runs: number, warmup: number, kept = false) => {
    collectGarbage();
    const answer = kept ? rateTable : computeRateTable;
    const { result, ...gc } = await withGcPauses(() =>
      timeRuns(() => answer(model, query, aggregates), runs, warmup),
    );
    return { ...summarise(result), ...gc };
  };
  const currentStats = await series(current, options.currentRuns, 20);
  const keptStats = await series(current, options.currentRuns, 20, true);
  const historical: RateQuery = {
    scope: 'zone',
    asOf: options.historicalAsOf,
    knownAt: options.historicalKnownAt,
  };
  // The known-at index is built on the first query as known at K: timed once, then the series.
  const indexStart = now();
  computeRateTable(model, historical, aggregates);
  const indexBuildMs = round(now() - indexStart, 1);
  const index = { indexBuildMs, ...knownAtRatesOf(model).size };
  const historicalStats = await series(historical, options.historicalRuns, 2);
  collectGarbage();
  const { result: scanRuns, ...scanGc } = await withGcPauses(() =>
    timeRuns(() => computeRateTable(model, historical, null), options.historicalRuns, 2),
  );
  const scanStats = { ...summarise(scanRuns), ...scanGc };
  const asOfOnly: RateQuery = { scope: 'zone', asOf: options.historicalAsOf };
  const asOfStats = await series(asOfOnly, options.historicalRuns, 2);
  const base = {
    events: model.eventCount,
    projects: model.projects.size,
    zones: model.zones.size,
    rows: currentRows,
  };
  const currentSettings = {
    ...base,
    query: current,
    path: 'incremental (CurrentRateAggregates), no knownAt',
    ...currentStats,
  };
  const historicalSettings = {
    ...base,
    query: historical,
    path: 'known-at index (KnownAtRates): the changes recorded on the shorter side of K',
    ...index,
    ...historicalStats,
    scan: scanStats,
  };
  const asOfSettings = {
    ...base,
    query: asOfOnly,
    ...asOfStats,
  };
  void historySettings;
  return [
    {
      part: 'queries',
      name: 'current rate table (zone, today), computed: p50',
      value: currentStats.p50Ms,
      unit: 'ms',
      settings: currentSettings,
    },
    {
      part: 'queries',
      name: 'current rate table (zone, today), computed: p99',
      value: currentStats.p99Ms,
      unit: 'ms',
      settings: currentSettings,
    },
    {
      part: 'queries',
      name: 'current rate table (zone, today), kept between events: p50 / p99',
      value: keptStats.p50Ms,
      unit: `ms / ${keptStats.p99Ms} ms`,
      // issue 17's target (the first benchmark asked for 5 ms): what a repeated dashboard query costs
      target: 'p99 ≤ 2',
      met: keptStats.p99Ms <= 2,
      settings: {
        ...currentSettings,
        ...keptStats,
        path: 'rateTable: the table kept for the model position',
      },
    },
    {
      part: 'queries',
      name: `as of ${historical.asOf}, known at ${historical.knownAt?.slice(0, 10)} p50`,
      value: historicalStats.p50Ms,
      unit: 'ms',
      settings: historicalSettings,
    },
    {
      part: 'queries',
      name: `as of ${historical.asOf}, known at ${historical.knownAt?.slice(0, 10)} p99`,
      value: historicalStats.p99Ms,
      unit: 'ms',
      target: '≤ 50',
      met: historicalStats.p99Ms <= 50,
      settings: historicalSettings,
    },
    {
      part: 'queries',
      name: `as of ${historical.asOf}, known at ${historical.knownAt?.slice(0, 10)}: the scan it replaces, p99`,
      value: scanStats.p99Ms,
      unit: 'ms',
      settings: {
        ...base,
        query: historical,
        path: 'scan (computeRateTable(model, query, null))',
        ...scanStats,
      },
    },
    {
      part: 'queries',
      name: `as of ${asOfOnly.asOf} (no knownAt) p99`,
      value: asOfStats.p99Ms,
      unit: 'ms',
      settings: asOfSettings,
    },
  ];
}
