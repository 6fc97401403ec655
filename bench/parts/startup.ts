import { ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { JwtService } from '@nestjs/jwt';
import { EMBEDDED_STORE_FILE } from '@app/event-store';
import { SNAPSHOT_FILE } from '@app/projections';
import { BENCH_SECRET, freePort, spawnApiChild } from '../lib/api-config';
import { HistoryOptions, NATIONAL_HISTORY, ensureHistory } from '../lib/history';
import { Measurement, Skipped } from '../lib/report';
import { round } from '../lib/stats';

export interface StartupOptions {
  scratchDir: string;
  cacheDir: string;
  history: HistoryOptions;
  /** Starts from the log and from the snapshot, alternated, after the first that writes it. */
  rounds: number;
}

export const DEFAULT_STARTUP_OPTIONS: Omit<StartupOptions, 'scratchDir' | 'cacheDir'> = {
  history: NATIONAL_HISTORY,
  rounds: 2,
};

const TARGET_MS = 2_000;

interface Start {
  kind: 'log' | 'snapshot';
  /** Spawn → GET /api/v1/health/ready answered 200. */
  readyMs: number;
  rssMiB: number;
  cpuMs: number | null;
  loadAverage: number[];
  snapshot: Record<string, unknown>;
}

/**
 * `npm start`'s API in its own process on the 1M-event store: spawn → ready (caught up, live),
 * folding the whole log (PROJECTION_SNAPSHOT_EVERY=0) or loading DATA_DIR's snapshot, alternated;
 * RSS and the process's CPU time once ready.
 */
export async function runStartup(options: StartupOptions): Promise<Measurement[] | Skipped> {
  const history = await ensureHistory(options.cacheDir, options.history, (line) => console.log(line));
  const dataDir = join(options.scratchDir, 'startup');
  mkdirSync(dataDir, { recursive: true });
  copyFileSync(history.file, join(dataDir, EMBEDDED_STORE_FILE));
  // The first start folds the log and writes the snapshot on shutdown.
  const first = await startOnce(dataDir, 'log', {});
  const starts: Start[] = [];
  for (let i = 0; i < options.rounds; i++) {
    starts.push(await startOnce(dataDir, 'snapshot', {}));
    starts.push(await startOnce(dataDir, 'log', { PROJECTION_SNAPSHOT_EVERY: '0' }));
  }
  const snapshotBytes = statSync(join(dataDir, SNAPSHOT_FILE)).size;
  const of = (kind: Start['kind']) => starts.filter((start) => start.kind === kind);
  const worst = (list: Start[]) => Math.max(...list.map((start) => start.readyMs));
  const settings = (list: Start[]) => ({
    events: history.events,
    projects: history.projects,
    snapshotBytes,
    runs: list.map(({ readyMs, rssMiB, cpuMs, loadAverage, snapshot }) => ({
      readyMs,
      rssMiB,
      cpuMs,
      loadAverage,
      snapshot,
    })),
    firstStart: { readyMs: first.readyMs, rssMiB: first.rssMiB, loadAverage: first.loadAverage },
    what: 'spawn the API (HEAVY_READS=worker) → GET /api/v1/health/ready 200; RSS from /proc once ready',
  });
  const fromSnapshot = of('snapshot');
  const fromLog = of('log');
  return [
    {
      part: 'startup',
      name: 'API on the 1M-event store, start → ready, from the snapshot (worst run)',
      value: worst(fromSnapshot),
      unit: 'ms',
      target: `≤ ${TARGET_MS.toLocaleString('en-US')}`,
      met: worst(fromSnapshot) <= TARGET_MS,
      settings: settings(fromSnapshot),
    },
    {
      part: 'startup',
      name: 'same: RSS once ready, from the snapshot (worst run)',
      value: Math.max(...fromSnapshot.map((start) => start.rssMiB)),
      unit: 'MiB',
      target: '≤ 1,024',
      met: Math.max(...fromSnapshot.map((start) => start.rssMiB)) <= 1_024,
      settings: settings(fromSnapshot),
    },
    {
      part: 'startup',
      name: 'API on the 1M-event store, start → ready, folding the whole log (worst run)',
      value: worst(fromLog),
      unit: 'ms',
      settings: settings(fromLog),
    },
  ];
}

async function startOnce(dataDir: string, kind: Start['kind'], env: NodeJS.ProcessEnv): Promise<Start> {
  const port = await freePort();
  const loadBefore = os.loadavg();
  const started = performance.now();
  const child = spawnApiChild(dataDir, port, env);
  const url = `http://127.0.0.1:${port}`;
  try {
    await until(child, async () => (await fetch(`${url}/api/v1/health/ready`)).status === 200);
    const readyMs = round(performance.now() - started);
    const token = new JwtService({ secret: BENCH_SECRET }).sign(
      { role: 'admin', zones: [], cities: [] },
      { subject: 'bench', algorithm: 'HS256', expiresIn: '10m' },
    );
    const health = (await (
      await fetch(`${url}/api/v1/health`, { headers: { Authorization: `Bearer ${token}` } })
    ).json()) as { projections: { snapshot: Record<string, unknown> } };
    const { source, position, tailEvents, ignored } = health.projections.snapshot;
    const result: Start = {
      kind,
      readyMs,
      rssMiB: rssMiB(child.pid as number),
      cpuMs: cpuMs(child.pid as number),
      loadAverage: loadBefore.map((load) => round(load, 2)),
      snapshot: { source, position, tailEvents, ...(ignored ? { ignored } : {}) },
    };
    console.log(
      `  start (${kind}): ready in ${readyMs} ms, RSS ${result.rssMiB} MiB, load ${result.loadAverage.join(' ')}`,
    );
    if (source !== kind)
      throw new Error(
        `expected a start from the ${kind}, health says ${JSON.stringify(health.projections.snapshot)}`,
      );
    return result;
  } finally {
    await stop(child);
  }
}

async function until(child: ChildProcess, ready: () => Promise<boolean>): Promise<void> {
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the API exited with ${child.exitCode}`);
    try {
      if (await ready()) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** SIGTERM, and the exit (the shutdown writes the snapshot). */
async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  return round(kib / 1024);
}

/** The process's user + system CPU time so far (/proc/<pid>/stat, clock ticks of 10 ms). */
function cpuMs(pid: number): number | null {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ');
  if (!fields) return null;
  return (Number(fields[11]) + Number(fields[12])) * 10;
}
