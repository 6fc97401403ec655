/**
 * The command path in-process on a fresh SQLite file (no HTTP, no projections): the HTTP
 * part's mix (sign a project, then record its construction start) through TrackerCommands by
 * an officer of 10 zones, 20 writers at a time. Prints the CPU time per write and the wall
 * time as JSON. Runs on another checkout of the repo too, to compare the two back to back on
 * a shared machine (CPU time is what the load changes least):
 *   node --require <checkout>/test/support/register-ts.js bench/command-check.ts
 * With STREAMS=long each writer instead reports its own project's monthly investment, one
 * month after another (streams of WRITES / 20 events, each write on a longer history).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Caller, CommandContext, SystemClock, TrackerCommands } from '@app/application';
import { SqliteEventStore } from '@app/event-store';

const WRITES = Number(process.env.WRITES ?? 6_000);
const WRITERS = 20;
const ZONES = Array.from({ length: 10 }, (_, i) => `bench-zone-${i}`);

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'command-check-'));
  const store = SqliteEventStore.open({ file: join(dir, 'events.sqlite') });
  try {
    const commands = new TrackerCommands(store, { clock: new SystemClock(), utcOffsetMinutes: 480 });
    const context = (caller: Caller, n: number): CommandContext => ({
      caller,
      requestId: `r-${n}`,
      correlationId: `r-${n}`,
      requestHash: `h-${n}`,
    });
    const admin: Caller = { sub: 'admin', role: 'admin', zones: [], cities: [] };
    for (const [i, id] of ZONES.entries()) {
      await commands.registerZone(
        { id, name: `开发区 ${i}`, cityId: `city-${i}`, category: 'industrial', level: 'provincial' },
        context(admin, -1 - i),
      );
    }
    const officer: Caller = { sub: 'officer', role: 'officer', zones: ZONES, cities: [] };
    let next = 0;
    const signed = (n: number) => ({
      type: 'SignProject' as const,
      data: {
        projectId: `p-${n}`,
        name: `年产10万吨新材料项目 ${n}`,
        enterprise: '山西某新材料有限公司',
        zoneId: ZONES[n % ZONES.length],
        totalInvestmentWan: 10_000 + n,
        industrial: n % 3 !== 0,
        signedOn: '2000-01-01',
      },
    });
    const longWriter = async (w: number) => {
      await commands.executeProject(signed(w), context(officer, w));
      for (let k = 0; k < WRITES / WRITERS; k++) {
        const month = `${2000 + Math.floor(k / 12)}-${String(1 + (k % 12)).padStart(2, '0')}`;
        await commands.executeProject(
          {
            type: 'ReportInvestmentProgress',
            data: { projectId: `p-${w}`, month, completedInvestmentWan: 10 * (k + 1) },
          },
          context(officer, w * 10_000 + k),
        );
      }
    };
    const writer = async () => {
      while (next < WRITES) {
        const n = next;
        next += 2;
        const projectId = `p-${n}`;
        await commands.executeProject(signed(n), context(officer, n));
        await commands.executeProject(
          {
            type: 'RecordMilestone',
            data: { projectId, milestone: 'construction-started', occurredOn: '2024-04-01' },
          },
          context(officer, n + 1),
        );
      }
    };
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    const long = process.env.STREAMS === 'long';
    await Promise.all(Array.from({ length: WRITERS }, (_, w) => (long ? longWriter(w) : writer())));
    const wallMs = performance.now() - started;
    const cpu = process.cpuUsage(cpuBefore);
    console.log(
      JSON.stringify({
        streams: long ? 'long' : 'short',
        writes: WRITES,
        writers: WRITERS,
        cpuMsPerWrite: Number(((cpu.user + cpu.system) / 1000 / WRITES).toFixed(4)),
        wallMs: Math.round(wallMs),
        writesPerSecond: Math.round((WRITES / wallMs) * 1000),
      }),
    );
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
