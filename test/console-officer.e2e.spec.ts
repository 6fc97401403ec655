import { SheetValues, xlsxOf } from '@app/import/testing';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { ADMIN, RunningApi, seedReference, startApi } from './support/api-harness';
import {
  addAccount,
  chromiumAvailable,
  ensureConsoleBuilt,
  launchChromium,
  screenshot,
  seriousAccessibilityViolations,
  signedInPage,
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

async function write(api: RunningApi, path: string, body: object): Promise<void> {
  const response = await api.http.post(`/api/v1${path}`).set('Authorization', api.bearer(ADMIN)).send(body);
  if (response.status >= 300) throw new Error(`${path}: ${JSON.stringify(response.body)}`);
}

/**
 * 晋中开发区's projects for the workspace filters (and one in 临汾 she must not see):
 * f-small  8,000万, signed, 2023-r1 签约一批, no plan (no light)
 * f-big    6亿, started on plan... late (green), entered statistics, 2023-r2 开工一批
 * f-late   3亿, planned to start 2023-03-01, never started (red), 2023-r1 签约一批
 */
async function seedFilterProjects(api: RunningApi): Promise<void> {
  const sign = (projectId: string, name: string, enterprise: string, wan: number, extra: object = {}) =>
    write(api, '/projects', {
      projectId,
      name,
      enterprise,
      zoneId: 'jinzhong-kfq',
      totalInvestmentWan: wan,
      industrial: true,
      signedOn: '2023-01-05',
      ...extra,
    });
  await sign('f-small', '小型配套项目', '晋中精工有限公司', 8_000);
  await sign('f-big', '大型新材料项目', '太行新材料集团', 60_000, { plannedStartOn: '2023-02-01' });
  await sign('f-late', '迟迟未开工项目', '晋中某实业公司', 30_000, { plannedStartOn: '2023-03-01' });
  await write(api, '/projects', {
    projectId: 'f-other',
    name: '临汾新材料项目',
    enterprise: '临汾新材料公司',
    zoneId: 'linfen-kfq',
    totalInvestmentWan: 90_000,
    industrial: true,
    signedOn: '2023-01-05',
  });
  await write(api, '/projects/f-big/milestones', {
    milestone: 'construction-started',
    occurredOn: '2023-03-01',
  });
  await write(api, '/projects/f-big/milestones', {
    milestone: 'statistics-entered',
    occurredOn: '2023-04-01',
  });
  await write(api, '/projects/f-big/listings', { roundId: '2023-r2', batch: 'construction' });
  for (const id of ['f-small', 'f-late', 'f-other'])
    await write(api, `/projects/${id}/listings`, { roundId: '2023-r1', batch: 'signing' });
}

/** The names in the project table once it shows exactly `expected` (polls: the table reloads). */
async function expectProjects(page: Page, expected: string[]): Promise<void> {
  const names = () => page.locator('.ant-table-tbody tr td:nth-child(2) a').allTextContents();
  for (let attempt = 0; attempt < 100; attempt++) {
    if (JSON.stringify((await names()).sort()) === JSON.stringify([...expected].sort())) return;
    await page.waitForTimeout(100);
  }
  expect((await names()).sort()).toEqual([...expected].sort());
}

/**
 * Picks an option of an antd Select found by its accessible name (in `within`, the page or a
 * dialog). Under load a click on the option could select nothing (CI, 2026-12-03: the obstacle
 * dialog then said 请输入问题类别), so it is made again until the select shows the choice.
 */
async function chooseIn(
  page: Page,
  label: string,
  option: string,
  within: Page | Locator = page,
): Promise<void> {
  const field = within.getByLabel(label, { exact: true });
  // `has` is matched inside each select, so it is the label alone, not `within`'s chain.
  const select = within.locator('.ant-select').filter({ has: page.getByLabel(label, { exact: true }) });
  for (let attempt = 1; ; attempt++) {
    await field.click();
    await page
      .locator('.ant-select-dropdown:visible .ant-select-item-option')
      .filter({ hasText: option })
      .first()
      .click();
    const chosen = await select
      .getByText(option)
      .waitFor({ timeout: 3_000 })
      .then(() => true)
      .catch(() => false);
    if (chosen) return;
    if (attempt === 3) throw new Error(`${label}: ${option} was not chosen in 3 attempts`);
  }
}

/** Instants shared by the tests, in their order: before the import, after it. */
const moments: { beforeImport?: string; afterImport?: string } = {};

describeInBrowser('web console in Chromium: the officer and auditor side', () => {
  let api: RunningApi;
  let browser: Browser;

  beforeAll(async () => {
    ensureConsoleBuilt();
    api = await startApi();
    await seedReference(api);
    await seedFilterProjects(api);
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
      ({ context, page, errors } = await signedInPage(browser, api, OFFICER));
    }, 60_000);

    afterAll(() => context.close());

    it('filters her zone’s projects by search, stage, light, round, batch and 亿元以上 (on the server)', async () => {
      const everyone = ['小型配套项目', '大型新材料项目', '迟迟未开工项目'];
      await page.goto('/projects');
      await expectProjects(page, everyone);
      // search: name, enterprise or id
      await page.getByRole('searchbox', { name: '按项目编号、名称或企业搜索' }).fill('新材料');
      await page.getByRole('searchbox', { name: '按项目编号、名称或企业搜索' }).press('Enter');
      await expectProjects(page, ['大型新材料项目']);
      expect(page.url()).toContain('q=');
      await page.getByRole('searchbox', { name: '按项目编号、名称或企业搜索' }).fill('精工');
      await page.getByRole('searchbox', { name: '按项目编号、名称或企业搜索' }).press('Enter');
      await expectProjects(page, ['小型配套项目']);
      // stage
      await page.goto('/projects');
      await chooseIn(page, '阶段', '已开工');
      await expectProjects(page, ['大型新材料项目']);
      // light: f-late is three years past its planned start; f-big's lights are green
      await page.goto('/projects');
      await chooseIn(page, '红黄绿灯', '红灯');
      await expectProjects(page, ['迟迟未开工项目']);
      expect(await page.getByTestId('light-f-late').textContent()).toBe('红灯');
      await screenshot(page, 'officer-filter-light');
      await page.goto('/projects?light=green');
      await expectProjects(page, ['大型新材料项目']);
      // round and batch
      await page.goto('/projects');
      await chooseIn(page, '活动轮次', '2023-r2');
      await expectProjects(page, ['大型新材料项目']);
      await page.goto('/projects');
      await chooseIn(page, '批次', '签约一批');
      await expectProjects(page, ['小型配套项目', '迟迟未开工项目']);
      // 亿元以上, combined with the batch
      await page.getByRole('checkbox', { name: '亿元以上' }).click();
      await expectProjects(page, ['迟迟未开工项目']);
      expect(page.url()).toMatch(/batch=signing.*overYi=1|overYi=1.*batch=signing/);
      expect(await seriousAccessibilityViolations(page)).toEqual([]);
      await screenshot(page, 'officer-filters');
      expect(unexpected(errors)).toEqual([]);
    }, 120_000);

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
      const nothing = await api.http.get('/api/v1/projects/imp-1').set('Authorization', api.bearer(ADMIN));
      expect(nothing.status).toBe(404);
      moments.beforeImport = new Date().toISOString();

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
      moments.afterImport = new Date().toISOString();
      expect(await page.getByTestId('import-results').textContent()).toContain('签约');
      await screenshot(page, 'officer-import-done');
      await page.getByRole('link', { name: '查看项目台账' }).click();
      // then
      await page.getByRole('searchbox', { name: '按项目编号、名称或企业搜索' }).waitFor();
      await page.getByRole('link', { name: '导入项目1' }).waitFor();
      await page.getByRole('link', { name: '导入项目2' }).waitFor();
      await page.getByRole('link', { name: '导入项目2' }).click();
      const signing = page.getByTestId('history-entry').filter({ hasText: '签约' }).first();
      await signing.waitFor();
      expect(await signing.textContent()).toMatch(/记录人：李娜.*来源：导入 晋中开发区台账\.xlsx 第 4 行/);
      expect(unexpected(errors)).toEqual([]);
    }, 120_000);

    it('plans, records and resolves an obstacle, amends and withdraws a listing through the forms', async () => {
      // given: imp-1 was imported above (signed 2023-01-10, started 2023-03-01, listed in 2023-r2 开工一批)
      await page.goto('/projects/imp-1');
      await page.getByRole('heading', { name: '导入项目1' }).waitFor();
      const dialog = page.getByRole('dialog');
      await page.getByTestId('history-entry').nth(2).waitFor();
      let recorded = (await page.getByTestId('history-entry').count()) - 1;
      const submit = async () => {
        await dialog.getByRole('button', { name: '提交' }).click();
        try {
          await dialog.waitFor({ state: 'detached' });
        } catch (error) {
          await screenshot(page, 'officer-plans-obstacles-stuck');
          throw new Error(`the dialog stayed open: ${await dialog.textContent()}`, { cause: error });
        }
        // the page shows the recorded fact (and its new revision) before the next dialog opens
        await page.getByTestId('history-entry').nth(++recorded).waitFor();
      };
      const pickDate = async (label: string, value: string) => {
        await dialog.getByLabel(label).fill(value);
        await dialog.getByLabel(label).press('Enter');
      };
      const choose = (label: string, option: string) => chooseIn(page, label, option, dialog);
      // when
      await page.getByRole('button', { name: '设置计划日期' }).click();
      await pickDate('计划开工日期', '2023-02-15');
      await pickDate('计划投产日期', '2024-06-30');
      await submit();
      await page.getByRole('button', { name: '年度计划投资' }).click();
      await dialog.getByLabel('年度', { exact: true }).fill('2023');
      await dialog.getByLabel('年度计划投资（万元）').fill('8000');
      await submit();
      await page.getByRole('button', { name: '登记问题' }).click();
      await dialog.getByLabel('问题编号').fill('land-1');
      await choose('问题类别', '用地');
      await dialog.getByLabel('问题描述').fill('用地指标未落实');
      await dialog.getByLabel('责任单位').fill('市自然资源局');
      await pickDate('提出日期', '2023-04-01');
      await submit();
      await page.getByRole('button', { name: '更新问题' }).click();
      await dialog.getByLabel('解决措施').fill('专班协调，月底前供地');
      await dialog.getByLabel('原因').fill('增加措施');
      await submit();
      await page.getByRole('button', { name: '问题已解决' }).click();
      await pickDate('解决日期', '2023-05-20');
      await dialog.getByLabel('解决情况').fill('已供地');
      await submit();
      await page.getByRole('button', { name: '修改项目信息' }).click();
      await dialog.getByLabel('产业链').fill('新材料');
      await dialog.getByLabel('原因').fill('补录产业链');
      await submit();
      await page.getByRole('button', { name: '撤回入选批次' }).click();
      await dialog.getByLabel('原因').fill('误列入开工一批');
      await submit();
      // then: each fact is on the page and in the history with her name and reason
      const entries = page.getByTestId('history-entry');
      await entries.filter({ hasText: '撤回入选' }).waitFor();
      expect(await entries.filter({ hasText: '计划日期' }).textContent()).toMatch(
        /计划开工日期：2023-02-15；计划投产日期：2024-06-30.*记录人：李娜/,
      );
      expect(await entries.filter({ hasText: '年度计划投资' }).textContent()).toContain('2023：8,000万元');
      expect(await entries.filter({ hasText: '登记问题' }).textContent()).toContain(
        'land-1 · 用地：用地指标未落实（责任单位：市自然资源局，2023-04-01）',
      );
      expect(await entries.filter({ hasText: '更新问题' }).textContent()).toMatch(
        /解决措施：专班协调，月底前供地.*原因：增加措施/,
      );
      expect(await entries.filter({ hasText: '问题解决' }).textContent()).toContain('2023-05-20：已供地');
      expect(await entries.filter({ hasText: '修改信息' }).textContent()).toMatch(
        /产业链：新材料.*原因：补录产业链/,
      );
      expect(await entries.filter({ hasText: '撤回入选' }).textContent()).toMatch(
        /2023-r2 · 开工一批.*原因：误列入开工一批/,
      );
      expect(await page.getByTestId('obstacles').textContent()).toContain('已解决 2023-05-20：已供地');
      expect(await page.getByTestId('annual-plans').textContent()).toContain('8,000万元');
      // nothing is left to update or resolve, and no listing to withdraw
      expect(await page.getByRole('button', { name: '更新问题' }).count()).toBe(0);
      expect(await page.getByRole('button', { name: '撤回入选批次' }).count()).toBe(0);
      expect(await seriousAccessibilityViolations(page)).toEqual([]);
      await screenshot(page, 'officer-plans-obstacles');
      expect(unexpected(errors)).toEqual([]);
    }, 120_000);

    it('terminates one project and voids another, and the server refuses a fact after the termination beside the date', async () => {
      // given
      const dialog = page.getByRole('dialog');
      await page.goto('/projects/imp-2');
      await page.getByRole('heading', { name: '导入项目2' }).waitFor();
      // when
      await page.getByRole('button', { name: '终止项目' }).click();
      await dialog.getByLabel('发生日期').fill('2023-06-30');
      await dialog.getByLabel('发生日期').press('Enter');
      await dialog.getByLabel('原因').fill('企业撤资');
      await dialog.getByRole('button', { name: '提交' }).click();
      await dialog.waitFor({ state: 'detached' });
      // then: no second termination is offered (the domain refuses it whatever it says)
      await page.getByRole('button', { name: '终止项目' }).waitFor({ state: 'detached' });
      await page.getByRole('button', { name: '记录环节' }).click();
      await dialog.getByLabel('发生日期').fill('2023-07-15');
      await dialog.getByLabel('发生日期').press('Enter');
      await dialog.getByRole('button', { name: '提交' }).click();
      // then: the server's own words beside the date
      const message = dialog
        .locator('.ant-form-item')
        .filter({ has: page.getByLabel('发生日期') })
        .locator('.ant-form-item-explain-error');
      await message.waitFor();
      expect(await message.textContent()).toMatch(/终止/);
      expect(await message.textContent()).not.toMatch(/terminated/i);
      await screenshot(page, 'officer-after-termination-refused');
      await dialog.getByRole('button', { name: '取消' }).click();
      // the same refusal in English, once she switches the console to English
      await page.getByRole('button', { name: 'English' }).click();
      await page.getByRole('button', { name: 'Record milestone' }).click();
      await dialog.getByLabel('Date').fill('2023-07-15');
      await dialog.getByLabel('Date').press('Enter');
      await dialog.getByRole('button', { name: 'Submit' }).click();
      const english = dialog
        .locator('.ant-form-item')
        .filter({ has: page.getByLabel('Date') })
        .locator('.ant-form-item-explain-error');
      await english.waitFor();
      expect(await english.textContent()).toMatch(/terminated/i);
      expect(await english.textContent()).not.toMatch(/[\u4e00-\u9fff]/);
      await screenshot(page, 'officer-after-termination-refused-en');
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      await page.getByRole('button', { name: '中文' }).click();
      // when: the project was recorded in error after all
      await page.getByRole('button', { name: '作废项目' }).click();
      await dialog.getByLabel('原因').fill('重复录入');
      await dialog.getByRole('button', { name: '提交' }).click();
      await dialog.waitFor({ state: 'detached' });
      // then
      await page.getByText('该项目已作废：重复录入').waitFor();
      expect(await page.getByTestId('write-controls').count()).toBe(0);
      expect(await page.getByTestId('history-entry').filter({ hasText: '作废' }).textContent()).toMatch(
        /记录人：李娜.*原因：重复录入/,
      );
      await screenshot(page, 'officer-voided');
      expect(unexpected(errors)).toEqual([]);
    }, 120_000);
  });

  describe('as an auditor', () => {
    let context: BrowserContext;
    let page: Page;
    let errors: string[];

    beforeAll(async () => {
      ({ context, page, errors } = await signedInPage(browser, api, AUDITOR));
    }, 60_000);

    afterAll(() => context.close());

    it('sees what changed in a project between K1 (after the import) and now, and who recorded it', async () => {
      // given: imp-1 as imported, then planned, amended and withdrawn by 李娜 in the forms
      const k1 = encodeURIComponent(moments.afterImport!);
      // when
      await page.goto(`/changes?scope=project&projectId=imp-1&k1=${k1}`);
      // then
      const facts = page.getByTestId('fact-changes');
      await facts.getByRole('row').filter({ hasText: '计划开工日期' }).waitFor();
      expect(await facts.getByRole('row').filter({ hasText: '计划开工日期' }).textContent()).toBe(
        '计划开工日期—2023-02-15',
      );
      expect(await facts.getByRole('row').filter({ hasText: '产业链' }).textContent()).toBe('产业链—新材料');
      expect(await facts.getByRole('row').filter({ hasText: '入选批次' }).textContent()).toBe(
        '入选批次2023-r2 开工一批—',
      );
      const recorded = page.getByTestId('recorded-between-entry');
      expect(await recorded.filter({ hasText: '更新问题' }).textContent()).toMatch(
        /记录人：李娜.*来源：在线录入.*原因：增加措施/,
      );
      // the import's own facts were known at K1
      expect(await recorded.filter({ hasText: '导入' }).count()).toBe(0);
      expect(await seriousAccessibilityViolations(page)).toEqual([]);
      await screenshot(page, 'auditor-changes-project');
      // English: every label switches
      await page.getByRole('button', { name: 'English' }).click();
      await page.getByRole('heading', { name: 'What changed (K1 → K2)' }).waitFor();
      expect(await facts.getByRole('row').filter({ hasText: 'Planned start' }).textContent()).toBe(
        'Planned start—2023-02-15',
      );
      await screenshot(page, 'auditor-changes-project-en');
      await page.getByRole('button', { name: '中文' }).click();
    }, 60_000);

    it('sees what changed in a zone between K1 (before the import) and now, and the import rows behind it', async () => {
      // given
      await page.goto(`/changes?k1=${encodeURIComponent(moments.beforeImport!)}`);
      // when: the zone chosen through the form
      await page.getByText('整个开发区', { exact: true }).click();
      await chooseIn(page, '开发区', '晋中开发区');
      // the zone's list is named after its field, also while it closes (axe saw it nameless once)
      expect(await page.getByRole('listbox', { name: '开发区', includeHidden: true }).count()).toBe(1);
      // then: imp-1 was added; imp-2 was voided since (in no list), f-small did not change
      const table = page.getByTestId('zone-changes');
      const row = table.getByRole('row').filter({ hasText: 'imp-1' });
      await row.waitFor();
      expect(await row.textContent()).toContain('新增');
      expect(await table.getByRole('row').filter({ hasText: 'f-small' }).count()).toBe(0);
      expect(await table.getByRole('row').filter({ hasText: 'imp-2' }).count()).toBe(0);
      await row.getByRole('button').first().click();
      const entries = page.getByTestId('recorded-between-imp-1').getByTestId('recorded-between-entry');
      await entries.first().waitFor();
      expect(await entries.filter({ hasText: '签约' }).first().textContent()).toMatch(
        /记录人：李娜.*来源：导入 晋中开发区台账\.xlsx 第 3 行/,
      );
      expect(page.url()).toContain('scope=zone');
      expect(page.url()).toContain('zoneId=jinzhong-kfq');
      expect(await seriousAccessibilityViolations(page)).toEqual([]);
      await screenshot(page, 'auditor-changes-zone');
      expect(unexpected(errors)).toEqual([]);
    }, 60_000);
  });
});
