import { copyFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { INestApplication } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { EMBEDDED_STORE_FILE } from '@app/event-store';
import { createApp } from '../../apps/api/src/bootstrap';
import { ensureHistory } from '../lib/history';
import { Measurement } from '../lib/report';
import { round, summarise } from '../lib/stats';
import { runInChild } from '../lib/workers';
import type { ContentionResult, ContentionScenario } from './contention-load.child';
import { BENCH_SECRET, benchApiConfig } from '../lib/api-config';

export interface ContentionOptions {
  scratchDir: string;
  cacheDir: string;
  /** The history the API starts on (the adversarial run's scale: 20,000 projects, ~67k events). */
  events: number;
  zones: number;
  projects: number;
  readers: number;
  writers: number;
  durationSeconds: number;
}

export const DEFAULT_CONTENTION_OPTIONS: Omit<ContentionOptions, 'scratchDir' | 'cacheDir'> = {
  events: 67_000,
  zones: 100,
  projects: 20_000,
  readers: 50,
  writers: 2,
  durationSeconds: 20,
};

const WORKER = join(__dirname, 'contention-load.child.ts');
const loadAverage = () => os.loadavg().map((load) => round(load, 2));

/**
 * Issue 14: expensive reads must not stall writes. The API (in this process, embedded SQLite,
 * rate limits off so that every read reaches the server) on a province-scale history with one
 * issued notification; in a child process, 50 callers loop over verification, preview (JSON,
 * XLSX) and stalled lists while 2 writers sign projects. First the writers alone, then with
 * the readers.
 */
export async function runContention(options: ContentionOptions): Promise<Measurement[]> {
  const history = await ensureHistory(
    options.cacheDir,
    { events: options.events, zones: options.zones, projects: options.projects, seed: 14 },
    (line) => console.log(`  ${line}`),
  );
  const dataDir = join(options.scratchDir, 'contention-data');
  mkdirSync(dataDir, { recursive: true });
  copyFileSync(history.file, join(dataDir, EMBEDDED_STORE_FILE));
  const config = benchApiConfig(dataDir);
  const app: INestApplication = await createApp(config);
  await app.listen(0, '127.0.0.1');
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  try {
    const jwt = new JwtService({ secret: BENCH_SECRET });
    const bearer = (role: string, sub: string) =>
      `Bearer ${jwt.sign({ role, zones: [], cities: [] }, { subject: sub, algorithm: 'HS256', expiresIn: '1h' })}`;
    const admin = bearer('admin', 'admin-bench');
    const post = async (path: string, body: object) => {
      const response = await fetch(`${url}/api/v1${path}`, {
        method: 'POST',
        headers: { authorization: admin, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      if (response.status !== 201)
        throw new Error(`POST ${path}: ${response.status} ${await response.text()}`);
    };
    const month = '2025-12';
    await post('/zones', {
      id: 'contention-zone',
      name: '争用测试开发区',
      cityId: 'city-0',
      category: 'industrial',
      level: 'provincial',
    });
    await post('/notifications', { month });
    const scenario = (idPrefix: string, readers: number, durationSeconds: number): ContentionScenario => ({
      url,
      writerBearer: admin,
      readerBearers: Array.from({ length: readers }, (_, i) => bearer('auditor', `auditor-bench-${i}`)),
      zoneId: 'contention-zone',
      month,
      idPrefix,
      writers: options.writers,
      durationSeconds,
    });
    // Warm-up: the worker thread starts and folds its model once.
    await runInChild<ContentionResult>(WORKER, scenario('warm', 4, 5));
    const loadBefore = loadAverage();
    const alone = await runInChild<ContentionResult>(WORKER, scenario('alone', 0, 10));
    const contended = await runInChild<ContentionResult>(
      WORKER,
      scenario('contended', options.readers, options.durationSeconds),
    );
    const loadAfter = loadAverage();
    const writesAlone = summarise(alone.writeLatenciesMs);
    const writes = summarise(contended.writeLatenciesMs);
    const reads = summarise(contended.readLatenciesMs);
    const settings = {
      history: { events: history.events, projects: history.projects, zones: history.zones },
      readers: options.readers,
      writers: options.writers,
      durationSeconds: options.durationSeconds,
      readMix: 'verification, preview JSON, stalled lists, preview XLSX (each reader its own caller)',
      rateLimits: 'off (every read reaches the server)',
      loadAverageBefore: loadBefore,
      loadAverageAfter: loadAfter,
      writeStatuses: contended.writeStatuses,
      readStatuses: contended.readStatuses,
      writesAlone: { ...writesAlone, statuses: alone.writeStatuses },
      writes,
      reads,
    };
    return [
      {
        part: 'contention',
        name: 'writes alone: latency p99',
        value: writesAlone.p99Ms,
        unit: 'ms',
        settings,
      },
      {
        part: 'contention',
        name: `writes with ${options.readers} expensive readers: latency p50`,
        value: writes.p50Ms,
        unit: 'ms',
        settings,
      },
      {
        part: 'contention',
        name: `writes with ${options.readers} expensive readers: latency p99`,
        value: writes.p99Ms,
        unit: 'ms',
        target: '< 100',
        met: writes.p99Ms < 100,
        settings,
      },
      {
        part: 'contention',
        name: `writes with ${options.readers} expensive readers: count`,
        value: writes.runs,
        unit: 'writes',
        settings,
      },
      {
        part: 'contention',
        name: 'expensive reads answered: latency p50',
        value: reads.p50Ms,
        unit: 'ms',
        settings,
      },
      { part: 'contention', name: 'expensive reads answered', value: reads.runs, unit: 'reads', settings },
    ];
  } finally {
    await app.close();
  }
}
