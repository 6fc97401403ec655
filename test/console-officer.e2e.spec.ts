import { SheetValues, xlsxOf } from '@app/import/testing';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ADMIN, RunningApi, seedReference, startApi } from './support/api-harness';
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
} from './support/console-browser';

/**
 * The officer's and auditor's side of the console (issue 13): the import page, the workspace's
 * filters, a form for every officer command with the server's rule errors beside the field, and
 * the auditor's "what changed between K1 and K2".
 */
const OFFICER = {
  username: 'li.na',
  password: 'officer-password',
  role: 'officer',
  displayName: '李娜',
  zones: ['jinzhong-kfq'],
};
const AUDITOR = { username: 'sun.yu', password: 'auditor-password', role: 'auditor', displayName: '孙宇' };

const describeInBrowser = chromiumAvailable() ? describe : describe.skip;

/** Errors a person would see in the console, other than the HTTP refusals a test provokes. */
function unexpected(errors: string[]): string[] {
  return errors.filter((error) => !error.startsWith('Failed to load resource'));
}

/** A 台账 row of 晋中开发区 in round 2023-r2 (held 2023-05-29). */
function ledgerRow(i: number, overrides: SheetValues = {}): SheetValues {
  return {
    projectId: `imp-${i}`,
    name: `导入项目${i}`,
    enterprise: `山西导入企业${i}有限公司`,
    zone: '晋中开发区',
    totalInvestmentWan: 20_000 + i,
    industrial: '是',
    roundId: '2023-r2',
    batch: '开工',
    signedOn: '2023-01-10',
    constructionStartedOn: '2023-03-01',
    ...overrides,
  };
}

describeInBrowser('web console in Chromium: the officer and auditor side', () => {
  let api: RunningApi;
  let browser: Browser;

  beforeAll(async () => {
    ensureConsoleBuilt();
    api = await startApi();
    await seedReference(api);
    for (const account of [OFFICER, AUDITOR]) await addAccount(api, account);
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
      await signInThroughForm(page, OFFICER.username, OFFICER.password);
    }, 60_000);

    afterAll(() => context.close());

    it('imports a 台账: a bad row shows its error and imports nothing, a good file imports after a check', async () => {
      // given: row 4 (the second data row) starts construction before it was signed
      const bad = await xlsxOf([ledgerRow(1), ledgerRow(2, { constructionStartedOn: '2022-12-01' })]);
      const good = await xlsxOf([ledgerRow(1), ledgerRow(2)]);
      await page.getByRole('link', { name: '台账导入' }).click();
      await page.getByRole('heading', { name: '台账导入' }).waitFor();
      expect(await page.getByRole('link', { name: '下载导入模板' }).getAttribute('href')).toBe(
        '/api/v1/imports/template.xlsx',
      );
      const template = await page.evaluate(async () => (await fetch('/api/v1/imports/template.xlsx')).status);
      expect(template).toBe(200);
      // when
      await page.locator('input[type=file]').setInputFiles({
        name: '晋中开发区台账（有误）.xlsx',
        mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        buffer: bad,
      });
      await page.getByRole('button', { name: '检查（不写入）' }).click();
      // then
      const rowErrors = page.getByTestId('row-errors');
      await rowErrors.waitFor();
      const errorRow = rowErrors.getByRole('row').filter({ hasText: '开工日期' });
      expect(await errorRow.getByRole('cell').first().textContent()).toBe('4');
      expect(await errorRow.textContent()).toMatch(/早于签约/);
      expect(await errorRow.textContent()).not.toMatch(/[A-Za-z]{4,} /);
      expect(await page.getByRole('button', { name: '确认导入' }).isDisabled()).toBe(true);
      expect(await seriousAccessibilityViolations(page)).toEqual([]);
      await screenshot(page, 'officer-import-row-error');
      const nothing = await api.http
        .get('/api/v1/projects?zoneId=jinzhong-kfq')
        .set('Authorization', api.bearer(ADMIN));
      expect(nothing.body.total).toBe(0);

      // when: the corrected file is checked, then imported
      await page.locator('input[type=file]').setInputFiles({
        name: '晋中开发区台账.xlsx',
        mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        buffer: good,
      });
      await page.getByRole('button', { name: '检查（不写入）' }).click();
      await page.getByText('检查通过：2 行，2 个项目').waitFor();
      await page.getByRole('button', { name: '确认导入' }).click();
      await page.getByText('已导入 晋中开发区台账.xlsx：2 行，2 个项目').waitFor();
      expect(await page.getByTestId('import-results').textContent()).toContain('签约');
      await screenshot(page, 'officer-import-done');
      await page.getByRole('link', { name: '查看项目台账' }).click();
      // then
      await page.getByRole('link', { name: '导入项目1' }).waitFor();
      await page.getByRole('link', { name: '导入项目2' }).waitFor();
      await page.getByRole('link', { name: '导入项目2' }).click();
      const signing = page.getByTestId('history-entry').filter({ hasText: '签约' }).first();
      await signing.waitFor();
      expect(await signing.textContent()).toMatch(/记录人：李娜.*来源：导入 晋中开发区台账\.xlsx 第 4 行/);
      expect(unexpected(errors)).toEqual([]);
    }, 120_000);
  });
});
