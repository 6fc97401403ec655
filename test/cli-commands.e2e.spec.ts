import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@app/config';
import { openEventStore } from '@app/event-store';
import { TEST_SECRET } from './support/api-harness';

/** The CLI runs commands through libs/application on the embedded store, without the API. */
describe('CLI: zone add and round add', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'plt-cli-'));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  const cli = (...args: string[]) =>
    spawnSync('node', ['--require', './test/support/register-ts.js', 'apps/cli/src/main.ts', ...args], {
      cwd: join(__dirname, '..'),
      env: { ...process.env, DATA_DIR: join(dataDir, 'unused'), AUTH_JWT_SECRET: TEST_SECRET },
      encoding: 'utf8',
    });

  async function stream(streamId: string) {
    const store = await openEventStore(loadConfig({ DATA_DIR: dataDir, AUTH_JWT_SECRET: TEST_SECRET }));
    try {
      return await store.readStream(streamId);
    } finally {
      await store.close();
    }
  }

  /** The JSON log lines a run wrote to stderr (the CLI logs there, as the API does to stdout). */
  const logLines = (stderr: string) =>
    stderr
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);

  const zone = ['--id', 'jinzhong-kfq', '--name', '晋中开发区', '--city', 'jinzhong'];

  it('records a zone and a round on --data-dir, with the same rules and metadata as the API', async () => {
    const added = cli(
      'zone',
      'add',
      ...zone,
      '--category',
      'industrial',
      '--level',
      'national',
      '--data-dir',
      dataDir,
    );
    // one JSON line for the write, as the API logs it, and nothing else
    const [written, ...more] = logLines(added.stderr);
    expect(more).toEqual([]);
    expect(added.stderr.trim().split('\n')).toHaveLength(1);
    expect(written).toMatchObject({
      level: 'info',
      service: 'cli',
      msg: 'events appended',
      streamId: 'zone-jinzhong-kfq',
      revision: 0,
      eventTypes: ['ZoneRegistered'],
      caller: 'cli-operator',
      source: 'cli',
      requestId: expect.any(String),
    });
    expect(new Date(written.time as string).toISOString()).toBe(written.time);
    expect(added.stdout).toContain('zone jinzhong-kfq recorded (stream zone-jinzhong-kfq, revision 0)');
    expect(added.status).toBe(0);

    const repeated = cli(
      'zone',
      'add',
      ...zone,
      '--category',
      'industrial',
      '--level',
      'national',
      '--data-dir',
      dataDir,
    );
    expect(repeated.stdout).toContain('already recorded');
    expect(logLines(repeated.stderr)).toEqual([]);
    expect(repeated.status).toBe(0);

    const changed = cli(
      'zone',
      'add',
      ...zone,
      '--category',
      'industrial',
      '--level',
      'provincial',
      '--data-dir',
      dataDir,
    );
    expect(changed.stderr).toContain('refused (zone-exists)');
    expect(changed.status).toBe(1);

    const unknownVenue = cli(
      'round',
      'add',
      '--id',
      '2023-r1',
      '--held-on',
      '2023-02-22',
      '--main-venue',
      'nowhere',
      '--data-dir',
      dataDir,
    );
    expect(unknownVenue.stderr).toContain('refused (invalid-input): unknown zone nowhere');
    expect(unknownVenue.status).toBe(1);

    const round = cli(
      'round',
      'add',
      '--id',
      '2023-r1',
      '--held-on',
      '2023-02-22',
      '--main-venue',
      'jinzhong-kfq',
      '--data-dir',
      dataDir,
      '--as',
      'ops-1',
    );
    expect(round.status).toBe(0);
    expect(logLines(round.stderr)).toEqual([
      expect.objectContaining({
        streamId: 'round-2023-r1',
        revision: 0,
        eventTypes: ['RoundRegistered'],
        caller: 'ops-1',
      }),
    ]);

    const [registered] = await stream('zone-jinzhong-kfq');
    expect(registered).toMatchObject({
      type: 'ZoneRegistered',
      data: {
        id: 'jinzhong-kfq',
        name: '晋中开发区',
        cityId: 'jinzhong',
        category: 'industrial',
        level: 'national',
      },
      metadata: { recordedBy: 'cli-operator', role: 'admin', source: { kind: 'cli' } },
    });
    expect(await stream('zone-jinzhong-kfq')).toHaveLength(1);
    const [roundEvent] = await stream('round-2023-r1');
    expect(roundEvent).toMatchObject({
      type: 'RoundRegistered',
      data: { id: '2023-r1', heldOn: '2023-02-22', mainVenueZoneId: 'jinzhong-kfq' },
      metadata: { recordedBy: 'ops-1' },
    });
  });

  it('logs the audit of user add as one JSON line, with ids and the role but no names', () => {
    const added = spawnSync(
      'node',
      [
        '--require',
        './test/support/register-ts.js',
        'apps/cli/src/main.ts',
        'user',
        'add',
        'li.ming',
        '--role',
        'auditor',
        '--name',
        '李明',
        '--data-dir',
        dataDir,
      ],
      { cwd: join(__dirname, '..'), env: process.env, input: 'a-long-password\n', encoding: 'utf8' },
    );
    expect(added.status).toBe(0);
    const lines = logLines(added.stderr);
    expect(lines).toEqual([
      expect.objectContaining({
        msg: 'account audit',
        action: 'account-added',
        caller: 'cli',
        role: 'auditor',
        accountId: expect.any(String),
      }),
    ]);
    expect(added.stderr).not.toContain('li.ming');
    expect(added.stderr).not.toContain('李明');
    expect(added.stderr).not.toContain('a-long-password');
  });

  it('refuses malformed options before touching the store', () => {
    const bad = cli('round', 'add', '--id', '2023-r9', '--held-on', '2023-13-01', '--data-dir', dataDir);
    expect(bad.stderr).toContain('must be a date YYYY-MM-DD');
    expect(bad.status).not.toBe(0);
  });
});
