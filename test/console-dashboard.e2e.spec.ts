import { gzipSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import type { Browser, BrowserContext, Download, Page } from 'playwright-core';
import { ADMIN, RunningApi, seedReference, seedSignedProjects, startApi } from './support/api-harness';
import {
  addAccount,
  chromiumAvailable,
  ensureConsoleBuilt,
  launchChromium,
  newContext,
  screenshot,
  seriousAccessibilityViolations,
  signInThroughForm,
  signedInPage,
} from './support/console-browser';

/** Someone of the province's office: reads every city and zone, writes nothing. */
const PROVINCE_STAFF = {
  username: 'li.na',
  password: 'province-password',
  role: 'auditor',
  displayName: '李娜',
};
const ADMINISTRATOR = {
  username: 'root',
  password: 'admin-password',
  role: 'admin',
  displayName: '省管理员',
};
/** JavaScript the first page may transfer, gzipped (issue 13's budget). */
const FIRST_PAGE_BUDGET = 600 * 1024;
/** Every view of these tests is as of the end of October 2023. */
const AS_OF = '2023-10-31';

const describeInBrowser = chromiumAvailable() ? describe : describe.skip;

async function write(api: RunningApi, path: string, body: object): Promise<void> {
  const response = await api.http.post(`/api/v1${path}`).set('Authorization', api.bearer(ADMIN)).send(body);
  if (response.status >= 300) throw new Error(`${path}: ${JSON.stringify(response.body)}`);
}

async function workbookOf(download: Download): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(await download.path());
  return workbook;
}

function rowsOf(sheet: ExcelJS.Worksheet): unknown[][] {
  const rows: unknown[][] = [];
  sheet.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
  return rows;
}

