import ExcelJS from 'exceljs';
import { parseRows, readSpreadsheet } from '@app/import';
import { SheetValues, csvOf, xlsxOf } from '@app/import/testing';
import {
  ADMIN,
  AUDITOR,
  RunningApi,
  expectProblem,
  headPosition,
  seedReference,
  startApi,
} from './support/api-harness';
import { apiRequestsOf, sampleRow } from './support/import-rows';

const ZONE_IDS: Record<string, string> = { 介休经开区: 'jiexiu-jkq' };

/** What GET /projects/:id must show for a row read back from the file. */
async function expectStateMatchesFile(api: RunningApi, file: Buffer): Promise<void> {
  const { rows, issues } = parseRows(await readSpreadsheet(file));
  expect(issues).toEqual([]);
  for (const row of rows) {
    const response = await api.http
      .get(`/api/v1/projects/${row.projectId}`)
      .set('Authorization', api.bearer(AUDITOR));
    expect({ row: row.row, status: response.status }).toEqual({ row: row.row, status: 200 });
    const expected = {
      projectId: row.projectId,
      zoneId: ZONE_IDS[row.zone] ?? row.zone,
      name: row.name,
      enterprise: row.enterprise,
      totalInvestmentWan: row.totalInvestmentWan,
      industrial: row.industrial,
      strategicEmerging: row.strategicEmerging ?? false,
      signedOn: row.signedOn,
      milestones: row.milestones,
      listings: [{ roundId: row.roundId, heldOn: '2023-05-29', batch: row.batch }],
      ...(row.industryChain ? { industryChain: row.industryChain } : {}),
      ...(row.plannedStartOn ? { plannedStartOn: row.plannedStartOn } : {}),
    };
    expect({ row: row.row, project: response.body }).toEqual({
      row: row.row,
      project: expect.objectContaining(expected),
    });
  }
}

const upload = (api: RunningApi, bearer: string, file: Buffer, name: string, query = '') =>
  api.http.post(`/api/v1/imports${query}`).set('Authorization', bearer).attach('file', file, name);

