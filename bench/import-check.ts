/**
 * `runImport` in-process on a fresh SQLite file (no HTTP, no projections): a 10,000-row CSV,
 * then the same file again (nothing to write). Prints both times as JSON. Runs on another
 * checkout of the repo too, to compare the two back to back on a shared machine:
 *   node --expose-gc --require <checkout>/test/support/register-ts.js bench/import-check.ts
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TrackerCommands } from '@app/application';
import { roundStreamId, zoneStreamId } from '@app/domain';
import { NewEvent, SqliteEventStore } from '@app/event-store';
import { ImportEnvironment, runImport } from '@app/import';
import { SheetValues, csvOf } from '@app/import/testing';

const ROWS = Number(process.env.ROWS ?? 10_000);
const ZONES = ['bench-zone-0', 'bench-zone-1', 'bench-zone-2'];
const BATCHES = ['签约', '开工', '投产'] as const;

const fact = (type: string, data: unknown): NewEvent => ({
  id: randomUUID(),
  type,
  schemaVersion: 1,
  data,
  metadata: {
    recordedAt: '2024-01-01T00:00:00.000Z',
    recordedBy: 'bench',
    source: { kind: 'api' },
    correlationId: 'c',
    causationId: 'c',
  },
});

/** The rows of `npm run bench -- import` (bench/parts/import.ts). */
function benchRow(i: number): SheetValues {
  const batch = BATCHES[i % 3];
  const day = String(1 + (i % 28)).padStart(2, '0');
  const row: SheetValues = {
    projectId: `csv-${i}`,
    name: `csv项目${i}`,
    enterprise: `山西csv企业${i}有限公司`,
    zone: ZONES[i % ZONES.length],
    totalInvestmentWan: 10_000 + i,
    industrial: '是',
    strategicEmerging: i % 4 === 0 ? '是' : '否',
    roundId: 'bench-2024-r1',
    batch,
    signedOn: `2024-01-${day}`,
  };
  if (batch !== '签约') row.constructionStartedOn = `2024-02-${day}`;
  if (batch === '投产') {
    row.statisticsEnteredOn = '2024-02-29';
    row.productionStartedOn = `2024-03-${String(1 + (i % 14)).padStart(2, '0')}`;
    if (i % 2 === 0) row.attainedOn = '2024-03-15';
  }
  return row;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'plt-import-check-'));
  const store = SqliteEventStore.open({ file: join(dir, 'events.sqlite') });
  try {
    for (const [i, id] of ZONES.entries()) {
      const zone = {
        id,
        name: `开发区 ${i}`,
        cityId: `city-${i}`,
        category: 'industrial',
        level: 'provincial',
      };
      await store.append(zoneStreamId(id), [fact('ZoneRegistered', zone)], 'no_stream');
    }
    await store.append(
      roundStreamId('bench-2024-r1'),
      [fact('RoundRegistered', { id: 'bench-2024-r1', heldOn: '2024-03-15' })],
      'no_stream',
    );
    const clock = { now: () => new Date('2024-06-30T02:00:00.000Z') };
    // Both shapes: this branch's (`commands`) and the one before the shared command path.
    const environment = {
      commands: new TrackerCommands(store, { clock, utcOffsetMinutes: 480 }),
      store,
      caller: { sub: 'bench', role: 'admin', zones: [], cities: [] },
      clock,
      utcOffsetMinutes: 480,
    } as ImportEnvironment;
    const file = {
      name: 'bench.csv',
      bytes: await csvOf(Array.from({ length: ROWS }, (_, i) => benchRow(i))),
    };
    const timed = async () => {
      global.gc?.();
      const started = performance.now();
      const summary = await runImport(file, environment);
      return { seconds: (performance.now() - started) / 1000, events: summary.events };
    };
    const first = await timed();
    const again = await timed();
    console.log(JSON.stringify({ rows: ROWS, first, again }));
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
