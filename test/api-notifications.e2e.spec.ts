import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import Database from 'better-sqlite3';
import ExcelJS from 'exceljs';
import {
  ADMIN,
  AUDITOR,
  ManualClock,
  RunningApi,
  TEST_SECRET,
  seedReference,
  seedSignedProjects,
  startApi,
} from './support/api-harness';

/** The monthly notification: issued once, frozen, provable, exported. */
describe('monthly notification (月通报)', () => {
  let dataDir: string;
  let api: RunningApi;
  const clock = new ManualClock(new Date('2023-10-20T02:00:00Z'));

  const admin = () => api.bearer(ADMIN);
  const post = (path: string, body: object, status = 201) =>
    api.http.post(`/api/v1${path}`).set('Authorization', admin()).send(body).expect(status);
  const get = (path: string) => api.http.get(`/api/v1${path}`).set('Authorization', api.bearer(AUDITOR));
  /** The raw bytes of a response, untouched by any JSON parser. */
  const bytes = async (path: string) => {
    const response = await get(path)
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    return response.body as Buffer;
  };

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'plt-notification-'));
    api = await startApi({ dataDir, clock });
    await seedReference(api);
    await seedSignedProjects(api);
    await post('/projects/a/milestones', { milestone: 'construction-started', occurredOn: '2023-10-08' });
    clock.set('2023-11-01T02:00:00Z');
  });

  afterAll(async () => {
    await api.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  let october: Buffer;

  it('issues October as issue 1, as of 31 October, with rates, milestones of the month, stalled lists and warnings', async () => {
    const issued = await post('/notifications', { month: '2023-10' });
    expect(issued.body).toMatchObject({ month: '2023-10', issue: 1 });
    october = await bytes('/notifications/2023-10');
    const content = JSON.parse(october.toString('utf8'));
    expect(content).toMatchObject({ issue: 1, month: '2023-10', asOf: '2023-10-31', previousIssue: null });
    expect(content.rates.province[0].rates.start).toMatchObject({
      cohortCount: 3,
      count: 1,
      value: 0.3,
      basis: 'investment',
      reported: 'investment',
    });
    expect(content.cohort).toEqual({ kind: 'programme', since: null, nameZh: '2023年以来' });
    // the same figure /rates gives for the same date (both count the programme cohort)
    const rates = await get('/rates?asOf=2023-10-31&scope=zone').expect(200);
    expect(
      content.rates.zones.map((z: { id: string; rates: { start: { value: number } } }) => [
        z.id,
        z.rates.start.value,
      ]),
    ).toEqual(
      rates.body.rows.map((row: { id: string; start: { byInvestment: number } }) => [
        row.id,
        row.start.byInvestment,
      ]),
    );
    expect(content.rates.zones.find((z: { id: string }) => z.id === 'jinzhong-kfq').rates.start.rank).toBe(1);
    expect(content.milestones).toEqual([
      expect.objectContaining({
        zoneId: 'jinzhong-kfq',
        items: [
          expect.objectContaining({
            projectId: 'a',
            milestone: 'construction-started',
            occurredOn: '2023-10-08',
          }),
        ],
      }),
    ]);
    expect(content.stalled.signedNotStarted.map((p: { projectId: string }) => p.projectId).sort()).toEqual([
      'b',
      'c',
    ]);
    expect(
      content.warnings.zones.find((z: { zoneId: string }) => z.zoneId === 'linfen-kfq').statuses.start.status,
    ).toBe('red');
    const verification = await get('/notifications/2023-10/verification').expect(200);
    expect(verification.body.matches).toBe(true);
    expect(verification.body.recomputedHash).toBe(issued.body.contentHash);
  });

  it('refuses a second October, a month not ended, and a skipped month, each with a 409 that says why', async () => {
    expect((await post('/notifications', { month: '2023-10' }, 409)).body.code).toBe('already-issued');
    expect((await post('/notifications', { month: '2023-11' }, 409)).body.code).toBe('month-not-ended');
    clock.set('2024-02-01T02:00:00Z');
    const skipped = await post('/notifications', { month: '2024-01' }, 409);
    expect(skipped.body).toMatchObject({ code: 'previous-month-not-issued' });
    expect(skipped.body.detail).toContain('2023-11');
    clock.set('2023-11-01T02:00:00Z');
    await api.http
      .post('/api/v1/notifications')
      .set('Authorization', api.bearer(AUDITOR))
      .send({ month: '2023-10' })
      .expect(403);
    await post('/notifications', { month: 'October' }, 400);
  });

  it('late reports and a correction about October leave the October notification byte-identical and verified, and appear in November', async () => {
    // given: facts about October recorded in November
    clock.set('2023-11-05T02:00:00Z');
    await post('/projects/b/milestones', { milestone: 'construction-started', occurredOn: '2023-10-20' });
    await post('/projects/a/milestones/construction-started/correction', {
      occurredOn: '2023-11-02',
      reason: '台账核实',
    });
    // then: October is frozen
    expect((await bytes('/notifications/2023-10')).equals(october)).toBe(true);
    expect((await get('/notifications/2023-10/verification').expect(200)).body.matches).toBe(true);
    // when: November is issued
    clock.set('2023-12-01T02:00:00Z');
    await post('/notifications', { month: '2023-11' });
    const november = JSON.parse((await bytes('/notifications/2023-11')).toString('utf8'));
    // then: it lists the changes about October, with October's rates as they read now
    expect(november.previousIssue).toMatchObject({ issue: 1, month: '2023-10' });
    expect(
      november.changesAboutEarlierMonths.facts.map((f: { projectId: string; type: string }) => [
        f.projectId,
        f.type,
      ]),
    ).toEqual([
      ['b', 'ConstructionStarted'],
      ['a', 'MilestoneDateCorrected'],
    ]);
    expect(november.changesAboutEarlierMonths.facts[1]).toMatchObject({
      reason: '台账核实',
      recordedBy: 'admin-1',
    });
    const provinceStart = november.changesAboutEarlierMonths.correctedRates.find(
      (r: { scope: string; rate: string }) => r.scope === 'province' && r.rate === 'start',
    );
    expect(provinceStart).toEqual({
      scope: 'province',
      id: 'province',
      name: '全省',
      rate: 'start',
      cohort: { kind: 'programme', since: null, nameZh: '2023年以来' },
      basis: 'investment',
      published: { byCount: 1 / 3, byInvestment: 0.3, byCompletedInvestment: 0, value: 0.3 },
      corrected: { byCount: 1 / 3, byInvestment: 0.1, byCompletedInvestment: 0, value: 0.1 },
    });
    expect(november.rates.province[0].rates.start.change).toBeCloseTo(0.4 - 0.3, 10);
    expect((await get('/notifications/2023-11/verification').expect(200)).body.matches).toBe(true);
  });

  it('a tampered copy (one figure changed in the stored content) fails verification', async () => {
    const db = new Database(join(dataDir, 'events.sqlite'));
    try {
      const row = db
        .prepare(
          "SELECT position, data FROM events WHERE type = 'NotificationIssued' ORDER BY position LIMIT 1",
        )
        .get() as {
        position: number;
        data: string;
      };
      const data = JSON.parse(row.data);
      data.content.rates.province[0].rates.start.count = 3;
      db.prepare('UPDATE events SET data = ? WHERE position = ?').run(JSON.stringify(data), row.position);
    } finally {
      db.close();
    }
    const verification = await get('/notifications/2023-10/verification').expect(200);
    expect(verification.body.matches).toBe(false);
    expect(verification.body.storedContentHash).not.toBe(verification.body.issuedHash);
    expect(verification.body.recomputedHash).toBe(verification.body.issuedHash);
  });

  it("the auditors' CLI verifies one month or all, and exits non-zero on a mismatch", () => {
    const cli = (...args: string[]) =>
      spawnSync('node', ['--require', './test/support/register-ts.js', 'apps/cli/src/main.ts', ...args], {
        cwd: join(__dirname, '..'),
        env: { ...process.env, DATA_DIR: dataDir, AUTH_JWT_SECRET: TEST_SECRET },
        encoding: 'utf8',
      });
    const one = cli('verify', '--month', '2023-11');
    expect(one.stdout).toContain('2023-11  issue 2  MATCHES');
    expect(one.status).toBe(0);
    const all = cli('verify', '--all');
    expect(all.stdout).toContain('2023-10  issue 1  DOES NOT MATCH');
    expect(all.stdout).toContain('1 verified, 1 failed');
    expect(all.status).toBe(1);
  });

  it('exports XLSX that a real parser reads back with the JSON figures, and CSV with both header languages', async () => {
    const content = JSON.parse((await bytes('/notifications/2023-11')).toString('utf8'));
    const xlsx = await get('/notifications/2023-11?format=xlsx')
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.body);
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual([
      '五率 Rates',
      '本月节点 Milestones',
      '三未 Stalled',
      '计划 Plan',
      '逾期 Overdue',
      '年底前投产 Expected',
      '投资 Investment',
      '红黄绿灯 Lights',
      '预警 Warnings',
      '往月变更 Changes',
    ]);
    const rates = workbook.getWorksheet('五率 Rates')!;
    expect(rates.getRow(1).getCell(3).value).toBe('签约开工率(%,按投资)');
    expect(String(rates.getRow(2).getCell(3).value)).toContain('Start rate');
    const province = content.rates.province[0].rates.start;
    expect(rates.getRow(3).getCell(2).value).toBe('全省');
    // percentages to one decimal, as the reports print them
    expect(rates.getRow(3).getCell(3).value).toBe(Number((province.value * 100).toFixed(1)));
    expect(rates.getRow(3).getCell(6).value).toBe(province.cohortCount);
    expect(rates.getRow(3).getCell(7).value).toBe(Number((province.cohortWan / 10_000).toFixed(2)));
    const csv = await get('/notifications/2023-11?format=csv').expect(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.text).toContain('签约开工率(%,按投资)');
    expect(csv.text).toContain('Start rate (%, by investment)');
  });

  it('previews a month without issuing it', async () => {
    const before = (await get('/notifications').expect(200)).body.length;
    const preview = JSON.parse((await bytes('/notifications/2023-12/preview')).toString('utf8'));
    expect(preview).toMatchObject({ month: '2023-12', issue: 3, previousIssue: { month: '2023-11' } });
    expect((await get('/notifications').expect(200)).body).toHaveLength(before);
    await get('/notifications/2023-12').expect(404);
  });
});
