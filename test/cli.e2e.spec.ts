import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@app/event-store';

const root = join(__dirname, '..');
const STACK_FRAME = /^\s+at\s/m;

/** Runs the CLI from `cwd`, outside the repository, with exactly the environment given. */
function cli(cwd: string, env: Record<string, string>, ...args: string[]) {
  const { PATH, HOME } = process.env;
  return spawnSync(
    'node',
    ['--require', join(root, 'test/support/register-ts.js'), join(root, 'apps/cli/src/main.ts'), ...args],
    { cwd, env: { PATH: PATH ?? '', HOME: HOME ?? '', ...env }, encoding: 'utf8' },
  );
}

describe('the CLI run outside the repository', () => {
  let empty: string;
  let withStore: string;

  beforeAll(async () => {
    empty = mkdtempSync(join(tmpdir(), 'cli-empty-'));
    withStore = mkdtempSync(join(tmpdir(), 'cli-store-'));
    const store = SqliteEventStore.open({ file: join(withStore, 'events.sqlite') });
    await store.close();
  });

  afterAll(() => {
    rmSync(empty, { recursive: true, force: true });
    rmSync(withStore, { recursive: true, force: true });
  });

  it('refuses verify, export and replay in a directory with no store (exit 2), creating nothing', () => {
    for (const args of [
      ['verify', '--all'],
      ['export', '--month', '2023-10', '--out', 'x.xlsx'],
      ['replay'],
    ]) {
      // when
      const run = cli(empty, {}, ...args);
      // then
      expect({ args, status: run.status }).toEqual({ args, status: 2 });
      expect(run.stderr).toContain('no event store in');
      expect(run.stderr).toContain(join(empty, 'data'));
      expect(run.stderr).not.toMatch(STACK_FRAME);
    }
    expect(existsSync(join(empty, 'data'))).toBe(false);
  });

  it('reads DATA_DIR like the API, says which store it opened, and exits non-zero when nothing was verified', () => {
    // when
    const run = cli(empty, { DATA_DIR: withStore }, 'verify', '--all');
    // then
    expect(run.stderr).toContain(`using embedded store ${join(withStore, 'events.sqlite')}`);
    expect(run.stderr).toContain('nothing to verify');
    expect(run.stdout).toContain('0 verified, 0 failed');
    expect(run.status).toBe(1);
    expect(run.stderr).not.toMatch(STACK_FRAME);
  });

  it('refuses to mint a token with a secret the API would not know', () => {
    // when
    const run = cli(empty, {}, 'token', '--role', 'auditor');
    // then
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('AUTH_JWT_SECRET');
    expect(run.stderr).not.toMatch(STACK_FRAME);
    expect(existsSync(join(empty, 'data'))).toBe(false);
  });

  it('prints usage mistakes without a stack trace', () => {
    for (const args of [['verify'], ['verify', '--month', '2023-13']]) {
      // when
      const run = cli(empty, { DATA_DIR: withStore }, ...args);
      // then
      expect({ args, failed: run.status !== 0 }).toEqual({ args, failed: true });
      expect(run.stderr).toMatch(/error/);
      expect(run.stderr).not.toMatch(STACK_FRAME);
    }
  });
});