describe('spreadsheet import (POST /api/v1/imports)', () => {
  let api: RunningApi;

  beforeAll(async () => {
    api = await startApi();
    await seedReference(api);
  });

  afterAll(() => api.close());

  it.each([
    ['xlsx', xlsxOf, '晋中开发区-2023第二批.xlsx'],
    ['csv', csvOf, '晋中开发区-2023第二批.csv'],
  ] as const)(
    'imports 300 rows of %s, the API shows each row, and the same file again records 0 events',
    async (kind, make, name) => {
      // given
      const rows = Array.from({ length: 300 }, (_, i) => sampleRow(kind, i));
      const file = await make(rows);
      const before = await headPosition(api);
      // when
      const response = await upload(api, api.bearer(ADMIN), file, name);
      // then
      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({
        file: name,
        rows: 300,
        projects: 300,
        dryRun: false,
        warnings: [],
      });
      const recorded = response.body.events as number;
      expect(recorded).toBe(
        response.body.results.reduce((sum: number, r: { events: string[] }) => sum + r.events.length, 0),
      );
      expect((await headPosition(api)) - before).toBe(recorded);
      await expectStateMatchesFile(api, file);
      const history = await api.http
        .get(`/api/v1/projects/${kind}-7/history`)
        .set('Authorization', api.bearer(ADMIN));
      expect(history.body.events[0].metadata).toMatchObject({
        recordedBy: 'admin-1',
        source: { kind: 'import', file: name, sha256: response.body.sha256, row: 10 },
        correlationId: response.body.importId,
      });

      // when the same file comes again
      const head = await headPosition(api);
      const again = await upload(api, api.bearer(ADMIN), file, name);
      // then
      expect(again.status).toBe(200);
      expect(again.body.events).toBe(0);
      expect(await headPosition(api)).toBe(head);
    },
    60_000,
  );

  it('writes nothing for a file with 3 bad rows among 300, and names all 3 rows and columns', async () => {
    // given
    const rows = Array.from({ length: 300 }, (_, i) => sampleRow('bad', i));
    rows[40] = { ...rows[40], constructionStartedOn: '2022-12-31' };
    rows[150] = { ...rows[150], totalInvestmentWan: '12.5万' };
    rows[299] = { ...rows[299], zone: '太原开发区' };
    const before = await headPosition(api);
    // when
    const response = await upload(api, api.bearer(ADMIN), await xlsxOf(rows), 'bad.xlsx');
    // then
    expectProblem(response, 400, { code: 'import-rejected' });
    expect(response.body.errors).toEqual([
      { row: 43, column: '开工日期', message: '开工日期早于签约日期 / construction start before signing' },
      { row: 153, column: '总投资（万元）', message: '须为整数万元 / must be a whole number of 万元' },
      {
        row: 302,
        column: '开发区',
        message: '未登记的开发区“太原开发区” / the zone "太原开发区" is not registered',
      },
    ]);
    expect(await headPosition(api)).toBe(before);
    const untouched = await api.http.get('/api/v1/projects/bad-0').set('Authorization', api.bearer(ADMIN));
    expect(untouched.status).toBe(404);
  }, 30_000);

  it('parses every date format of the template notes, in CSV text and in Excel date cells', async () => {
    // given
    const formats: [string | number | Date, string][] = [
      ['2023-05-29', '2023-05-29'],
      ['2023/5/29', '2023-05-29'],
      ['2023.5.29', '2023-05-29'],
      ['2023年5月29日', '2023-05-29'],
      ['２０２３／５／２８', '2023-05-28'],
      [' 2023-05-27 ', '2023-05-27'],
      [new Date(Date.UTC(2023, 4, 26)), '2023-05-26'],
      [45071, '2023-05-25'],
    ];
    const rows: SheetValues[] = formats.map(([typed], i) => ({
      projectId: `date-${i}`,
      name: `日期${i}`,
      enterprise: 'e',
      zone: 'jinzhong-kfq',
      totalInvestmentWan: '１，０００',
      industrial: 'y',
      roundId: '2023-r1',
      batch: '签约',
      signedOn: '2023-01-01',
      constructionStartedOn: typed,
    }));
    // when
    const response = await upload(api, api.bearer(ADMIN), await xlsxOf(rows), 'dates.xlsx');
    // then
    expect(response.status).toBe(201);
    for (const [i, [, expected]] of formats.entries()) {
      const project = await api.http
        .get(`/api/v1/projects/date-${i}`)
        .set('Authorization', api.bearer(ADMIN));
      expect([i, project.body.milestones['construction-started'], project.body.totalInvestmentWan]).toEqual([
        i,
        expected,
        1000,
      ]);
    }
  });

  it("refuses an officer's file with rows of another zone (403 naming them), and auditors", async () => {
    // given: an officer of 晋中 (both 晋中 zones); rows 4 and 6 are in 临汾
    const officer = api.bearer({ role: 'officer', sub: 'officer-jz', cities: ['jinzhong'] });
    const rows = Array.from({ length: 4 }, (_, i) => sampleRow('zone', i, ['jinzhong-kfq', 'linfen-kfq']));
    const file = await csvOf(rows);
    const before = await headPosition(api);
    // when
    const response = await upload(api, officer, file, 'zone.csv');
    // then
    expectProblem(response, 403, { code: 'forbidden' });
    expect(response.body.errors.map((e: { row: number; column: string }) => [e.row, e.column])).toEqual([
      [4, '开发区'],
      [6, '开发区'],
    ]);
    expect(response.body.detail).toContain('4, 6');
    expectProblem(await upload(api, api.bearer(AUDITOR), file, 'zone.csv'), 403);
    expect(await headPosition(api)).toBe(before);
    // and the officer's own rows alone import
    const own = await upload(api, officer, await csvOf(rows.filter((_, i) => i % 2 === 0)), 'own.csv');
    expect(own.status).toBe(201);
  });

  it('records what the API records for the same commands: the same events and data, only their source and correlation differ', async () => {
    // given: rows of every batch, with milestones up to entry above scale and optional cells
    const file = await csvOf(Array.from({ length: 6 }, (_, i) => sampleRow('same', i)));
    const { rows } = parseRows(await readSpreadsheet(file));
    const admin = api.bearer(ADMIN);
    // when: the file is imported, and the same commands are sent one by one for other project ids
    const imported = await upload(api, admin, file, 'same.csv');
    expect(imported.status).toBe(201);
    for (const row of rows) {
      for (const [path, body] of apiRequestsOf(row, `api-${row.projectId}`, ZONE_IDS)) {
        const response = await api.http.post(`/api/v1${path}`).set('Authorization', admin).send(body);
        expect({ path, status: response.status }).toEqual({ path, status: 201 });
      }
    }
    // then
    const facts = async (projectId: string) => {
      const history = await api.http.get(`/api/v1/projects/${projectId}/history`).set('Authorization', admin);
      return (
        history.body.events as { type: string; schemaVersion: number; data: object; metadata: object }[]
      ).map(({ type, schemaVersion, data, metadata }) => {
        const {
          recordedAt: _at,
          source,
          correlationId: _c,
          causationId: _k,
          ...who
        } = metadata as Record<string, unknown>;
        return {
          type,
          schemaVersion,
          data: { ...data, projectId: '…' },
          who,
          source: (source as { kind: string }).kind,
        };
      });
    };
    for (const row of rows) {
      const [viaImport, viaApi] = [await facts(row.projectId!), await facts(`api-${row.projectId}`)];
      expect(viaImport.length).toBeGreaterThanOrEqual(2);
      expect(viaImport.map(({ source: _s, ...fact }) => fact)).toEqual(
        viaApi.map(({ source: _s, ...fact }) => fact),
      );
      expect([
        ...new Set(viaImport.map((fact) => fact.source)),
        ...new Set(viaApi.map((fact) => fact.source)),
      ]).toEqual(['import', 'api']);
    }
  });

  it("refuses in an import what the API's command path refuses: a date before the programme began (PROGRAMME_START)", async () => {
    // given: the API runs with the default PROGRAMME_START, 2022-01-01
    const early = { ...sampleRow('early', 0), signedOn: '2021-12-20', constructionStartedOn: '2022-02-01' };
    const admin = api.bearer(ADMIN);
    const before = await headPosition(api);
    // when
    const imported = await upload(api, admin, await csvOf([early]), 'early.csv');
    const direct = await api.http
      .post('/api/v1/projects')
      .set('Authorization', admin)
      .send({
        ...apiRequestsOf(
          parseRows(await readSpreadsheet(await csvOf([early]))).rows[0],
          'early-api',
          ZONE_IDS,
        )[0][1],
      });
    // then: both refuse it by the same rule, and nothing is written
    expectProblem(direct, 400);
    expect(JSON.stringify(direct.body)).toContain('2021-12-20 is before the programme began (2022-01-01)');
    expectProblem(imported, 400, { code: 'import-rejected' });
    expect(imported.body.errors).toEqual([
      {
        row: 3,
        column: '签约日期',
        message:
          '日期 2021-12-20 早于“三个一批”活动开始（2022-01-01） / 2021-12-20 is before the programme began (2022-01-01)',
      },
    ]);
    expect(await headPosition(api)).toBe(before);
  });

  it('checks without writing on ?dryRun=true', async () => {
    const before = await headPosition(api);
    const response = await upload(
      api,
      api.bearer(ADMIN),
      await csvOf([sampleRow('dry', 2)]),
      'dry.csv',
      '?dryRun=true',
    );
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ dryRun: true, rows: 1, events: 6 });
    expect(await headPosition(api)).toBe(before);
  });

  it('warns per row as POST /projects warns (a recorded look-alike, an amount in 亿元), and records the file', async () => {
    // given: a project signed through the API
    await upload(api, api.bearer(ADMIN), await csvOf([sampleRow('warn', 1)]), 'first.csv').expect(201);
    const twin = { ...sampleRow('warn', 1), projectId: 'warn-twin' };
    const small = { ...sampleRow('warn', 2), totalInvestmentWan: 47 };
    // when
    const response = await upload(api, api.bearer(ADMIN), await csvOf([twin, small]), 'second.csv');
    // then: both rows recorded, each warning with its row and column
    expect(response.status).toBe(201);
    expect(response.body.results.map((r: { events: string[] }) => r.events[0])).toEqual([
      'ProjectSigned',
      'ProjectSigned',
    ]);
    expect(response.body.warnings).toEqual([
      {
        row: 3,
        column: '项目名称',
        code: 'possible-duplicate',
        projectId: 'warn-1',
        message: expect.stringContaining('/ possibly a duplicate of project warn-1'),
      },
      {
        row: 4,
        column: '总投资（万元）',
        code: 'amount-looks-like-yi',
        message: expect.stringContaining('/ 47 万元 is very small'),
      },
    ]);
    // and: POST /projects gives the same warnings for the same signing
    const [row] = parseRows(await readSpreadsheet(await csvOf([{ ...twin, totalInvestmentWan: 47 }]))).rows;
    const [[path, body]] = apiRequestsOf(row, 'warn-api', ZONE_IDS);
    const signed = await api.http.post(`/api/v1${path}`).set('Authorization', api.bearer(ADMIN)).send(body);
    expect(signed.status).toBe(201);
    expect(
      signed.body.warnings.map((w: { code: string; projectId?: string }) => [w.code, w.projectId]),
    ).toEqual([
      ['possible-duplicate', 'warn-1'],
      ['possible-duplicate', 'warn-twin'],
      ['amount-looks-like-yi', undefined],
    ]);
  });

  it('reports a row that contradicts what is recorded, and keeps the file name as uploaded', async () => {
    // given
    await upload(api, api.bearer(ADMIN), await csvOf([sampleRow('conflict', 1)]), '第一版.csv').expect(201);
    // when
    const changed = { ...sampleRow('conflict', 1), constructionStartedOn: '2023-02-20' };
    const response = await upload(api, api.bearer(ADMIN), await csvOf([changed]), '第二版.csv');
    // then
    expectProblem(response, 400, { code: 'import-rejected' });
    expect(response.body.errors).toEqual([
      {
        row: 3,
        column: '开工日期',
        message:
          '开工已登记为 2023-02-02，更正请用更正接口 / construction start is already recorded on 2023-02-02: use a correction to change it',
      },
    ]);
    const history = await api.http
      .get('/api/v1/projects/conflict-1/history')
      .set('Authorization', api.bearer(ADMIN));
    expect(history.body.events[0].metadata.source.file).toBe('第一版.csv');
  });

  it('answers 413 for a file over 10 MB and 400 for a missing or unreadable file, as problem+json', async () => {
    const big = Buffer.alloc(10 * 1024 * 1024 + 1, 0x61);
    expectProblem(await upload(api, api.bearer(ADMIN), big, 'big.csv'), 413, { code: 'import-too-large' });
    expectProblem(
      await api.http.post('/api/v1/imports').set('Authorization', api.bearer(ADMIN)).field('x', 'y'),
      400,
      { field: 'file' },
    );
    const xls = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0, 0, 0, 0]);
    expectProblem(await upload(api, api.bearer(ADMIN), xls, 'old.xls'), 400, { code: 'import-unreadable' });
    const header = await upload(api, api.bearer(ADMIN), Buffer.from('项目名称,备注\n甲,x\n'), 'h.csv');
    expectProblem(header, 400, { code: 'import-rejected' });
    expect(header.body.errors).toContainEqual({
      row: 1,
      column: '企业名称',
      message: '缺少必填列 / required column missing',
    });
  });

  it('serves the template (GET /api/v1/imports/template.xlsx)', async () => {
    const response = await api.http
      .get('/api/v1/imports/template.xlsx')
      .set('Authorization', api.bearer(AUDITOR))
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      });
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(response.body);
    expect(workbook.worksheets[0].getRow(2).getCell(1).value).toBe('projectId');
    expect(workbook.worksheets[0].getRow(1).getCell(5).value).toBe('总投资（万元）');
  });

  it('documents both routes in the OpenAPI document', async () => {
    const document = (await api.http.get('/api/docs-json').expect(200)).body;
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining(['/api/v1/imports', '/api/v1/imports/template.xlsx']),
    );
    expect(Object.keys(document.paths['/api/v1/imports'].post.requestBody.content)).toEqual([
      'multipart/form-data',
    ]);
  });
});