/** The views beside the rate table: trend, plan against actual, investment, 亿元以上, lights, rounds. */
describeInBrowser('province dashboard in Chromium', () => {
  let api: RunningApi;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];
  /** Recorded after everything but a's construction start. */
  let beforeConstruction: string;

  beforeAll(async () => {
    ensureConsoleBuilt();
    api = await startApi();
    await seedReference(api);
    // a 30亿 and b 10亿 in 晋中开发区, c 60亿 in 临汾开发区, all signed and listed on 2023-02-22
    await seedSignedProjects(api);
    await write(api, '/projects', {
      projectId: 'small',
      name: '小项目',
      enterprise: '晋中某企业',
      zoneId: 'jinzhong-kfq',
      totalInvestmentWan: 5_000,
      industrial: true,
      signedOn: '2023-02-22',
    });
    await write(api, '/projects/small/listings', { roundId: '2023-r1', batch: 'signing' });
    for (const [id, plannedStartOn, plannedProductionOn] of [
      ['a', '2023-03-01', '2023-08-01'],
      ['b', '2023-05-01', '2024-06-01'],
      ['c', '2023-09-01', '2024-12-01'],
    ])
      await write(api, `/projects/${id}/planned-dates`, { plannedStartOn, plannedProductionOn });
    await write(api, '/projects/b/obstacles', {
      obstacleId: 'land-1',
      category: 'land',
      description: '用地指标未落实',
      responsibleUnit: '市自然资源局',
      raisedOn: '2023-06-01',
    });
    await write(api, '/projects/a/annual-investment-plans', { year: 2023, plannedInvestmentWan: 100_000 });
    await new Promise((resolve) => setTimeout(resolve, 20));
    beforeConstruction = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 20));
    await write(api, '/projects/a/milestones', {
      milestone: 'construction-started',
      occurredOn: '2023-04-01',
    });
    await write(api, '/projects/a/investment-progress', { month: '2023-09', completedInvestmentWan: 40_000 });
    await addAccount(api, PROVINCE_STAFF);
    await addAccount(api, ADMINISTRATOR);
    browser = await launchChromium();
    ({ context, page, errors } = await signedInPage(browser, api, PROVINCE_STAFF));
  }, 240_000);

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await api?.close();
  });

  it('draws the month-by-month trend of a city and exports it with both bases', async () => {
    // when
    await page.goto(`/dashboard?asOf=${AS_OF}&trendUnit=jinzhong`);
    // then: twelve month ends up to D; a's start in April moves 签约开工率 (by investment)
    await page.getByTestId('chart-trend').locator('canvas').waitFor();
    await page.locator('[data-testid="chart-trend"][aria-label*="签约开工率"]').waitFor();
    const trend = page.getByRole('tabpanel').filter({ has: page.getByTestId('chart-trend') });
    const march = trend.getByRole('row').filter({ hasText: '2023-03-31' });
    const april = trend.getByRole('row').filter({ hasText: '2023-04-30' });
    await april.waitFor();
    expect(await march.getByRole('cell').nth(2).textContent()).toBe('0.0%');
    expect(await april.getByRole('cell').nth(2).textContent()).toBe('74.1%');
    expect(await trend.getByRole('row').count()).toBe(13);
    expect(await trend.getByTestId('view-meta').textContent()).toMatch(
      /统计日期 2023-10-31 · 记录截至 \d{4}-/,
    );
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      trend.getByRole('button', { name: '导出 Excel' }).click(),
    ]);
    const rows = rowsOf((await workbookOf(download)).worksheets[0]);
    expect(rows[0].slice(0, 4)).toEqual(['月份', '截至', '签约开工率 按个数', '签约开工率 按投资']);
    expect(rows).toHaveLength(13);
    expect(rows.find((row) => row[0] === '2023-04')).toEqual(
      expect.arrayContaining(['2023-04-30', '33.3% (1/3)', '74.1% (300000/405000)']),
    );
    expect(rows.at(-1)![1]).toBe(AS_OF);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'province-dashboard-trend');
  }, 90_000);

  it('moves the trend back to what was known before the construction start was recorded', async () => {
    // when
    await page.goto(
      `/dashboard?asOf=${AS_OF}&trendUnit=jinzhong&knownAt=${encodeURIComponent(beforeConstruction)}`,
    );
    // then
    const trend = page.getByRole('tabpanel').filter({ has: page.getByTestId('chart-trend') });
    const april = trend.getByRole('row').filter({ hasText: '2023-04-30' });
    await april.waitFor();
    expect(await april.getByRole('cell').nth(2).textContent()).toBe('0.0%');
    await page.getByText('历史视图：按').waitFor();
    await screenshot(page, 'province-dashboard-trend-known-at');
  }, 60_000);

  it('shows plan against actual with the overdue lists, and exports them', async () => {
    // when
    await page.goto(`/dashboard?asOf=${AS_OF}&view=plan`);
    // then: 晋中 had a and b due to start by D; only a started
    const panel = page.getByRole('tabpanel').filter({ has: page.getByTestId('overdue-start') });
    const jinzhong = panel.getByRole('row').filter({ hasText: 'jinzhong' });
    await jinzhong.waitFor();
    expect(await jinzhong.getByTestId('plan-start').textContent()).toBe('50.0%');
    const overdueStart = panel.getByTestId('overdue-start');
    expect(await overdueStart.getByRole('row').filter({ hasText: '项目b' }).textContent()).toMatch(
      /2023-05-01.*183.*用地指标未落实（市自然资源局）/,
    );
    expect(await overdueStart.getByRole('row').filter({ hasText: '项目c' }).textContent()).toContain('60');
    await panel.getByRole('tab', { name: /逾期未投产/ }).click();
    await panel.getByTestId('overdue-production').getByRole('link', { name: '项目a' }).waitFor();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      panel.getByRole('button', { name: '导出 Excel' }).click(),
    ]);
    const workbook = await workbookOf(download);
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual([
      '计划与实际',
      '逾期未开工',
      '逾期未投产',
    ]);
    expect(rowsOf(workbook.getWorksheet('逾期未开工')!)).toEqual([
      ['项目编号', '项目名称', '开发区', '总投资', '计划日期', '逾期天数', '问题协调'],
      ['b', '项目b', '晋中开发区', '10亿元', '2023-05-01', 183, '用地指标未落实（市自然资源局）'],
      ['c', '项目c', '临汾开发区', '60亿元', '2023-09-01', 60, ''],
    ]);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'province-dashboard-plan');
  }, 60_000);

  it('shows investment completion against 序时进度 and 亿元以上 shares', async () => {
    // when
    await page.goto(`/dashboard?asOf=${AS_OF}&view=investment`);
    // then: a planned 10亿 for 2023 and completed 4亿 by September
    const investment = page.getByRole('tabpanel').filter({ has: page.getByTestId('chart-investment') });
    const jinzhong = investment.getByRole('row').filter({ hasText: 'jinzhong' });
    await jinzhong.waitFor();
    expect(await jinzhong.textContent()).toMatch(/10亿元.*4亿元.*40\.0%.*落后序时进度/);
    await investment.getByTestId('chart-investment').locator('canvas').waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'province-dashboard-investment');
    // when
    await page.getByRole('tab', { name: '亿元以上项目' }).click();
    // then: 晋中's signing batch holds a, b (亿元以上) and small (5000万)
    const large = page.getByRole('tabpanel').filter({ has: page.getByTestId('large-signing') });
    const row = large.getByRole('row').filter({ hasText: 'jinzhong' });
    await row.waitFor();
    expect(await row.getByTestId('large-signing').textContent()).toMatch(/^66\.7%（2\/3）按投资 98\.8%$/);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'province-dashboard-large');
  }, 60_000);

  it('counts red, amber and green lights per zone and lists the lit projects with their rules', async () => {
    // when
    await page.goto(`/dashboard?asOf=${AS_OF}&scope=zone&view=lights`);
    // then
    const panel = page.getByRole('tabpanel').filter({ has: page.getByTestId('light-counts') });
    const jinzhong = panel.getByTestId('light-counts').getByRole('row').filter({ hasText: '晋中开发区' });
    await jinzhong.waitFor();
    // a: investment 40% against 序时进度 83% and no statistics entry after six months; b: start
    // overdue six months, with the land obstacle open
    expect((await jinzhong.getByRole('cell').allTextContents()).slice(1)).toEqual(['2', '0', '0', '1']);
    const linfen = panel.getByTestId('light-counts').getByRole('row').filter({ hasText: '临汾开发区' });
    expect((await linfen.getByRole('cell').allTextContents()).slice(1)).toEqual(['0', '1', '0', '0']);
    const b = panel.getByTestId('lit-projects').getByRole('row').filter({ hasText: '项目b' });
    expect(await b.textContent()).toMatch(/开工：红灯（超计划开工时间3个月以上） 有正当理由/);
    const a = panel.getByTestId('lit-projects').getByRole('row').filter({ hasText: '项目a' });
    expect(await a.textContent()).toContain('入统：红灯（开工2个月未入统）');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'province-dashboard-lights');
    // and in English, from the same table of rule names
    await page.getByRole('button', { name: 'English' }).click();
    await b.getByText(/Start: Red \(more than 3 months past its planned start\)/).waitFor();
    expect(await a.textContent()).toContain(
      'Statistics entry: Red (started 2 months ago, not in the statistics)',
    );
    expect(await b.textContent()).not.toMatch(/start\.overdue/);
    await screenshot(page, 'province-dashboard-lights-en');
    await page.getByRole('button', { name: '中文' }).click();
  }, 60_000);

  it('sums up each round: the listed projects per batch and the rates of its cohort', async () => {
    // when
    await page.goto(`/dashboard?asOf=${AS_OF}&view=rounds`);
    // then
    const table = page.getByTestId('round-summaries');
    const first = table.getByRole('row').filter({ hasText: '2023-02-22' });
    await first.waitFor();
    expect(await first.textContent()).toMatch(/^2023-r12023-02-224 \/ 100\.5亿元亿元以上个数 3/);
    expect(await first.getByRole('cell').nth(5).textContent()).toBe('29.9%');
    const second = table.getByRole('row').filter({ hasText: '2023-05-29' });
    expect(await second.getByRole('cell').nth(2).textContent()).toContain('0 / 0万元');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'province-dashboard-rounds');
    expect(errors.filter((error) => !error.startsWith('Failed to load resource'))).toEqual([]);
  }, 60_000);

  it("lists the cities in admin as the API knows them: the zones' city ids", async () => {
    // given
    const {
      context: admin,
      page: adminPage,
      errors: adminErrors,
    } = await signedInPage(browser, api, ADMINISTRATOR);
    // when
    await adminPage.goto('/admin');
    await adminPage.getByRole('tab', { name: '地市' }).click();
    // then
    const jinzhong = adminPage.getByRole('row').filter({ hasText: 'jinzhong' });
    await jinzhong.waitFor();
    expect(await jinzhong.getByRole('cell').allTextContents()).toEqual([
      'jinzhong',
      '介休经开区、晋中开发区',
      '2',
    ]);
    await adminPage.getByText('地市不是单独登记的参考数据').waitFor();
    expect(await seriousAccessibilityViolations(adminPage)).toEqual([]);
    await screenshot(adminPage, 'admin-cities');
    expect(adminErrors.filter((error) => !error.startsWith('Failed to load resource'))).toEqual([]);
    await admin.close();
  }, 60_000);

  it('transfers at most 600 KB of gzipped JavaScript for the province’s first page', async () => {
    // given
    const fresh = await newContext(browser, api);
    const first = await fresh.newPage();
    const scripts = new Map<string, Buffer>();
    first.on('response', async (response) => {
      if (response.request().resourceType() === 'script') scripts.set(response.url(), await response.body());
    });
    // when
    await signInThroughForm(first, PROVINCE_STAFF.username, PROVINCE_STAFF.password);
    await first.getByTestId('chart-aboveScale').locator('canvas').waitFor();
    // then
    expect(new URL(first.url()).pathname).toBe('/dashboard');
    const gzipped = () => [...scripts.values()].reduce((sum, body) => sum + gzipSync(body).length, 0);
    const firstPage = gzipped();
    console.log(
      `first page (sign-in → dashboard): ${scripts.size} scripts, ${Math.round(firstPage / 1024)} KB gzipped`,
    );
    expect(firstPage).toBeLessThanOrEqual(FIRST_PAGE_BUDGET);
    // the views below load when scrolled to
    expect(await first.getByTestId('chart-trend').count()).toBe(0);
    await first.getByText('专项分析').scrollIntoViewIfNeeded();
    await first.getByTestId('chart-trend').locator('canvas').waitFor();
    console.log(`with the views below: ${scripts.size} scripts, ${Math.round(gzipped() / 1024)} KB gzipped`);
    await fresh.close();
  }, 60_000);
});
