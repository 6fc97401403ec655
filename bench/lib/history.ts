import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteEventStore } from '@app/event-store';

/**
 * A national-scale history written straight into a SqliteEventStore file: zones, quarterly
 * rounds and ~100k projects over three years (signing, listings in each batch, milestones,
 * cumulative investment progress, corrections, amendments, terminations), interleaved in
 * recorded-time order like a real log. Deterministic (seeded), so the cached file is the same
 * history every time; event ids are random UUIDs.
 *
 * Writing is setup, not measurement: rows go in directly with better-sqlite3 in large
 * transactions with synchronous=OFF, into the schema SqliteEventStore creates.
 */
export interface HistoryOptions {
  events: number;
  zones: number;
  projects: number;
  seed: number;
  /**
   * Also the facts issue 10 added, at the density a zone's 台账 has them: planned dates on
   * signing (85 %), a change of plan with a reason (10 %), an annual investment plan for each
   * year from signing to production, and obstacles (问题协调) on a fifth of the projects
   * (half updated, most resolved).
   */
  planning?: boolean;
}

export const NATIONAL_HISTORY: HistoryOptions = {
  events: 1_000_000,
  zones: 100,
  projects: 110_000,
  seed: 20231,
};

export interface HistoryFile {
  file: string;
  events: number;
  projects: number;
  zones: number;
  rounds: number;
  cached: boolean;
  generationMs?: number;
  fileBytes?: number;
}

const VERSION = 1;
const DAY_MS = 86_400_000;
const START = Date.parse('2023-01-01T00:00:00Z');
/** The last effective day of the history (2025-12-31). */
const LAST_DAY = 1095;

interface Pending {
  stream: number;
  type: string;
  data: unknown;
  by: string;
  reason?: string;
  imported?: boolean;
}

/** mulberry32: a small seeded PRNG. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Draws {
  random: () => number;
  between: (low: number, high: number) => number;
}

function draws(seed: number): Draws {
  const random = prng(seed);
  return { random, between: (low, high) => low + Math.floor(random() * (high - low + 1)) };
}

const dateOf = (day: number): string => new Date(START + day * DAY_MS).toISOString().slice(0, 10);
const monthOf = (day: number): string => dateOf(day).slice(0, 7);

export function historyFileName(options: HistoryOptions): string {
  const planning = options.planning ? '-planning' : '';
  return `history-v${VERSION}-${options.events}e-${options.zones}z-${options.projects}p-s${options.seed}${planning}.sqlite`;
}

/** Opens the cached history or generates it. */
export async function ensureHistory(
  cacheDir: string,
  options: HistoryOptions,
  log: (line: string) => void,
): Promise<HistoryFile> {
  mkdirSync(cacheDir, { recursive: true });
  const file = join(cacheDir, historyFileName(options));
  if (existsSync(file)) {
    const db = new Database(file, { readonly: true });
    const counts = db
      .prepare(
        `SELECT COUNT(*) AS events,
                COUNT(DISTINCT CASE WHEN stream_id LIKE 'project-%' THEN stream_id END) AS projects,
                SUM(type = 'ZoneRegistered') AS zones, SUM(type = 'RoundRegistered') AS rounds FROM events`,
      )
      .get() as { events: number; projects: number; zones: number; rounds: number };
    db.close();
    if (counts.events === options.events) return { file, ...counts, cached: true };
    log(`cached history ${file} has ${counts.events} events, not ${options.events}: regenerating`);
    rmSync(file, { force: true });
  }
  const started = Date.now();
  const partial = `${file}.partial`;
  for (const suffix of ['', '-wal', '-shm']) rmSync(partial + suffix, { force: true });
  // The store creates the schema (and WAL mode); then bulk rows go in directly.
  const store = SqliteEventStore.open({ file: partial });
  await store.close();
  let written: ReturnType<typeof writeHistory>;
  try {
    written = writeHistory(partial, options, log);
  } catch (error) {
    for (const suffix of ['', '-wal', '-shm']) rmSync(partial + suffix, { force: true });
    throw error;
  }
  renameSync(partial, file);
  for (const suffix of ['-wal', '-shm']) rmSync(partial + suffix, { force: true });
  return { file, ...written, cached: false, generationMs: Date.now() - started };
}

