import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { SqliteEventStore } from '@app/event-store';
import { SystemClock, TrackerCommands } from '@app/application';
import { runImport } from '@app/import';
import { csvOf, xlsxOf } from '@app/import/testing';
import { ADMIN, TEST_SECRET, headPosition, seedReference, startApi } from './support/api-harness';
import { sampleRow } from './support/import-rows';

const ROOT = join(__dirname, '..');
const CLI = join(ROOT, 'apps', 'cli', 'src', 'main.ts');
const REGISTER_TS = join(__dirname, 'support', 'register-ts.js');

interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs `tracker <args>` as `npm run cli` does, from the TypeScript sources. */
function cli(
  args: string[],
  options: { watch?: (stderr: string, kill: () => void) => void } = {},
): Promise<CliRun> {
  const child = spawn(process.execPath, ['--require', REGISTER_TS, CLI, ...args], {
    cwd: ROOT,
    env: { ...process.env, AUTH_JWT_SECRET: TEST_SECRET, NODE_ENV: 'test' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    options.watch?.(stderr, () => child.kill('SIGKILL'));
  });
  return new Promise((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
}

/**
 * Kills the import once it is inside its transaction: SQLite spills the transaction's pages to
 * the WAL as it writes them, so a WAL past 1 MB means the append has begun and not committed.
 */
function killInsideTheTransaction(wal: string): (stderr: string, kill: () => void) => void {
  let polling: NodeJS.Timeout | undefined;
  return (stderr, kill) => {
    if (polling || !stderr.includes('writing events')) return;
    polling = setInterval(() => {
      if ((statSync(wal, { throwIfNoEntry: false })?.size ?? 0) <= 1_000_000) return;
      clearInterval(polling);
      kill();
    }, 2);
    polling.unref();
  };
}

/** Events in the store that came from the named import file. */
async function importedEvents(dataDir: string, file: string): Promise<number> {
  const store = SqliteEventStore.open({ file: join(dataDir, 'events.sqlite') });
  try {
    const events = await store.readAll();
    return events.filter((e) => (e.metadata.source as { file?: string }).file === file).length;
  } finally {
    await store.close();
  }
}

/** How many events the import of a file would record, checked in this process. */
async function eventsOfDryRun(dataDir: string, path: string): Promise<number> {
  const store = SqliteEventStore.open({ file: join(dataDir, 'events.sqlite') });
  try {
    const summary = await runImport(
      { name: basename(path), bytes: readFileSync(path) },
      {
        commands: new TrackerCommands(store, { clock: new SystemClock(), utcOffsetMinutes: 480 }),
        store,
        caller: { sub: 'test', role: 'admin', zones: [], cities: [] },
      },
      { dryRun: true },
    );
    return summary.events;
  } finally {
    await store.close();
  }
}

describe('CLI: import <file>', () => {
  let dir: string;
  let dataDir: string;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'plt-cli-import-'));
    dataDir = join(dir, 'data');
    // a data dir as the API leaves it: zones and rounds registered
    const api = await startApi({ dataDir });
    await seedReference(api);
    await api.close();
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('imports straight into the embedded store of --data-dir, then finds nothing new', async () => {
    // given
    const file = join(dir, '台账.xlsx');
    writeFileSync(file, await xlsxOf(Array.from({ length: 30 }, (_, i) => sampleRow('cli', i))));
    // when
    const first = await cli(['import', file, '--data-dir', dataDir]);
    const again = await cli(['import', file, '--data-dir', dataDir]);
    // then
    expect(first).toMatchObject({ code: 0, stderr: expect.stringContaining('checking rows (30)') });
    expect(first.stdout).toMatch(
      /^台账\.xlsx \(sha256 [0-9a-f]{12}…\): 30 rows, 30 projects, \d+ events recorded; import id /,
    );
    const recorded = await importedEvents(dataDir, '台账.xlsx');
    expect(recorded).toBeGreaterThan(60);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('0 events recorded (every row was already recorded)');
    // the write log: one JSON line per stream written, as the API's, with the import's source
    const logged = first.stderr
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { msg: string; source: string; eventTypes: string[] });
    const appended = logged.filter((line) => line.msg === 'events appended');
    expect(appended.length).toBeGreaterThanOrEqual(30);
    expect(appended.every((line) => line.source === 'import')).toBe(true);
    expect(appended.reduce((sum, line) => sum + line.eventTypes.length, 0)).toBe(recorded);
    expect(await importedEvents(dataDir, '台账.xlsx')).toBe(recorded);
  }, 60_000);

  it('lists every problem and exits 1, writing nothing', async () => {
    const file = join(dir, 'bad.csv');
    const rows = Array.from({ length: 5 }, (_, i) => sampleRow('cli', i));
    rows[1] = { ...rows[1], signedOn: '2023-13-01' };
    writeFileSync(file, await csvOf(rows));
    const run = await cli(['import', file, '--data-dir', dataDir]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      'row 4, 签约日期: 不是有效日期（如 2023-05-29） / not a valid date (e.g. 2023-05-29)',
    );
    expect(await importedEvents(dataDir, 'bad.csv')).toBe(0);
  }, 30_000);

  it('lists the warnings after the summary and records the file all the same', async () => {
    // given: a row typed in 亿元 and a row repeating an earlier row's project under another id
    const file = join(dir, 'warn.csv');
    const first = sampleRow('cliwarn', 0);
    writeFileSync(
      file,
      await csvOf([
        first,
        { ...sampleRow('cliwarn', 1), totalInvestmentWan: 47 },
        { ...first, projectId: 'cliwarn-x' },
      ]),
    );
    // when
    const run = await cli(['import', file, '--data-dir', dataDir]);
    // then
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('3 rows, 3 projects');
    expect(run.stdout).toContain('2 warnings (recorded all the same; worth a second look):');
    expect(run.stdout).toContain('  row 4, 总投资（万元）: 金额 47 万元偏小');
    expect(run.stdout).toContain('  row 5, 项目名称: 可能与已有项目 cliwarn-0');
    expect(await importedEvents(dataDir, 'warn.csv')).toBeGreaterThan(0);
  }, 30_000);

  it('refuses a data dir with no store', async () => {
    const run = await cli(['import', join(dir, 'x.csv'), '--data-dir', join(dir, 'empty')]);
    expect(run.code).toBe(1);
  }, 30_000);

  it('sends the file to a running API with --api and --token', async () => {
    // given
    const api = await startApi({ dataDir });
    try {
      const file = join(dir, '晋中 第二批.csv');
      writeFileSync(file, await csvOf(Array.from({ length: 10 }, (_, i) => sampleRow('http', i))));
      const before = await headPosition(api);
      // when
      const run = await cli(['import', file, '--api', api.url, '--token', api.token(ADMIN)]);
      // then
      expect(run).toMatchObject({ code: 0 });
      expect(run.stdout).toMatch(
        /^晋中 第二批\.csv \(sha256 [0-9a-f]{12}…\): 10 rows, 10 projects, \d+ events recorded/,
      );
      expect(await headPosition(api)).toBeGreaterThan(before);
      const history = await api.http
        .get('/api/v1/projects/http-3/history')
        .set('Authorization', api.bearer(ADMIN));
      expect(history.body.events[0].metadata.source).toMatchObject({
        kind: 'import',
        file: '晋中 第二批.csv',
        row: 6,
      });
      // an officer's token for another city is refused, naming the rows
      const officer = api.token({ role: 'officer', cities: ['linfen'] });
      const refused = await cli(['import', file, '--api', api.url, '--token', officer]);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('HTTP 403');
      expect(refused.stderr).toContain('row 3, 开发区');
    } finally {
      await api.close();
    }
  }, 60_000);

  it('SIGKILL during a large import: after restart, all of its rows or none', async () => {
    // given a 10,000-row file
    const file = join(dir, 'large.csv');
    const rows = Array.from({ length: 10_000 }, (_, i) => sampleRow('big', i));
    writeFileSync(file, await csvOf(rows));
    const total = await eventsOfDryRun(dataDir, file);
    expect(total).toBeGreaterThan(30_000);
    const wal = join(dataDir, 'events.sqlite-wal');
    // when the import is killed while it checks the rows
    const early = await cli(['import', file, '--data-dir', dataDir], {
      watch: (stderr, kill) => stderr.includes('checking rows') && kill(),
    });
    // then none of its rows are recorded
    expect(early.signal).toBe('SIGKILL');
    expect(await importedEvents(dataDir, 'large.csv')).toBe(0);

    // when it is killed half-way through its append
    const late = await cli(['import', file, '--data-dir', dataDir], { watch: killInsideTheTransaction(wal) });
    expect({ signal: late.signal, stdout: late.stdout }).toEqual({ signal: 'SIGKILL', stdout: '' });
    // then, reopened, the store holds none of them either
    expect(await importedEvents(dataDir, 'large.csv')).toBe(0);

    // and importing the file again completes it
    const finished = await cli(['import', file, '--data-dir', dataDir]);
    expect(finished.code).toBe(0);
    expect(await importedEvents(dataDir, 'large.csv')).toBe(total);
  }, 180_000);
});
