import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { INestApplication } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { ImportRow, parseRows, readSpreadsheet } from '@app/import';
import { createApp } from '../../apps/api/src/bootstrap';
import { SheetValues, csvOf, xlsxOf } from '@app/import/testing';
import { Measurement } from '../lib/report';
import { round } from '../lib/stats';
import { BENCH_SECRET, benchApiConfig } from '../lib/api-config';

export interface ImportBenchOptions {
  scratchDir: string;
  /** Rows of the imported file (the limit). */
  rows: number;
  /** Rows sent one request at a time over HTTP (the same commands an import row implies). */
  httpRows: number;
}

export const DEFAULT_IMPORT_OPTIONS: Omit<ImportBenchOptions, 'scratchDir'> = {
  rows: 10_000,
  httpRows: 1_000,
};

const ZONES = ['bench-zone-0', 'bench-zone-1', 'bench-zone-2'];
const BATCHES = ['签约', '开工', '投产'] as const;

/** A 台账 row: a third of each batch, milestones up to entry above scale for production rows. */
function benchRow(prefix: string, i: number): SheetValues {
  const batch = BATCHES[i % 3];
  const day = String(1 + (i % 28)).padStart(2, '0');
  const row: SheetValues = {
    projectId: `${prefix}-${i}`,
    name: `${prefix}项目${i}`,
    enterprise: `山西${prefix}企业${i}有限公司`,
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

const rowsOf = (prefix: string, count: number) =>
  Array.from({ length: count }, (_, i) => benchRow(prefix, i));

/**
 * The API in this process (same bootstrap as `npm start`, fresh SQLite file). (a) A 10,000-row
 * CSV and the same rows as XLSX (other project ids) through `POST /api/v1/imports`: upload,
 * parse, check every row, one atomic append, wait for the projections. (b) The same commands
 * for `httpRows` rows sent one by one (sequential awaits) as the API's own write requests.
 */
export async function runImportBench(options: ImportBenchOptions): Promise<Measurement[]> {
  const dataDir = join(options.scratchDir, 'import-data');
  mkdirSync(dataDir, { recursive: true });
  const config = benchApiConfig(dataDir);
  const previousNodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'test';
  let app: INestApplication;
  try {
    app = await createApp(config);
  } finally {
    process.env.NODE_ENV = previousNodeEnv;
  }
  await app.listen(0, '127.0.0.1');
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  try {
    const admin = `Bearer ${new JwtService({ secret: BENCH_SECRET }).sign({ role: 'admin', zones: [], cities: [] }, { subject: 'bench', algorithm: 'HS256', expiresIn: '1h' })}`;
    const post = async (path: string, body: object) => {
      const response = await fetch(`${url}/api/v1${path}`, {
        method: 'POST',
        headers: { authorization: admin, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      if (response.status !== 201)
        throw new Error(`POST ${path}: ${response.status} ${await response.text()}`);
    };
    for (const [i, id] of ZONES.entries()) {
      await post('/zones', {
        id,
        name: `开发区 ${i}`,
        cityId: `city-${i}`,
        category: 'industrial',
        level: 'provincial',
      });
    }
    await post('/rounds', { id: 'bench-2024-r1', heldOn: '2024-03-15' });

    const upload = async (file: Buffer, name: string, expected = 201) => {
      const form = new FormData();
      form.append('file', new Blob([file]), name);
      const started = performance.now();
      const response = await fetch(`${url}/api/v1/imports`, {
        method: 'POST',
        headers: { authorization: admin },
        body: form,
      });
      const body = (await response.json()) as { events: number; rows: number };
      const seconds = (performance.now() - started) / 1000;
      if (response.status !== expected)
        throw new Error(`import ${name}: ${response.status} ${JSON.stringify(body)}`);
      return { seconds, events: body.events, rows: body.rows, bytes: file.length };
    };
    const csv = await upload(await csvOf(rowsOf('csv', options.rows)), 'bench.csv');
    const xlsx = await upload(await xlsxOf(rowsOf('xlsx', options.rows)), 'bench.xlsx');
    const again = await upload(await csvOf(rowsOf('csv', options.rows)), 'bench.csv', 200);

    // (b) the commands of each row, one request at a time
    const parsed = parseRows(await readSpreadsheet(await csvOf(rowsOf('http', options.httpRows)))).rows;
    let requests = 0;
    const started = performance.now();
    for (const row of parsed) {
      for (const [path, body] of commandsOf(row)) {
        await post(path, body);
        requests++;
      }
    }
    const httpSeconds = (performance.now() - started) / 1000;
    const httpRowsPerSecond = options.httpRows / httpSeconds;
    const csvRowsPerSecond = csv.rows / csv.seconds;
    const xlsxRowsPerSecond = xlsx.rows / xlsx.seconds;
    const settings = {
      server: 'in-process createApp, 127.0.0.1, embedded SQLite (WAL, synchronous=FULL)',
      rows: options.rows,
      mix: 'a third of the rows in each batch; sign, 0–4 milestones, listing: ≈ 3.5 events per row',
    };
    return [
      {
        part: 'import',
        name: `POST /imports, ${options.rows} rows CSV`,
        value: round(csvRowsPerSecond),
        unit: 'rows/s',
        target: '≥ 5,000',
        met: csvRowsPerSecond >= 5000,
        settings: { ...settings, seconds: round(csv.seconds, 3), events: csv.events, bytes: csv.bytes },
      },
      {
        part: 'import',
        name: `POST /imports, ${options.rows} rows XLSX`,
        value: round(xlsxRowsPerSecond),
        unit: 'rows/s',
        target: '≥ 5,000',
        met: xlsxRowsPerSecond >= 5000,
        settings: { ...settings, seconds: round(xlsx.seconds, 3), events: xlsx.events, bytes: xlsx.bytes },
      },
      {
        part: 'import',
        name: `the same CSV again (0 events)`,
        value: round(again.rows / again.seconds),
        unit: 'rows/s',
        settings: { ...settings, seconds: round(again.seconds, 3), events: again.events },
      },
      {
        part: 'import',
        name: `same commands one by one over HTTP (${options.httpRows} rows)`,
        value: round(httpRowsPerSecond),
        unit: 'rows/s',
        settings: {
          rows: options.httpRows,
          requests,
          seconds: round(httpSeconds, 3),
          client: 'fetch, sequential awaits, keep-alive',
        },
      },
      {
        part: 'import',
        name: 'CSV import vs one by one over HTTP',
        value: round(csvRowsPerSecond / httpRowsPerSecond, 2),
        unit: '×',
        target: '≥ 5',
        met: csvRowsPerSecond / httpRowsPerSecond >= 5,
        settings: {},
      },
      {
        part: 'import',
        name: 'XLSX import vs one by one over HTTP',
        value: round(xlsxRowsPerSecond / httpRowsPerSecond, 2),
        unit: '×',
        target: '≥ 5',
        met: xlsxRowsPerSecond / httpRowsPerSecond >= 5,
        settings: {},
      },
    ];
  } finally {
    await app.close();
  }
}

/** The API requests that record what one row states, in the order the import records it. */
function commandsOf(row: ImportRow): [string, object][] {
  const id = encodeURIComponent(row.projectId!);
  const requests: [string, object][] = [
    [
      '/projects',
      {
        projectId: row.projectId,
        name: row.name,
        enterprise: row.enterprise,
        zoneId: row.zone,
        totalInvestmentWan: row.totalInvestmentWan,
        industrial: row.industrial,
        strategicEmerging: row.strategicEmerging ?? false,
        signedOn: row.signedOn,
      },
    ],
  ];
  for (const [milestone, occurredOn] of Object.entries(row.milestones)) {
    requests.push([`/projects/${id}/milestones`, { milestone, occurredOn }]);
  }
  requests.push([`/projects/${id}/listings`, { roundId: row.roundId, batch: row.batch }]);
  return requests;
}
