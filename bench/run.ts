/**
 * `npm run bench [-- store http rebuild queries reads notification relay import console contention startup]`: measures the tracker on
 * this machine
 * in one run and writes bench/results/<timestamp>.json and bench/results/latest.json.
 * Not part of `npm test`. See bench/README.md.
 */
import { mkdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { BENCH_DIR, ensureBenchDependencies } from './lib/bench-deps';
import { machineInfo, packageVersions } from './lib/machine';
import { Measurement, Skipped, printTable, writeResults } from './lib/report';

const PARTS = [
  'store',
  'http',
  'rebuild',
  'queries',
  'reads',
  'notification',
  'relay',
  'import',
  'console',
  'contention',
  'startup',
] as const;
type Part = (typeof PARTS)[number];

function selectedParts(args: string[]): Part[] {
  const wanted = args.filter((arg) => !arg.startsWith('-'));
  if (wanted.length === 0) return [...PARTS];
  const unknown = wanted.filter((arg) => !(PARTS as readonly string[]).includes(arg));
  if (unknown.length > 0) {
    throw new Error(`unknown part(s) ${unknown.join(', ')}; choose from ${PARTS.join(' ')}`);
  }
  return PARTS.filter((part) => wanted.includes(part));
}

async function main(): Promise<void> {
  const parts = selectedParts(process.argv.slice(2));
  // The import, console, contention, reads and startup parts need none of the bench-only packages (autocannon, Emmett, sqlite3).
  const needsNoBenchPackages = new Set<Part>(['import', 'console', 'contention', 'reads', 'startup']);
  if (parts.some((part) => !needsNoBenchPackages.has(part))) ensureBenchDependencies();
  const startedAt = new Date();
  const resultsDir = join(BENCH_DIR, 'results');
  const scratchDir = join(resultsDir, 'tmp', `run-${process.pid}-${startedAt.getTime()}`);
  mkdirSync(scratchDir, { recursive: true });
  const machine = machineInfo(scratchDir);
  console.log(
    `bench: ${parts.join(', ')} on ${machine.cpus.count}× ${machine.cpus.model}, ` +
      `${machine.memory.totalGiB} GiB, ${machine.platform} ${machine.release}, node ${machine.node}, ` +
      `SQLite ${machine.sqlite.betterSqlite3} (${machine.scratchFilesystem}), load ${machine.loadAverage.join(' ')}`,
  );
  const measurements: Measurement[] = [];
  const skipped: Skipped[] = [];
  const failures: { part: string; error: string }[] = [];
  const run = async (part: Part, body: () => Promise<Measurement[] | Skipped>) => {
    console.log(`bench: ${part}…`);
    try {
      const outcome = await body();
      if (Array.isArray(outcome)) {
        measurements.push(...outcome);
        for (const m of outcome) console.log(`  ${m.name}: ${m.value} ${m.unit}`);
      } else {
        skipped.push(outcome);
        console.log(`  skipped: ${outcome.reason}`);
      }
    } catch (error) {
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      failures.push({ part, error: message });
      console.error(`bench: ${part} failed: ${message}`);
    }
  };
  try {
    if (parts.includes('store')) {
      const { runStore, DEFAULT_STORE_OPTIONS } = await import('./parts/store');
      await run('store', () => runStore({ ...DEFAULT_STORE_OPTIONS, scratchDir }));
      const { runPostgresStore, DEFAULT_POSTGRES_STORE_OPTIONS } = await import('./parts/store-postgres');
      await run('store', () => runPostgresStore(DEFAULT_POSTGRES_STORE_OPTIONS));
    }
    if (parts.includes('http')) {
      const { runHttp, DEFAULT_HTTP_OPTIONS } = await import('./parts/http');
      await run('http', () => runHttp({ ...DEFAULT_HTTP_OPTIONS, scratchDir }));
    }
    if (parts.includes('rebuild') || parts.includes('queries')) {
      const { runRebuildAndQueries, DEFAULT_REBUILD_OPTIONS } = await import('./parts/rebuild');
      const cacheDir = join(resultsDir, 'cache');
      await run(parts.includes('rebuild') ? 'rebuild' : 'queries', () =>
        runRebuildAndQueries({
          ...DEFAULT_REBUILD_OPTIONS,
          cacheDir,
          rebuild: parts.includes('rebuild'),
          queries: parts.includes('queries'),
        }),
      );
    }
    if (parts.includes('reads')) {
      const { runReads, DEFAULT_READS_OPTIONS } = await import('./parts/reads');
      await run('reads', () =>
        runReads({ ...DEFAULT_READS_OPTIONS, scratchDir, cacheDir: join(resultsDir, 'cache') }),
      );
    }
    if (parts.includes('notification')) {
      const { runNotification, DEFAULT_NOTIFICATION_OPTIONS } = await import('./parts/notification');
      await run('notification', () =>
        runNotification({ ...DEFAULT_NOTIFICATION_OPTIONS, cacheDir: join(resultsDir, 'cache') }),
      );
    }
    if (parts.includes('relay')) {
      const { runRelay, DEFAULT_RELAY_OPTIONS } = await import('./parts/relay');
      await run('relay', () => runRelay({ ...DEFAULT_RELAY_OPTIONS, scratchDir }));
    }
    if (parts.includes('import')) {
      const { runImportBench, DEFAULT_IMPORT_OPTIONS } = await import('./parts/import');
      await run('import', () => runImportBench({ ...DEFAULT_IMPORT_OPTIONS, scratchDir }));
    }
    if (parts.includes('console')) {
      const { runConsole, DEFAULT_CONSOLE_OPTIONS } = await import('./parts/console');
      await run('console', () => runConsole({ ...DEFAULT_CONSOLE_OPTIONS, scratchDir }));
    }
    if (parts.includes('contention')) {
      const { runContention, DEFAULT_CONTENTION_OPTIONS } = await import('./parts/contention');
      await run('contention', () =>
        runContention({ ...DEFAULT_CONTENTION_OPTIONS, scratchDir, cacheDir: join(resultsDir, 'cache') }),
      );
    }
    if (parts.includes('startup')) {
      const { runStartup, DEFAULT_STARTUP_OPTIONS } = await import('./parts/startup');
      await run('startup', () =>
        runStartup({ ...DEFAULT_STARTUP_OPTIONS, scratchDir, cacheDir: join(resultsDir, 'cache') }),
      );
    }
  } finally {
    rmSync(scratchDir, { recursive: true, force: true });
  }
  const finishedAt = new Date();
  printTable(measurements, skipped);
  const files = writeResults(resultsDir, startedAt, {
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    parts,
    machine: { ...machine, loadAverageAtEnd: os.loadavg().map((load) => Math.round(load * 100) / 100) },
    packages: packageVersions(),
    measurements,
    skipped,
    failures,
  });
  console.log(`bench: wrote ${files.join(' and ')}`);
  if (failures.length > 0) {
    console.error(`bench: ${failures.map((f) => f.part).join(', ')} failed (see above)`);
    process.exitCode = 1;
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
