/**
 * Scratch A/B (not part of the bench): two APIs on the bench's history, one serving build A, one
 * build B (CONSOLE_DIR); alternating cold loads of the dashboard; paint, main-thread CPU and a
 * trace summary per load.
 *
 * node --require ./test/support/register-ts.js bench/parts/console-ab.ts <dirA> <dirB> [rounds] [path]
 */
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { JwtService } from '@nestjs/jwt';
import type { Browser } from 'playwright-core';
import { EMBEDDED_STORE_FILE } from '@app/event-store';
import { launchChromium } from '../../test/support/console-browser';
import { BENCH_SECRET, freePort, spawnApiChild } from '../lib/api-config';
import { ensureHistory } from '../lib/history';
import { PAINT_PROBE } from './console';

const [dirA, dirB, roundsArg, pathArg] = process.argv.slice(2);
const rounds = Number(roundsArg ?? 4);
const path = pathArg ?? '/dashboard?scope=zone';
const units = path.includes('zone') ? 100 : 11;
const scratch = '/tmp/s4c/scratch';

const PROBE = PAINT_PROBE(units);

async function startApi(dataDir: string, consoleDir: string) {
  const port = await freePort();
  const child = spawnApiChild(dataDir, port, { CONSOLE_DIR: consoleDir });
  const url = `http://127.0.0.1:${port}`;
  for (;;) {
    try {
      if ((await fetch(`${url}/api/v1/health`)).ok) break;
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const jwt = new JwtService({ secret: BENCH_SECRET });
  const admin = `Bearer ${jwt.sign({ role: 'admin', zones: [], cities: [] }, { subject: 'a', algorithm: 'HS256', expiresIn: '1h' })}`;
  await fetch(`${url}/api/v1/accounts`, {
    method: 'POST',
    headers: { authorization: admin, 'content-type': 'application/json' },
    body: JSON.stringify({
      username: 'province',
      password: 'province-password',
      role: 'auditor',
      displayName: '省发改委',
    }),
  });
  return { url, child };
}

interface TraceEvent {
  name: string;
  cat: string;
  ph: string;
  dur?: number;
  ts: number;
  pid: number;
  tid: number;
  args?: { name?: string; data?: { url?: string; frame?: string } };
}

/** Top-level main-thread time by event name until the paint, and the total. */
function summariseTrace(events: TraceEvent[]): Record<string, number> {
  const threads = events.filter((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  const busy = (t: TraceEvent) =>
    events
      .filter((e) => e.pid === t.pid && e.tid === t.tid && e.ph === 'X')
      .reduce((s, e) => s + (e.dur ?? 0), 0);
  const thread = threads.sort((a, b) => busy(b) - busy(a))[0];
  if (!thread) return {};
  const main = events.filter((e) => e.pid === thread.pid && e.tid === thread.tid && e.ph === 'X' && e.dur);
  const byName: Record<string, number> = {};
  // Self time per event name (children subtracted), over the whole load.
  main.sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));
  const stack: { end: number; name: string; child: number; dur: number }[] = [];
  const close = (until: number) => {
    while (stack.length && stack[stack.length - 1].end <= until) {
      const done = stack.pop()!;
      byName[done.name] = (byName[done.name] ?? 0) + (done.dur - done.child) / 1000;
    }
  };
  for (const event of main) {
    close(event.ts);
    if (stack.length) stack[stack.length - 1].child += event.dur!;
    stack.push({ end: event.ts + event.dur!, name: event.name, child: 0, dur: event.dur! });
  }
  close(Infinity);
  return byName;
}

async function loadOnce(browser: Browser, url: string, trace: string | undefined) {
  const context = await browser.newContext({
    baseURL: url,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    viewport: { width: 1366, height: 900 },
  });
  await context.request.post('/api/v1/session', {
    data: { username: 'province', password: 'province-password' },
    headers: { Origin: url },
  });
  const page = await context.newPage();
  await page.addInitScript(PROBE);
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
  if (trace)
    await browser.startTracing(page, {
      categories: [
        'devtools.timeline',
        'v8',
        'v8.execute',
        'disabled-by-default-devtools.timeline',
        'blink.user_timing',
      ],
    });
  if (trace) {
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
    await cdp.send('Profiler.start');
  }
  const before = (await cdp.send('Performance.getMetrics')).metrics;
  await page.goto(path);
  const paint = (await page.evaluate('window.__meaningfulPaint')) as number;
  const after = (await cdp.send('Performance.getMetrics')).metrics;
  const metric = (list: { name: string; value: number }[], name: string) =>
    list.find((m) => m.name === name)?.value ?? 0;
  const cpu = (metric(after, 'TaskDuration') - metric(before, 'TaskDuration')) * 1000;
  const script = (metric(after, 'ScriptDuration') - metric(before, 'ScriptDuration')) * 1000;
  const layout = (metric(after, 'LayoutDuration') - metric(before, 'LayoutDuration')) * 1000;
  const style = (metric(after, 'RecalcStyleDuration') - metric(before, 'RecalcStyleDuration')) * 1000;
  const timings = (await page.evaluate(`(() => {
    const entries = performance.getEntriesByType('resource');
    const rates = entries.find((e) => e.name.includes('/api/v1/rates'));
    const scripts = entries.filter((e) => e.name.endsWith('.js'));
    return { ratesSent: rates.startTime, ratesDone: rates.responseEnd, scripts: Math.max(...scripts.map((e) => e.responseEnd)), n: scripts.length };
  })()`)) as { ratesSent: number; ratesDone: number; scripts: number; n: number };
  let top: Record<string, number> = {};
  if (trace) {
    const { profile } = await cdp.send('Profiler.stop');
    writeFileSync(trace.replace('trace-', 'profile-'), JSON.stringify(profile));
    const buffer = await browser.stopTracing();
    writeFileSync(trace, buffer);
    top = summariseTrace(JSON.parse(buffer.toString()).traceEvents as TraceEvent[]);
  }
  await context.close();
  return { paint, cpu, script, layout, style, ...timings, top };
}

async function main() {
  const history = await ensureHistory(
    join(scratch, 'history'),
    { events: 47_637, zones: 100, projects: 5_000, seed: 20231 },
    (line) => console.log(line),
  );
  const apis = [];
  for (const [name, dir] of [
    ['A', dirA],
    ['B', dirB],
  ]) {
    const dataDir = join(scratch, `data-${name}-${process.pid}`);
    mkdirSync(dataDir, { recursive: true });
    copyFileSync(history.file, join(dataDir, EMBEDDED_STORE_FILE));
    apis.push({ name, ...(await startApi(dataDir, dir)) });
  }
  const browser = await launchChromium();
  const results: Record<string, Awaited<ReturnType<typeof loadOnce>>[]> = { A: [], B: [] };
  try {
    for (const api of apis) await loadOnce(browser, api.url, undefined); // warm-up
    for (let round = 0; round < rounds; round++) {
      for (const api of round % 2 ? [...apis].reverse() : apis) {
        const traced = round === rounds - 1 || round === rounds - 2;
        const result = await loadOnce(
          browser,
          api.url,
          traced ? `/tmp/s4c/trace-${api.name}-${round}.json` : undefined,
        );
        results[api.name].push(result);
        console.log(
          `${api.name} round ${round}: paint ${result.paint.toFixed(0)} cpu ${result.cpu.toFixed(0)} (script ${result.script.toFixed(0)}, layout ${result.layout.toFixed(0)}, style ${result.style.toFixed(0)}) scripts ${result.scripts.toFixed(0)} (${result.n}) rates ${result.ratesSent.toFixed(0)}→${result.ratesDone.toFixed(0)} load ${os.loadavg()[0].toFixed(2)}`,
        );
      }
    }
  } finally {
    await browser.close();
    for (const api of apis) api.child.kill('SIGTERM');
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  for (const name of ['A', 'B']) {
    const list = results[name];
    console.log(
      `${name}: paint median ${median(list.map((r) => r.paint)).toFixed(0)} max ${Math.max(...list.map((r) => r.paint)).toFixed(0)}; cpu median ${median(list.map((r) => r.cpu)).toFixed(0)}; script ${median(list.map((r) => r.script)).toFixed(0)}`,
    );
    const top: Record<string, number[]> = {};
    for (const r of list) for (const [k, v] of Object.entries(r.top)) (top[k] ??= []).push(v);
    const rows = Object.entries(top)
      .map(([k, v]) => [k, v.reduce((a, b) => a + b, 0) / v.length] as const)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 14);
    for (const [k, v] of rows) console.log(`   ${k.padEnd(40)} ${v.toFixed(1)} ms`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