/** Each project's annual investment plans and obstacles (`HistoryOptions.planning`). */
function planningFacts(
  signed: number,
  construction: number,
  last: number,
  wan: number,
  fact: (day: number, type: string, data: object, extra?: Partial<Pending>) => boolean,
  { random, between }: Draws,
): void {
  // A plan for each year from signing to the last milestone, set in the year's first weeks (or at signing).
  const firstYear = Number(dateOf(signed).slice(0, 4));
  const lastYear = Number(dateOf(Math.min(LAST_DAY, last + 365)).slice(0, 4));
  for (let year = firstYear; year <= lastYear; year++) {
    const yearStart = Math.round((Date.UTC(year, 0, 1) - START) / DAY_MS);
    const day = Math.max(signed, yearStart + between(5, 40));
    const plannedInvestmentWan = Math.max(1, Math.floor((wan * between(15, 45)) / 100));
    fact(day, 'AnnualInvestmentPlanned', { year, plannedInvestmentWan });
    if (random() < 0.1)
      fact(
        day + between(90, 180),
        'AnnualInvestmentPlanned',
        { year, plannedInvestmentWan: Math.floor(plannedInvestmentWan * 0.8), reason: '年中调整' },
        { reason: '年中调整' },
      );
  }
  if (random() >= 0.2) return;
  // An obstacle raised while the project waits to start (or after it started), followed to closure.
  const obstacleId = 'o1';
  const raised = (construction > 0 ? construction : signed) + between(20, 120);
  const categories = ['land', 'permits', 'funding', 'energy', 'environment', 'other'];
  const recorded = fact(raised, 'ObstacleRecorded', {
    obstacleId,
    raisedOn: dateOf(raised),
    category: categories[between(0, categories.length - 1)],
    description: '用地手续未办结',
    responsibleUnit: '自然资源局',
    measures: '专班推进',
  });
  if (!recorded) return;
  if (random() < 0.5)
    fact(
      raised + between(10, 60),
      'ObstacleUpdated',
      { obstacleId, changes: { measures: '市级协调会督办' }, reason: '升级协调' },
      { reason: '升级协调' },
    );
  if (random() < 0.7) {
    const resolved = raised + between(61, 240);
    fact(resolved, 'ObstacleResolved', { obstacleId, resolvedOn: dateOf(resolved), resolution: '已办结' });
  }
}

