import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from './tracker-config';

describe('loadConfig: the event store', () => {
  let dataDir: string;
  const env = (extra: Record<string, string>) => ({
    DATA_DIR: dataDir,
    AUTH_JWT_SECRET: 'a-secret-that-is-long-enough-0123456789',
    ...extra,
  });

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'plt-config-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('defaults to the embedded store', () => {
    expect(loadConfig(env({}))).toMatchObject({ eventStore: 'embedded', databaseUrl: undefined });
  });

  it('selects PostgreSQL with DATABASE_URL', () => {
    const url = 'postgres://tracker:secret@db.example:5432/tracker';
    expect(loadConfig(env({ EVENT_STORE: 'postgres', DATABASE_URL: url }))).toMatchObject({
      eventStore: 'postgres',
      databaseUrl: url,
    });
  });

  it('selects PostgreSQL with the PG* variables instead, leaving them to node-postgres', () => {
    expect(
      loadConfig(env({ EVENT_STORE: 'postgres', PGHOST: 'db.example', PGDATABASE: 'tracker' })),
    ).toMatchObject({ eventStore: 'postgres', databaseUrl: undefined });
  });

  it('refuses PostgreSQL without a database to connect to, and an unknown store', () => {
    expect(() => loadConfig(env({ EVENT_STORE: 'postgres' }))).toThrow(ConfigError);
    expect(() => loadConfig(env({ EVENT_STORE: 'postgres' }))).toThrow(/DATABASE_URL/);
    expect(() => loadConfig(env({ EVENT_STORE: 'mysql' }))).toThrow(
      /"embedded", "eventstoredb" or "postgres"/,
    );
  });
});

describe('loadConfig: operations settings', () => {
  const BASE = {
    AUTH_JWT_SECRET: 'a-secret-that-is-long-enough-0123456789',
    DATA_DIR: '/tmp/plt-config-spec',
  };

  it('defaults to info logs, an open /metrics and a 10 s shutdown', () => {
    expect(loadConfig(BASE)).toMatchObject({
      logLevel: 'info',
      metricsToken: undefined,
      shutdownTimeoutMs: 10_000,
    });
  });

  it('keeps Idempotency-Keys 30 days and gives a silent worker 120 s unless told otherwise', () => {
    expect(loadConfig(BASE)).toMatchObject({ idempotencyRetentionDays: 30, heavyReadsTimeoutMs: 120_000 });
    expect(
      loadConfig({ ...BASE, IDEMPOTENCY_RETENTION_DAYS: '90', HEAVY_READS_TIMEOUT_MS: '5000' }),
    ).toMatchObject({ idempotencyRetentionDays: 90, heavyReadsTimeoutMs: 5_000 });
  });

  it('reads LOG_LEVEL in any case, METRICS_TOKEN and SHUTDOWN_TIMEOUT_MS', () => {
    expect(
      loadConfig({ ...BASE, LOG_LEVEL: 'WARN', METRICS_TOKEN: 'scrape', SHUTDOWN_TIMEOUT_MS: '2500' }),
    ).toMatchObject({ logLevel: 'warn', metricsToken: 'scrape', shutdownTimeoutMs: 2_500 });
  });

  it.each([
    [{ LOG_LEVEL: 'verbose' }, /LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent/],
    [{ SHUTDOWN_TIMEOUT_MS: '-1' }, /SHUTDOWN_TIMEOUT_MS must be an integer/],
    [{ SHUTDOWN_TIMEOUT_MS: 'soon' }, /SHUTDOWN_TIMEOUT_MS must be an integer/],
    [{ IDEMPOTENCY_RETENTION_DAYS: '0' }, /IDEMPOTENCY_RETENTION_DAYS must be an integer ≥ 1/],
    [{ IDEMPOTENCY_RETENTION_DAYS: '1.5' }, /IDEMPOTENCY_RETENTION_DAYS must be an integer ≥ 1/],
    [{ HEAVY_READS_TIMEOUT_MS: '0' }, /HEAVY_READS_TIMEOUT_MS must be an integer ≥ 1/],
  ])('refuses %j', (env, message) => {
    expect(() => loadConfig({ ...BASE, ...env })).toThrow(ConfigError);
    expect(() => loadConfig({ ...BASE, ...env })).toThrow(message);
  });
});
