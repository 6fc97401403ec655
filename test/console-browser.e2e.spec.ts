import { gzipSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ADMIN, RunningApi, seedReference, seedSignedProjects, startApi } from './support/api-harness';
import {
  addAccount,
  chromiumAvailable,
  consoleErrors,
  ensureConsoleBuilt,
  launchChromium,
  newContext,
  screenshot,
  seriousAccessibilityViolations,
  signInThroughForm,
  signedInPage,
} from './support/console-browser';

const OFFICER = {
  username: 'wang.li',
  password: 'officer-password',
  role: 'officer',
  displayName: '王丽',
  zones: ['jinzhong-kfq'],
};
const AUDITOR = { username: 'zhao.min', password: 'auditor-password', role: 'auditor', displayName: '赵敏' };
const ADMINISTRATOR = {
  username: 'root',
  password: 'admin-password',
  role: 'admin',
  displayName: '省管理员',
};
/** JavaScript the first page may transfer, gzipped (issue 13's budget). */
const FIRST_PAGE_BUDGET = 600 * 1024;

const describeInBrowser = chromiumAvailable() ? describe : describe.skip;

async function write(api: RunningApi, path: string, body: object): Promise<void> {
  const response = await api.http.post(`/api/v1${path}`).set('Authorization', api.bearer(ADMIN)).send(body);
  if (response.status >= 300) throw new Error(`${path}: ${JSON.stringify(response.body)}`);
}

/** Errors a person would see in the console, other than the HTTP refusals a test provokes. */
function unexpected(errors: string[]): string[] {
  return errors.filter((error) => !error.startsWith('Failed to load resource'));
}

