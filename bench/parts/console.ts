import { ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { JwtService } from '@nestjs/jwt';
import type { Browser, BrowserContext } from 'playwright-core';
import { EMBEDDED_STORE_FILE } from '@app/event-store';
import {
  CHROMIUM,
  chromiumAvailable,
  ensureConsoleBuilt,
  launchChromium,
} from '../../test/support/console-browser';
import { BENCH_SECRET, freePort, spawnApiChild } from '../lib/api-config';
import { ensureHistory } from '../lib/history';
import { Measurement, Skipped } from '../lib/report';
import { round, summarise } from '../lib/stats';

export interface ConsoleOptions {
  scratchDir: string;
  zones: number;
  projects: number;
  /** Page loads per scope and cache state. */
  runs: number;
}

export const DEFAULT_CONSOLE_OPTIONS: Omit<ConsoleOptions, 'scratchDir'> = {
  zones: 100,
  projects: 5_000,
  runs: 15,
};

const USER = {
  username: 'province',
  password: 'province-password',
  role: 'auditor',
  displayName: '省发改委',
};
const PAINT_TARGET_MS = 1_000;
const SCRIPT_BUDGET_BYTES = 600 * 1024;

/**
 * Resolves `window.__meaningfulPaint` with performance.now() (ms since navigation start) at the
 * first frame where the rate table has one row per unit and the five rate charts are drawn
 * (a canvas each, and ECharts' aria description, which it writes when it renders the data).
 */
export const PAINT_PROBE = (units: number) => `
  window.__meaningfulPaint = new Promise((resolve) => {
    const drawn = () =>
      document.querySelectorAll('[data-testid="rate-start"]').length >= ${units} &&
      ['start', 'production', 'statisticsEntry', 'attainment', 'aboveScale'].every((rate) => {
        const chart = document.querySelector('[data-testid="chart-' + rate + '"]');
        return chart && chart.getAttribute('aria-label') && chart.querySelector('canvas');
      });
    const observer = new MutationObserver(() => {
      if (!drawn()) return;
      observer.disconnect();
      requestAnimationFrame(() => resolve(performance.now()));
    });
    observer.observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['aria-label'] });
  });`;

interface Load {
  paintMs: number;
  /** The `/rates` request: sent → last byte, as the browser saw it. */
  ratesMs: number;
  /** Its time to first byte (the API's work plus loopback). */
  ratesWaitMs: number;
  ratesBytes: number;
  /** navigation start → the `/rates` request sent, and → its last byte. */
  ratesSentMs: number;
  ratesDoneMs: number;
  /** navigation start → the last script of the first page loaded. */
  scriptsDoneMs: number;
  /** The scripts' bytes as they crossed the wire (the API sends the build's brotli copies). */
  scriptsSentBytes: number;
  scripts: Map<string, Buffer>;
}

/** The API in its own process (console-api.child.ts), on a copy of the generated history. */
async function startApi(dataDir: string): Promise<{ url: string; child: ChildProcess; startMs: number }> {
  const port = await freePort();
  const started = Date.now();
  const child = spawnApiChild(dataDir, port);
  const url = `http://127.0.0.1:${port}`;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the API exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/api/v1/health`)).ok) return { url, child, startMs: Date.now() - started };
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function signedInContext(browser: Browser, url: string): Promise<BrowserContext> {
  const context = await browser.newContext({
    baseURL: url,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    viewport: { width: 1366, height: 900 },
  });
  const response = await context.request.post('/api/v1/session', {
    data: { username: USER.username, password: USER.password },
    headers: { Origin: url },
  });
  if (!response.ok()) throw new Error(`sign-in: ${response.status()} ${await response.text()}`);
  return context;
}

async function load(context: BrowserContext, path: string, units: number): Promise<Load> {
  const page = await context.newPage();
  const scripts = new Map<string, Buffer>();
  // Bodies are read while the page is open and awaited before it closes: one asked for after
  // (a chunk the page requests when idle, just as the paint is measured) is gone, and its
  // rejection ended a whole bench run.
  const bodies: Promise<void>[] = [];
  let closing = false;
  const unread: string[] = [];
  page.on('response', (response) => {
    if (response.request().resourceType() !== 'script') return;
    bodies.push(
      response.body().then(
        (body) => void scripts.set(response.url(), body),
        (error: Error) => void (closing || unread.push(`${response.url()}: ${error.message}`)),
      ),
    );
  });
  await page.addInitScript(PAINT_PROBE(units));
  await page.goto(path);
  const paintMs = (await page.evaluate('window.__meaningfulPaint')) as number;
  const timings = (await page.evaluate(`(() => {
    const entries = performance.getEntriesByType('resource');
    const rates = entries.find((e) => e.name.includes('/api/v1/rates'));
    const scripts = entries.filter((e) => e.initiatorType === 'script' || e.name.endsWith('.js'));
    return {
      ratesMs: rates.responseEnd - rates.startTime,
      ratesWaitMs: rates.responseStart - rates.requestStart,
      ratesBytes: rates.encodedBodySize,
      ratesSentMs: rates.startTime,
      ratesDoneMs: rates.responseEnd,
      scriptsDoneMs: Math.max(...scripts.map((e) => e.responseEnd)),
      scriptsSentBytes: scripts.reduce((sum, e) => sum + e.encodedBodySize, 0),
    };
  })()`)) as Omit<Load, 'paintMs' | 'scripts'>;
  await Promise.all(bodies);
  if (unread.length) throw new Error(`script bodies not readable: ${unread.join('; ')}`);
  closing = true;
  await page.close();
  return { paintMs, ...timings, scripts };
}

/**
 * First meaningful paint of the dashboard (issue 13: ≤ 1 s with 100 zones and 5,000 projects on
 * loopback) in Debian's Chromium through playwright-core, against the API in its own process on
 * a generated history; and the JavaScript the first page transfers (≤ 600 KB gzipped).
 */
export async function runConsole(options: ConsoleOptions): Promise<Measurement[] | Skipped> {
  if (!chromiumAvailable()) return { part: 'console', reason: `${CHROMIUM} not found` };
  ensureConsoleBuilt();
  const history = await ensureHistory(
    join(options.scratchDir, 'console-history'),
    // Every event the generator makes for 100 zones and 5,000 projects with this seed.
    { events: 47_637, zones: options.zones, projects: options.projects, seed: 20231 },
    (line) => console.log(line),
  );
  const dataDir = join(options.scratchDir, 'console-data');
  mkdirSync(dataDir, { recursive: true });
  copyFileSync(history.file, join(dataDir, EMBEDDED_STORE_FILE));
  const api = await startApi(dataDir);
  let browser: Browser | undefined;
  try {
    const jwt = new JwtService({ secret: BENCH_SECRET });
    const admin = `Bearer ${jwt.sign({ role: 'admin', zones: [], cities: [] }, { subject: 'bench-admin', algorithm: 'HS256', expiresIn: '1h' })}`;
    const created = await fetch(`${api.url}/api/v1/accounts`, {
      method: 'POST',
      headers: { authorization: admin, 'content-type': 'application/json' },
      body: JSON.stringify(USER),
    });
    if (created.status !== 201) throw new Error(`account: ${created.status} ${await created.text()}`);
    const cities = new Set<string>();
    for (let z = 0; z < options.zones; z++) cities.add(`city-${z % 11}`);
    browser = await launchChromium();
    const measurements: Measurement[] = [];
    const settings = {
      zones: options.zones,
      projects: history.projects,
      events: history.events,
      runs: options.runs,
      apiStartMs: api.startMs,
      chromium: browser.version(),
      viewport: '1366×900',
      loadAverageAtStart: os.loadavg().map((load) => round(load, 2)),
    };
    for (const [scope, units] of [
      ['zone', options.zones],
      ['city', cities.size],
    ] as const) {
      const path = scope === 'zone' ? '/dashboard?scope=zone' : '/dashboard';
      for (const cache of ['cold', 'warm'] as const) {
        const loads: Load[] = [];
        const warm = await signedInContext(browser, api.url);
        // One unmeasured load: the API's first answers and Chromium's code cache warm up.
        await load(warm, path, units);
        for (let run = 0; run < options.runs; run++) {
          if (cache === 'warm') {
            loads.push(await load(warm, path, units));
          } else {
            const cold = await signedInContext(browser, api.url);
            loads.push(await load(cold, path, units));
            await cold.close();
          }
        }
        await warm.close();
        const paint = summarise(loads.map((l) => l.paintMs));
        const rates = summarise(loads.map((l) => l.ratesMs));
        const wait = summarise(loads.map((l) => l.ratesWaitMs));
        const scripts = summarise(loads.map((l) => l.scriptsDoneMs));
        const sent = summarise(loads.map((l) => l.ratesSentMs));
        const answered = summarise(loads.map((l) => l.ratesDoneMs));
        // What the paint waited for: the scripts and the session before /rates, the API, then React and ECharts.
        const render = summarise(loads.map((l) => l.paintMs - l.ratesDoneMs));
        const detail = {
          ...settings,
          scope,
          units,
          cache,
          paint,
          ratesRequest: rates,
          ratesTimeToFirstByte: wait,
          ratesBodyBytes: loads[0].ratesBytes,
          scriptsLoaded: scripts,
          ratesSent: sent,
          ratesAnswered: answered,
          renderAfterRates: render,
          loadAverageAtEnd: os.loadavg().map((load) => round(load, 2)),
        };
        const label = `dashboard first meaningful paint (${scope === 'zone' ? `${units} zones` : `${units} cities`}, ${cache} cache)`;
        measurements.push(
          { part: 'console', name: `${label} p50`, value: paint.p50Ms, unit: 'ms', settings: detail },
          {
            part: 'console',
            name: `${label} p99`,
            value: paint.p99Ms,
            unit: 'ms',
            target: `≤ ${PAINT_TARGET_MS}`,
            met: paint.p99Ms <= PAINT_TARGET_MS,
            settings: detail,
          },
          {
            part: 'console',
            name: `  p50: scripts loaded, /rates sent, answered (time to first byte), painted`,
            value: scripts.p50Ms,
            unit: `ms, ${round(sent.p50Ms)}, ${round(answered.p50Ms)} (${round(wait.p50Ms)}), ${round(paint.p50Ms)} ms`,
            settings: detail,
          },
        );
        if (scope === 'zone' && cache === 'cold') {
          const bodies = [...loads[0].scripts.values()];
          const gzipped = bodies.reduce((sum, body) => sum + gzipSync(body).length, 0);
          const raw = bodies.reduce((sum, body) => sum + body.length, 0);
          measurements.push({
            part: 'console',
            name:
              `JavaScript of the first page (${bodies.length} scripts, ${Math.round(raw / 1024)} KB raw, ` +
              `${Math.round(loads[0].scriptsSentBytes / 1024)} KB sent), gzipped`,
            value: Math.round(gzipped / 1024),
            unit: 'KB',
            target: `≤ ${SCRIPT_BUDGET_BYTES / 1024}`,
            met: gzipped <= SCRIPT_BUDGET_BYTES && loads[0].scriptsSentBytes <= SCRIPT_BUDGET_BYTES,
            settings: {
              ...settings,
              scripts: [...loads[0].scripts.keys()].map((url) => new URL(url).pathname),
            },
          });
        }
      }
    }
    return measurements;
  } finally {
    await browser?.close();
    const exited = new Promise((resolve) => api.child.once('exit', resolve));
    api.child.kill('SIGTERM');
    await exited;
  }
}
