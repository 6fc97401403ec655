import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { CONSOLE_DIR } from '../../apps/api/src/console/console.module';
import { ADMIN, RunningApi } from './api-harness';

const ROOT = resolve(__dirname, '../..');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOTS = join(ROOT, 'test-output', 'console');

/**
 * Whether the browser suites can run here. Without Chromium they skip and say why, unless CI is
 * set: there they must run (`.ci/run` installs the `chromium` package).
 */
export function chromiumAvailable(): boolean {
  if (existsSync(CHROMIUM)) return true;
  const why = `${CHROMIUM} not found: install Debian's chromium (apt-get install -y chromium fonts-noto-cjk)`;
  if (process.env.CI) throw new Error(`browser tests cannot run on CI: ${why}`);
  console.warn(`skipping the console browser tests: ${why}`);
  return false;
}

function newestIn(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestIn(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** Builds the console unless dist/console is newer than every source file. */
export function ensureConsoleBuilt(): void {
  const index = join(CONSOLE_DIR, 'index.html');
  const sources = join(ROOT, 'apps', 'console');
  if (existsSync(index) && statSync(index).mtimeMs >= newestIn(sources)) return;
  execFileSync('npm', ['run', 'build:console'], { cwd: ROOT, stdio: 'inherit' });
}

export async function launchChromium(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-features=WebUIOmniboxPopup,WebUIOmniboxFullPopup,WebUIOmniboxAimPopup,PreloadTopChromeWebUI',
    ],
  });
}

/** A fresh browser profile as someone in the province would have it: Chinese, Beijing time. */
export async function newContext(browser: Browser, api: RunningApi): Promise<BrowserContext> {
  return browser.newContext({
    baseURL: api.url,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    reducedMotion: 'reduce',
    viewport: { width: 1366, height: 900 },
  });
}

/** Collects what would show in the browser's console as an error. */
export function consoleErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** A fresh profile's page, its console errors collected, signed in through the form as `account`. */
export async function signedInPage(
  browser: Browser,
  api: RunningApi,
  account: { username: string; password: string },
): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await newContext(browser, api);
  const page = await context.newPage();
  const errors = consoleErrors(page);
  await signInThroughForm(page, account.username, account.password);
  return { context, page, errors };
}

/** Signs in through the form, as a person would. */
export async function signInThroughForm(page: Page, username: string, password: string): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('用户名 / Username').fill(username);
  await page.getByLabel('密码 / Password').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
}

export async function addAccount(
  api: RunningApi,
  account: { username: string; password: string; role: string; displayName: string; zones?: string[] },
): Promise<void> {
  const response = await api.http
    .post('/api/v1/accounts')
    .set('Authorization', api.bearer(ADMIN))
    .send(account);
  if (response.status !== 201)
    throw new Error(`account ${account.username}: ${JSON.stringify(response.body)}`);
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core with the WCAG 2.1 A and AA rules; returns the serious and critical violations. */
export async function seriousAccessibilityViolations(page: Page): Promise<string[]> {
  // Evaluated through the DevTools protocol, which the console's CSP (script-src 'self') does
  // not govern; a <script> tag with axe inline would be refused, as it should be.
  await page.evaluate(AXE_SOURCE);
  const violations = (await page.evaluate(
    `axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }).then((r) => r.violations)`,
  )) as AxeViolation[];
  return violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map(
      (violation) =>
        `${violation.impact} ${violation.id}: ${violation.help} at ${violation.nodes
          .slice(0, 3)
          .map((node) => node.target.join(' '))
          .join(', ')}`,
    );
}