describeInBrowser('web console in Chromium', () => {
  let api: RunningApi;
  let browser: Browser;

  beforeAll(async () => {
    ensureConsoleBuilt();
    api = await startApi();
    await seedReference(api);
    await seedSignedProjects(api);
    // Enough facts for every rate to have a cohort in 晋中 and 临汾 (介休 has none: "无基数").
    for (const [id, milestone, occurredOn] of [
      ['a', 'construction-started', '2023-04-01'],
      ['a', 'statistics-entered', '2023-06-01'],
      ['a', 'production-started', '2023-07-01'],
      ['c', 'construction-started', '2023-03-01'],
      ['c', 'production-started', '2023-05-01'],
      ['c', 'attained', '2023-09-01'],
      ['c', 'enterprise-above-scale', '2023-10-01'],
    ])
      await write(api, `/projects/${id}/milestones`, { milestone, occurredOn });
    await write(api, '/projects/a/listings', { roundId: '2023-r2', batch: 'construction' });
    await write(api, '/projects/c/listings', { roundId: '2023-r2', batch: 'production' });
    await write(api, '/projects', {
      projectId: 'corr',
      name: '更正演示项目',
      enterprise: '晋中某企业',
      zoneId: 'jinzhong-kfq',
      totalInvestmentWan: 50_000,
      industrial: true,
      signedOn: '2023-02-22',
    });
    await write(api, '/projects/corr/milestones', {
      milestone: 'construction-started',
      occurredOn: '2023-05-01',
    });
    await write(api, '/projects/corr/listings', { roundId: '2023-r2', batch: 'construction' });
    await new Promise((resolve) => setTimeout(resolve, 20));
    await write(api, '/projects/corr/milestones/construction-started/correction', {
      occurredOn: '2023-05-10',
      reason: '台账录入错误',
    });
    await write(api, '/projects', {
      projectId: 'late',
      name: '三月签约项目',
      enterprise: '介休某企业',
      zoneId: 'jinzhong-kfq',
      totalInvestmentWan: 8_000,
      industrial: true,
      signedOn: '2023-03-15',
    });
    // listed, so that it is in the rates' cohort and therefore in the stalled lists (签而未落)
    await write(api, '/projects/late/listings', { roundId: '2023-r2', batch: 'signing' });
    await write(api, '/notifications', { month: '2023-06' });
    for (const account of [OFFICER, AUDITOR, ADMINISTRATOR]) await addAccount(api, account);
    browser = await launchChromium();
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await api?.close();
  });

  describe('as an officer', () => {
    let context: BrowserContext;
    let page: Page;
    let errors: string[];

    beforeAll(async () => {
      context = await newContext(browser, api);
      page = await context.newPage();
      errors = consoleErrors(page);
    }, 60_000);

    afterAll(() => context.close());

    it('signs in with the labelled form and lands on her zone’s projects', async () => {
      // given
      await page.goto('/login');
      expect(await seriousAccessibilityViolations(page)).toEqual([]);
      await screenshot(page, 'login');
      // when
      await signInThroughForm(page, OFFICER.username, OFFICER.password);
      // then
      expect(new URL(page.url()).pathname).toBe('/projects');
      await page.getByRole('link', { name: '项目a' }).waitFor();
      expect(await page.getByTestId('caller').textContent()).toContain('王丽');
      expect(await page.getByRole('link', { name: '项目c' }).count()).toBe(0);
      expect(await seriousAccessibilityViolations(page)).toEqual([]);
      await screenshot(page, 'officer-projects');
    }, 60_000);

    it('records a construction start through the form and sees it in the history with her name', async () => {
      // given
      await page.goto('/projects/b');
      await page.getByRole('button', { name: '记录环节' }).click();
      const dialog = page.getByRole('dialog');
      // when
      await dialog.getByLabel('发生日期').fill('2023-06-01');
      await dialog.getByLabel('发生日期').press('Enter');
      await dialog.getByRole('button', { name: '提交' }).click();
      // then
      const entry = page.getByTestId('history-entry').filter({ hasText: '2023-06-01' });
      await entry.waitFor();
      expect(await entry.textContent()).toMatch(/开工.*2023-06-01.*记录人：王丽/);
      expect(await page.getByTestId('milestone-construction-started').textContent()).toBe('2023-06-01');
      expect(await seriousAccessibilityViolations(page)).toEqual([]);
      await screenshot(page, 'officer-recorded-construction');
    }, 60_000);

    it('corrects a date, lists in a round and reports investment progress through the forms', async () => {
      // given: b's construction start is recorded on 2023-06-01 (previous test)
      await page.goto('/projects/b');
      const dialog = page.getByRole('dialog');
      // when
      await page.getByRole('button', { name: '更正日期' }).click();
      await dialog.getByLabel('发生日期').fill('2023-06-05');
      await dialog.getByLabel('发生日期').press('Enter');
      await dialog.getByLabel('原因').fill('按施工许可证更正');
      await dialog.getByRole('button', { name: '提交' }).click();
      await dialog.waitFor({ state: 'detached' });
      await page.getByRole('button', { name: '列入批次' }).click();
      await dialog.getByLabel('活动轮次').click();
      await page.locator('.ant-select-item-option').filter({ hasText: '2023-r2' }).click();
      await dialog.getByTitle('2023-r2（2023-05-29）').waitFor();
      await dialog.getByRole('button', { name: '提交' }).click();
      await dialog.waitFor({ state: 'detached' });
      await page.getByRole('button', { name: '报告投资进度' }).click();
      await dialog.getByLabel('月份').fill('2023-07');
      await dialog.getByLabel('月份').press('Enter');
      await dialog.getByLabel('累计完成投资（万元）').fill('20000');
      await dialog.getByRole('button', { name: '提交' }).click();
      await dialog.waitFor({ state: 'detached' });
      // then
      const entries = page.getByTestId('history-entry');
      await entries.filter({ hasText: '投资进度' }).waitFor();
      expect(await entries.filter({ hasText: '更正日期' }).textContent()).toMatch(
        /开工：2023-06-01 → 2023-06-05.*记录人：王丽.*原因：按施工许可证更正/,
      );
      expect(await entries.filter({ hasText: '2023-r2' }).textContent()).toContain('签约一批');
      expect(await entries.filter({ hasText: '投资进度' }).textContent()).toContain('2023-07：2亿元');
      expect(await page.getByTestId('milestone-construction-started').textContent()).toBe('2023-06-05');
      await screenshot(page, 'officer-corrected-listed-progress');
    }, 90_000);

    it("shows the server's rule error (construction before signing) in Chinese beside the date", async () => {
      // given: signed on 2023-03-15
      await page.goto('/projects/late');
      await page.getByRole('button', { name: '记录环节' }).click();
      const dialog = page.getByRole('dialog');
      // when
      await dialog.getByLabel('发生日期').fill('2023-03-01');
      await dialog.getByLabel('发生日期').press('Enter');
      await dialog.getByRole('button', { name: '提交' }).click();
      // then
      const dateItem = dialog.locator('.ant-form-item').filter({ has: page.getByLabel('发生日期') });
      const message = dateItem.locator('.ant-form-item-explain-error');
      await message.waitFor();
      // the server's own words, in the console's language only
      expect(await message.textContent()).toBe('开工日期 2023-03-01 早于签约日期 2023-03-15');
      await screenshot(page, 'officer-rule-error');
      await dialog.getByRole('button', { name: '取消' }).click();
      expect(await page.getByTestId('milestone-construction-started').textContent()).toBe('—');
    }, 60_000);

    it("sees no write controls on another zone's project, and the API refuses a forced write", async () => {
      // when
      await page.goto('/projects/c');
      await page.getByText('只读：该项目不属于您负责的开发区').waitFor();
      // then
      expect(await page.getByTestId('write-controls').count()).toBe(0);
      expect(await page.getByRole('button', { name: '记录环节' }).count()).toBe(0);
      const forced = await page.evaluate(async () => {
        const response = await fetch('/api/v1/projects/c/milestones', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ milestone: 'construction-started', occurredOn: '2023-06-01' }),
        });
        return response.status;
      });
      expect(forced).toBe(403);
      await screenshot(page, 'officer-other-zone');
      expect(unexpected(errors)).toEqual([]);
    }, 60_000);

    it('transfers at most 600 KB of gzipped JavaScript for her first page, sends it compressed, with compile hints', async () => {
      // given
      const fresh = await newContext(browser, api);
      const first = await fresh.newPage();
      const scripts = new Map<string, Promise<{ body: Buffer; sent: number; encoding?: string }>>();
      first.on('response', (response) => {
        if (response.request().resourceType() !== 'script') return;
        scripts.set(
          response.url(),
          (async () => ({
            body: await response.body(),
            // What crossed the wire: the encoded body, as the browser received it.
            sent: (await response.request().sizes()).responseBodySize,
            encoding: (await response.allHeaders())['content-encoding'],
          }))(),
        );
      });
      // when
      await signInThroughForm(first, OFFICER.username, OFFICER.password);
      await first.getByRole('link', { name: '项目a' }).waitFor();
      // then
      const loaded = await Promise.all(scripts.values());
      const gzipped = loaded.reduce((sum, { body }) => sum + gzipSync(body).length, 0);
      const sent = loaded.reduce((sum, script) => sum + script.sent, 0);
      console.log(
        `first page (sign-in → projects): ${scripts.size} scripts, ${Math.round(gzipped / 1024)} KB gzipped, ` +
          `${Math.round(sent / 1024)} KB sent`,
      );
      expect(gzipped).toBeLessThanOrEqual(FIRST_PAGE_BUDGET);
      expect(sent).toBeLessThanOrEqual(FIRST_PAGE_BUDGET);
      expect(loaded.map(({ encoding }) => encoding)).toEqual(loaded.map(() => 'br'));
      // V8 compiles them on a background thread only if the hint is their first line
      // (apps/console/vite.config.ts, compileHints), above Vite's `__vite__mapDeps` too.
      const unhinted = [...scripts.keys()].filter(
        (_url, index) =>
          !loaded[index].body.toString('utf8', 0, 64).startsWith('//# allFunctionsCalledOnLoad\n'),
      );
      expect(unhinted).toEqual([]);
      await fresh.close();
    }, 60_000);
  });

  describe('as an auditor', () => {
    let context: BrowserContext;
    let page: Page;
    let errors: string[];

    beforeAll(async () => {
      ({ context, page, errors } = await signedInPage(browser, api, AUDITOR));
    }, 60_000);

    afterAll(() => context.close());

    it('moves "as known at" before a correction and sees the old date', async () => {
      // given
      await page.goto('/projects/corr');
      const construction = page.getByTestId('milestone-construction-started');
      await page.getByText('2023-05-10').first().waitFor();
      expect(await construction.textContent()).toBe('2023-05-10');
      expect(await page.getByRole('button', { name: '记录环节' }).count()).toBe(0);
      // when
      await page.getByRole('slider', { name: '记录时点（当时所知）' }).focus();
      await page.keyboard.press('ArrowLeft');
      // then
      await page.waitForURL(/knownAt=/);
      await page.getByText('历史视图：按').waitFor();
      await construction.filter({ hasText: /^2023-05-01$/ }).waitFor();
      expect(
        await page.getByTestId('history-entry').filter({ hasText: '该时点之后才记录' }).textContent(),
      ).toContain('台账录入错误');
      expect(await seriousAccessibilityViolations(page)).toEqual([]);
      await screenshot(page, 'auditor-known-at-before-correction');
      // the view travels with the link
      await page.getByRole('link', { name: '项目台账' }).first().click();
      expect(page.url()).toContain('knownAt=');
    }, 60_000);

    it('sees the dashboard draw a chart for each of the five rates', async () => {
      // when
      await page.goto('/dashboard?scope=zone');
      // then
      for (const rate of ['start', 'production', 'statisticsEntry', 'attainment', 'aboveScale']) {
        const chart = page.getByTestId(`chart-${rate}`);
        await chart.locator('canvas').waitFor();
        const size = await chart.locator('canvas').boundingBox();
        expect(size!.width).toBeGreaterThan(200);
        // ECharts' aria description names the series and its data
        await page.locator(`[data-testid="chart-${rate}"][aria-label*="晋中开发区"]`).waitFor();
      }
      // 晋中开发区's start rate: both bases, numerator and denominator on hover
      const jinzhong = page.getByRole('row').filter({ hasText: '晋中开发区' });
      await jinzhong.getByTestId('rate-start').hover();
      const tooltip = page.getByRole('tooltip').filter({ hasText: '按个数' });
      await tooltip.waitFor();
      expect(await tooltip.textContent()).toMatch(/按个数 \d+\/\d+ = [\d.]+%；按投资 .+\/.+ = [\d.]+%/);
      // 三未: the project signed in March and never started is 签而未落 (the lists load when scrolled to)
      await page.getByText('三未项目').first().scrollIntoViewIfNeeded();
      await page.getByRole('tab', { name: /签而未落/ }).click();
      await page.getByRole('link', { name: '三月签约项目' }).waitFor();
      // the table exports to Excel with Chinese headers
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: '导出 Excel' }).first().click(),
      ]);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.readFile(await download.path());
      const sheet = workbook.worksheets[0];
      expect(sheet.getRow(1).getCell(2).value).toBe('签约开工率 按个数');
      expect(sheet.getColumn(1).values).toEqual(
        expect.arrayContaining(['晋中开发区', '临汾开发区', '介休经开区']),
      );
      expect(await seriousAccessibilityViolations(page)).toEqual([]);
      await screenshot(page, 'auditor-dashboard');
    }, 60_000);

    it("is styled by the build's stylesheet in the console's colours, with no component CSS made in the page", async () => {
      // when
      await page.goto('/dashboard');
      const selected = page.locator('.ant-menu-item-selected');
      await selected.waitFor();
      // then: the theme's AA blue (#0b57d0), not antd's default (#1677ff)
      expect(
        await page.evaluate(`getComputedStyle(document.querySelector('.ant-menu-item-selected')).color`),
      ).toBe('rgb(11, 87, 208)');
      const exportButton = `[...document.querySelectorAll('button')].find((b) => b.textContent === '导出 Excel')`;
      expect(await page.evaluate(`getComputedStyle(${exportButton}).borderRadius`)).toBe('6px');
      // antd writes its tokens' custom properties into the page; with CSS-in-JS it would also write
      // each component's rules into a <style> element at the component's first render
      const generatedRules = await page.evaluate(`[...document.querySelectorAll('style')]
        .map((style) => style.textContent)
        .join('')
        .replace(/--[\\w-]+:[^;}]*;?/g, '')
        .match(/\\{[^}]*\\b[a-z-]+:[^}]*\\}/g)`);
      expect(generatedRules).toBeNull();
    }, 60_000);

    it("says so in Chinese when a page's code does not arrive, and draws the page after a reload", async () => {
      // given: the dashboard's chunk cannot be fetched (the network dropped, or the console was redeployed)
      const own = await newContext(browser, api);
      const tab = await own.newPage();
      await tab.route('**/assets/DashboardPage-*.js', (route) => route.abort('connectionfailed'));
      // when: she signs in and lands on the dashboard
      await signInThroughForm(tab, AUDITOR.username, AUDITOR.password);
      // then
      await tab.getByText('页面代码未能加载：网络可能中断，或控制台刚刚更新。请刷新页面。').waitFor();
      await screenshot(tab, 'auditor-page-code-missing');
      await tab.unroute('**/assets/DashboardPage-*.js');
      await tab.getByRole('button', { name: '刷新页面' }).click();
      await tab.getByTestId('chart-start').locator('canvas').waitFor();
      await own.close();
    }, 60_000);

    it('lists the issued notifications with their verification and downloads', async () => {
      // when
      await page.goto('/notifications');
      // then
      await page.getByTestId('verification-2023-06').waitFor();
      expect(await page.getByTestId('verification-2023-06').textContent()).toBe('一致');
      expect(await page.getByRole('link', { name: 'XLSX' }).getAttribute('href')).toBe(
        '/api/v1/notifications/2023-06?format=xlsx',
      );
      expect(await seriousAccessibilityViolations(page)).toEqual([]);
      await screenshot(page, 'auditor-notifications');
      expect(unexpected(errors)).toEqual([]);
    }, 60_000);
  });

  describe('as an admin', () => {
    it('signs in and manages zones, rounds and accounts', async () => {
      // when
      const { context, page, errors } = await signedInPage(browser, api, ADMINISTRATOR);
      await page.getByRole('link', { name: '系统管理' }).click();
      // then
      await page.getByRole('cell', { name: '临汾开发区' }).waitFor();
      await page.getByRole('tab', { name: '账号' }).click();
      await page.getByRole('cell', { name: '王丽' }).waitFor();
      expect(await seriousAccessibilityViolations(page)).toEqual([]);
      await screenshot(page, 'admin-accounts');
      // English switches every label and antd's own words together
      await page.getByRole('button', { name: 'English' }).click();
      await page.getByRole('heading', { name: 'Administration' }).waitFor();
      expect(await page.getByRole('tab', { name: 'Accounts' }).count()).toBe(1);
      expect(await page.getByLabel('As of (date)').getAttribute('placeholder')).toBe('Select date');
      await page.getByRole('button', { name: '中文' }).click();
      await page.getByRole('heading', { name: '系统管理' }).waitFor();
      expect(await page.getByLabel('统计日期（截至）').getAttribute('placeholder')).toBe('请选择日期');
      expect(unexpected(errors)).toEqual([]);
      await context.close();
    }, 60_000);
  });
});