function writeHistory(
  file: string,
  options: HistoryOptions,
  log: (line: string) => void,
): { events: number; projects: number; zones: number; rounds: number } {
  const { random, between } = draws(options.seed);
  // Drawn from a stream of their own, so the other facts are the same with or without them.
  const planning = options.planning ? draws(options.seed + 1) : undefined;
  const streams: string[] = [];
  // Events bucketed by the day they were recorded; a bucket keeps generation order.
  const byDay: Pending[][] = [];
  const record = (day: number, event: Pending) => (byDay[day] ??= []).push(event);

  const zoneIds: string[] = [];
  for (let z = 0; z < options.zones; z++) {
    const id = `zone-${String(z).padStart(3, '0')}`;
    zoneIds.push(id);
    const stream = streams.push(`zone-${id}`) - 1;
    const category = z % 7 === 5 ? 'agricultural' : z % 7 === 6 ? 'cultural-tourism' : 'industrial';
    record(0, {
      stream,
      type: 'ZoneRegistered',
      data: {
        id,
        name: `开发区${z}`,
        cityId: `city-${z % 11}`,
        category,
        level: z % 5 === 0 ? 'national' : 'provincial',
      },
      by: 'admin',
    });
  }
  const rounds: { id: string; day: number }[] = [];
  for (let k = 0; k * 91 + 50 <= LAST_DAY; k++) {
    const day = k * 91 + 50;
    const id = `round-${dateOf(day)}`;
    rounds.push({ id, day });
    const stream = streams.push(`round-${id}`) - 1;
    record(Math.max(0, day - 20), {
      stream,
      type: 'RoundRegistered',
      data: { id, heldOn: dateOf(day) },
      by: 'admin',
    });
  }
  const roundFrom = (day: number) => rounds.find((round) => round.day >= day);

  for (let p = 0; p < options.projects; p++) {
    const projectId = `p${String(p).padStart(6, '0')}`;
    const stream = streams.push(`project-${projectId}`) - 1;
    const zone = p % options.zones;
    const by = `officer-${zone}`;
    const industrial = random() < 0.75;
    const wan = between(2_000, 800_000);
    const signed = between(0, 1000);
    // [effective day, event] in lifecycle order; recorded days follow.
    const facts: [number, Omit<Pending, 'stream' | 'by'>][] = [];
    const fact = (day: number, type: string, data: object, extra: Partial<Pending> = {}) => {
      if (day <= LAST_DAY) facts.push([day, { type, data: { projectId, ...data }, ...extra }]);
      return day <= LAST_DAY;
    };
    const list = (day: number, batch: string) => {
      const round = roundFrom(day);
      if (round)
        fact(
          round.day,
          'ProjectListed',
          { roundId: round.id, heldOn: dateOf(round.day), batch },
          { imported: true },
        );
    };
    const planned = planning !== undefined && planning.random() < 0.85;
    const plannedStart = planned ? signed + planning.between(30, 180) : 0;
    const plannedProduction = planned ? plannedStart + planning.between(180, 540) : 0;
    fact(signed, 'ProjectSigned', {
      zoneId: zoneIds[zone],
      name: `项目${p}`,
      enterprise: `企业${p % 40_000}`,
      totalInvestmentWan: wan,
      industrial,
      strategicEmerging: random() < 0.3,
      signedOn: dateOf(signed),
      ...(planned
        ? { plannedStartOn: dateOf(plannedStart), plannedProductionOn: dateOf(plannedProduction) }
        : {}),
    });
    if (planned && planning.random() < 0.1) {
      const delayed = plannedProduction + planning.between(60, 240);
      fact(
        signed + planning.between(60, 240),
        'PlannedDatesSet',
        { plannedProductionOn: dateOf(delayed), reason: '设备到货推迟' },
        { reason: '设备到货推迟' },
      );
    }
    if (random() < 0.95) list(signed, 'signing');
    let last = signed;
    let construction = -1;
    if (random() < 0.8) {
      construction = signed + between(20, 200);
      if (fact(construction, 'ConstructionStarted', { occurredOn: dateOf(construction) })) {
        last = construction;
        if (random() < 0.9) list(construction, 'construction');
        if (random() < 0.75) {
          const statistics = construction + between(30, 120);
          if (fact(statistics, 'StatisticsEntered', { occurredOn: dateOf(statistics) }))
            last = Math.max(last, statistics);
        }
        if (random() < 0.65) {
          const production = construction + between(60, 400);
          if (fact(production, 'ProductionStarted', { occurredOn: dateOf(production) })) {
            last = Math.max(last, production);
            if (random() < 0.85) list(production, 'production');
            if (industrial && random() < 0.6) {
              const attained = production + between(60, 300);
              if (fact(attained, 'DesignOutputAttained', { occurredOn: dateOf(attained) }))
                last = Math.max(last, attained);
            }
            if (industrial && random() < 0.5) {
              const above = production + between(30, 365);
              if (fact(above, 'EnterpriseEnteredAboveScale', { occurredOn: dateOf(above) }))
                last = Math.max(last, above);
            }
          }
        }
        // Cumulative completed investment every two months after construction starts.
        let completed = 0;
        for (let q = 1; q <= 8; q++) {
          const day = construction + q * 61;
          completed = Math.min(wan, completed + between(1, Math.max(1, Math.floor(wan / 6))));
          fact(day, 'InvestmentProgressReported', { month: monthOf(day), completedInvestmentWan: completed });
        }
        if (random() < 0.06) {
          // Noticed a month or two later: construction really started a few days earlier.
          const corrected = Math.max(signed, construction - between(1, 10));
          fact(
            construction + between(30, 60),
            'MilestoneDateCorrected',
            {
              milestone: 'construction-started',
              occurredOn: dateOf(corrected),
              previousOccurredOn: dateOf(construction),
              reason: '台账录入错误',
            },
            { reason: '台账录入错误' },
          );
        }
      }
    }
    if (planning) planningFacts(signed, construction, last, wan, fact, planning);
    if (random() < 0.03) {
      fact(
        signed + between(30, 300),
        'ProjectAmended',
        { changes: { totalInvestmentWan: wan + 1_000 }, reason: '投资调整' },
        { reason: '投资调整' },
      );
    }
    if (random() < 0.02) {
      const terminated = last + between(30, 200);
      fact(
        terminated,
        'ProjectTerminated',
        { occurredOn: dateOf(terminated), reason: '企业退出' },
        { reason: '企业退出' },
      );
    }
    facts.sort((a, b) => a[0] - b[0]);
    let recorded = 0;
    for (const [day, event] of facts) {
      recorded = Math.max(recorded, day + between(0, 15));
      record(recorded, { stream, by, ...event });
    }
  }

  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  const insert = db.prepare(
    `INSERT INTO events (stream_id, revision, event_id, type, schema_version, data, metadata)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  const revisions = new Int32Array(streams.length).fill(-1);
  const written = { events: 0, projects: 0, zones: 0, rounds: 0 };
  const counted = new Uint8Array(streams.length);
  let batch: [Pending, number][] = [];
  const flush = db.transaction((rows: [Pending, number][]) => {
    for (const [event, recordedAt] of rows) {
      const revision = ++revisions[event.stream];
      const requestId = randomUUID();
      const metadata = {
        recordedAt: new Date(recordedAt).toISOString(),
        recordedBy: event.by,
        role: event.by === 'admin' ? 'admin' : 'officer',
        source: event.imported
          ? { kind: 'import', file: 'listing.xlsx', row: written.events % 5000 }
          : { kind: 'api', requestId },
        ...(event.reason ? { reason: event.reason } : {}),
        correlationId: requestId,
        causationId: requestId,
      };
      insert.run(
        streams[event.stream],
        revision,
        randomUUID(),
        event.type,
        1,
        JSON.stringify(event.data),
        JSON.stringify(metadata),
      );
      if (!counted[event.stream]) {
        counted[event.stream] = 1;
        if (event.type === 'ZoneRegistered') written.zones++;
        else if (event.type === 'RoundRegistered') written.rounds++;
        else written.projects++;
      }
      written.events++;
    }
  });
  outer: for (let day = 0; day < byDay.length; day++) {
    const events = byDay[day] ?? [];
    const spacing = Math.floor(DAY_MS / Math.max(events.length, 4_320));
    for (let i = 0; i < events.length; i++) {
      if (written.events + batch.length >= options.events) break outer;
      // Spread over the day (20 s apart unless the day is busier): recorded times increase with position.
      batch.push([events[i], START + day * DAY_MS + i * spacing]);
      if (batch.length === 50_000) {
        flush(batch);
        batch = [];
        log(`  history: ${written.events.toLocaleString('en-US')} events written`);
      }
    }
  }
  flush(batch);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  if (written.events < options.events) {
    throw new Error(`the generator made only ${written.events} events for ${options.events}; raise projects`);
  }
  return written;
}
