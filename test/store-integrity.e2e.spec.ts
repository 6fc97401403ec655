import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, truncateSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Client } from 'pg';
import { readableSchemaVersion } from '@app/domain';
import {
  CorruptStoreError,
  MissingStoreError,
  PostgresEventStore,
  checkStoreIntegrity,
  embeddedStoreFile,
} from '@app/event-store';
import { ADMIN, RunningApi, seedReference, seedSignedProjects, startApi } from './support/api-harness';
import { describeWithPostgres } from './support/postgres';

jest.setTimeout(120_000);

/** The CLI's `check`, as an operator runs it. */
function check(dataDir: string) {
  return spawnSync(
    'node',
    ['--require', './test/support/register-ts.js', 'apps/cli/src/main.ts', 'check', '--data-dir', dataDir],
    { cwd: join(__dirname, '..'), env: { ...process.env, DATA_DIR: '' }, encoding: 'utf8' },
  );
}

/** Issue 14, item 9: a store its readers would misread is refused, with the position. */
describe('semantic corruption of the embedded store', () => {
  let pristine: string;
  const copies: string[] = [];

  /** A copy of the seeded data dir, changed by `corrupt` through SQL. */
  function corrupted(corrupt: (db: Database.Database) => void): string {
    const dir = mkdtempSync(join(tmpdir(), 'plt-corrupt-'));
    copies.push(dir);
    cpSync(pristine, dir, { recursive: true });
    const db = new Database(embeddedStoreFile(dir));
    corrupt(db);
    db.close();
    return dir;
  }

  /** The position of a project's event at a revision. */
  function positionOf(dir: string, streamId: string, revision: number): number {
    const db = new Database(embeddedStoreFile(dir), { readonly: true });
    try {
      return (
        db
          .prepare('SELECT position FROM events WHERE stream_id = ? AND revision = ?')
          .get(streamId, revision) as {
          position: number;
        }
      ).position;
    } finally {
      db.close();
    }
  }

  async function startRefused(dir: string): Promise<Error> {
    let api: RunningApi | undefined;
    try {
      api = await startApi({ dataDir: dir });
    } catch (error) {
      return error as Error;
    } finally {
      await api?.close();
    }
    throw new Error('the API started on a corrupt store');
  }

  beforeAll(async () => {
    pristine = mkdtempSync(join(tmpdir(), 'plt-pristine-'));
    const api = await startApi({ dataDir: pristine });
    await seedReference(api);
    await seedSignedProjects(api);
    // project-a: signed, listed, started (revisions 0 to 2)
    await api.http
      .post('/api/v1/projects/a/milestones')
      .set('Authorization', api.bearer(ADMIN))
      .send({ milestone: 'construction-started', occurredOn: '2023-05-01' })
      .expect(201);
    await api.close();
  });

  afterAll(() => {
    for (const dir of [pristine, ...copies]) rmSync(dir, { recursive: true, force: true });
  });

  it('a sound store starts, and check says so (exit 0)', async () => {
    const api = await startApi({ dataDir: pristine });
    await api.close();
    const result = check(pristine);
    expect(result.stdout).toMatch(/\d+ events in \d+ streams checked: sound/);
    expect(result.status).toBe(0);
  });

  it.each([
    [
      'an unknown event type',
      "UPDATE events SET type = 'ProjectExploded'",
      /unknown event type "ProjectExploded"/,
    ],
    ['schema version 99', 'UPDATE events SET schema_version = 99', /schema version 99 of ProjectListed/],
  ])('%s: the API refuses to start naming the position; check exits 1', async (_, update, problem) => {
    const dir = corrupted((db) =>
      db.prepare(`${update} WHERE stream_id = 'project-b' AND revision = 1`).run(),
    );
    const position = positionOf(dir, 'project-b', 1);
    const error = await startRefused(dir);
    expect(error).toBeInstanceOf(CorruptStoreError);
    expect(error.message).toContain(`position ${position} (stream project-b, revision 1)`);
    expect(error.message).toMatch(problem);
    const result = check(dir);
    expect(result.stdout).toContain(`position ${position}`);
    expect(result.stdout).toMatch(problem);
    expect(result.stdout).toContain('1 findings');
    expect(result.status).toBe(1);
  });

  it('a missing revision: refused at the event after the gap, not a 409 write-contention later', async () => {
    const dir = corrupted((db) =>
      db.prepare("DELETE FROM events WHERE stream_id = 'project-a' AND revision = 1").run(),
    );
    const position = positionOf(dir, 'project-a', 2);
    const error = await startRefused(dir);
    expect(error).toBeInstanceOf(CorruptStoreError);
    expect(error.message).toContain(
      `position ${position} (stream project-a, revision 2): revision 2 follows revision 0`,
    );
    expect(check(dir).status).toBe(1);
  });

  it('an empty file where the store was: refused (not started as an empty store); check exits 2', async () => {
    const dir = corrupted(() => undefined);
    rmSync(`${embeddedStoreFile(dir)}-wal`, { force: true });
    rmSync(`${embeddedStoreFile(dir)}-shm`, { force: true });
    truncateSync(embeddedStoreFile(dir), 0);
    // emptied a while ago, not a file another process is creating this instant
    const anHourAgo = new Date(Date.now() - 3_600_000);
    utimesSync(embeddedStoreFile(dir), anHourAgo, anHourAgo);
    const error = await startRefused(dir);
    expect(error).toBeInstanceOf(MissingStoreError);
    expect(error.message).toContain('is empty');
    const result = check(dir);
    expect(result.stderr).toContain('is empty');
    expect(result.status).toBe(2);
  });

  it('a dropped events table: refused; check exits 2', async () => {
    const dir = corrupted((db) => db.exec('DROP TABLE events'));
    const error = await startRefused(dir);
    expect(error).toBeInstanceOf(MissingStoreError);
    expect(error.message).toContain('has no events table');
    expect(check(dir).status).toBe(2);
  });
});

describeWithPostgres('semantic corruption of the PostgreSQL store', (server) => {
  it('finds an unknown type and a revision gap with their positions, and refuses a dropped table', async () => {
    const url = await server().createDatabase('plt_integrity');
    const store = await PostgresEventStore.connect({ connectionString: url });
    const event = (type: string) => ({
      id: crypto.randomUUID(),
      type,
      schemaVersion: 1,
      data: {},
      metadata: {
        recordedAt: '2023-01-01T00:00:00Z',
        recordedBy: 't',
        source: { kind: 'api' },
        correlationId: 'c',
        causationId: 'c',
      },
    });
    await store.append(
      'zone-a',
      [event('ZoneRegistered'), event('ZoneCorrected'), event('ZoneCorrected')],
      'no_stream',
    );
    const unknown = await store.append('zone-b', [event('ZoneExploded')], 'no_stream');
    const sql = new Client({ connectionString: url });
    await sql.connect();
    try {
      await sql.query("DELETE FROM events WHERE stream_id = 'zone-a' AND revision = 1");
      const { findings } = await checkStoreIntegrity(store, { readableSchemaVersion });
      expect(findings.map((f) => [f.streamId, f.revision])).toEqual([
        ['zone-a', 2],
        ['zone-b', 0],
      ]);
      expect(findings[1]).toMatchObject({
        position: unknown.position,
        problem: 'unknown event type "ZoneExploded"',
      });
      await store.close();
      await sql.query('DROP TABLE events');
      await expect(PostgresEventStore.connect({ connectionString: url })).rejects.toBeInstanceOf(
        MissingStoreError,
      );
    } finally {
      await sql.end();
    }
  });
});
