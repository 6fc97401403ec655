import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ConfigError } from './config-error';
import { KafkaSettings, RelaySettings, loadKafkaSettings, loadRelaySettings } from './kafka-config';

/** Everything the processes read from the environment (README.md "Configuration"), parsed once. */
export interface TrackerConfig {
  port: number;
  dataDir: string;
  eventStore: 'embedded' | 'eventstoredb' | 'postgres';
  eventStoreConnectionString?: string;
  /** DATABASE_URL for EVENT_STORE=postgres; without it node-postgres reads the PG* variables. */
  databaseUrl?: string;
  jwtSecret: string;
  /** Says where the secret came from, so the API can warn when it generated one. */
  jwtSecretSource: 'environment' | 'generated-for-development' | 'development-file' | 'not-loaded';
  /** Bearer token policy (README.md "Tokens"): every token needs `exp`, at most this far after `iat`. */
  jwtMaxLifetimeSeconds: number;
  /** AUTH_JWT_ISSUER / AUTH_JWT_AUDIENCE: when set, every bearer token must carry them. */
  jwtIssuer?: string;
  jwtAudience?: string;
  /**
   * A province's identity provider: tokens signed with its keys (RS256, PS256, ES256, EdDSA)
   * are verified against its JWKS, given directly (AUTH_JWKS_URL) or found through OpenID
   * discovery of AUTH_OIDC_ISSUER (which also becomes the required issuer).
   */
  jwksUrl?: string;
  oidcIssuer?: string;
  kafkaBrokers: string[];
  /** Topic names (README.md "Kafka"); configurable for tests and multi-tenant clusters. */
  kafkaEventsTopic: string;
  kafkaNotificationsTopic: string;
  /** How long a killed relay keeps the publishing lock before a standby takes over. */
  relaySessionTimeoutMs: number;
  /** Everything the relay needs of Kafka: topics and their settings, limits, TLS, SASL. */
  kafka: KafkaSettings;
  relay: RelaySettings;
  /** The province's UTC offset in minutes: "today" for effective dates (China: +08:00). */
  utcOffsetMinutes: number;
  production: boolean;
  /** NOTIFICATION_SETTINGS as given (JSON); parsed and checked by the notification module. */
  notificationSettingsJson?: string;
  /** LOG_LEVEL: the least severe log level written (README.md "Logs, metrics and shutdown"). */
  logLevel: LogLevel;
  /** SHUTDOWN_TIMEOUT_MS: how long SIGTERM may drain requests before the process exits anyway. */
  shutdownTimeoutMs: number;
  /** METRICS_TOKEN: when set, `GET /metrics` needs `Authorization: Bearer <token>`. */
  metricsToken?: string;
  /** PROGRAMME_START: the day the programme began; no effective date may precede it. */
  programmeStartOn: string;
  /** RATE_LIMIT_PER_MINUTE: requests per caller per minute on every endpoint but health and metrics (0: no limit). */
  rateLimitPerMinute: number;
  /** RATE_LIMIT_EXPENSIVE_PER_MINUTE: and on verification, preview, stalled lists and rebuild (0: no limit). */
  rateLimitExpensivePerMinute: number;
  /** REQUEST_TIMEOUT_MS: a request not answered by then gets a 503 (and the socket is closed after twice that). */
  requestTimeoutMs: number;
  /** HEALTH_MIN_FREE_DISK_MB: below this much free space in DATA_DIR, /health says degraded. */
  minFreeDiskBytes: number;
  /** HEAVY_READS: verification, preview and stalled lists in a worker thread (default) or inline. */
  heavyReads: 'worker' | 'inline';
  /**
   * PROJECTION_SNAPSHOT_EVERY: the read model is snapshotted to DATA_DIR after this many events
   * (and on shutdown), and a restart folds only the tail; 0 turns snapshots off.
   */
  projectionSnapshotEvery: number;
  /**
   * HEAVY_READS_TIMEOUT_MS: a worker that holds tasks and answers none for this long is stuck:
   * it is replaced and its tasks answered 503.
   */
  heavyReadsTimeoutMs: number;
  /** IDEMPOTENCY_RETENTION_DAYS: how long an Idempotency-Key stays bound to its first request. */
  idempotencyRetentionDays: number;
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * How a process gets the JWT secret when AUTH_JWT_SECRET is not set: the API generates the
 * development one; the CLI's token command uses only an existing one (a fresh secret would
 * mint tokens the API rejects); commands that read the store need none.
 */
export type SecretPolicy = 'generate' | 'existing' | 'none';

export { ConfigError };

const OFFSET = /^([+-])(\d{2}):(\d{2})$/;

const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

/** DATA_DIR as every process resolves it. */
export const dataDirOf = (env: NodeJS.ProcessEnv = process.env) => resolve(env.DATA_DIR ?? './data');

export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  { secret = 'generate' }: { secret?: SecretPolicy } = {},
): TrackerConfig {
  const production = env.NODE_ENV === 'production';
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new ConfigError(`PORT must be 0-65535, got ${env.PORT}`);
  const dataDir = dataDirOf(env);
  const eventStore = env.EVENT_STORE ?? 'embedded';
  if (eventStore !== 'embedded' && eventStore !== 'eventstoredb' && eventStore !== 'postgres') {
    throw new ConfigError(
      `EVENT_STORE must be "embedded", "eventstoredb" or "postgres", got "${eventStore}"`,
    );
  }
  const eventStoreConnectionString = env.EVENTSTORE_CONNECTION_STRING || undefined;
  if (eventStore === 'eventstoredb' && !eventStoreConnectionString) {
    throw new ConfigError(
      'EVENT_STORE=eventstoredb needs EVENTSTORE_CONNECTION_STRING (e.g. esdb://localhost:2113?tls=false)',
    );
  }
  const databaseUrl = env.DATABASE_URL || undefined;
  if (eventStore === 'postgres' && !databaseUrl && !env.PGHOST && !env.PGDATABASE) {
    throw new ConfigError(
      'EVENT_STORE=postgres needs DATABASE_URL (e.g. postgres://tracker:secret@localhost:5432/tracker) ' +
        'or the PG* variables (PGHOST, PGDATABASE, PGUSER, PGPASSWORD)',
    );
  }
  const offset = OFFSET.exec(env.TRACKER_UTC_OFFSET ?? '+08:00');
  if (!offset)
    throw new ConfigError(`TRACKER_UTC_OFFSET must look like +08:00, got ${env.TRACKER_UTC_OFFSET}`);
  const utcOffsetMinutes = (offset[1] === '-' ? -1 : 1) * (Number(offset[2]) * 60 + Number(offset[3]));
  const { jwtSecret, jwtSecretSource } =
    secret === 'none'
      ? { jwtSecret: '', jwtSecretSource: 'not-loaded' as const }
      : jwtSecretFrom(env.AUTH_JWT_SECRET, dataDir, production, secret === 'generate');
  const jwtMaxLifetimeSeconds = Number(env.AUTH_JWT_MAX_LIFETIME_SECONDS ?? 30 * 24 * 3600);
  if (!Number.isInteger(jwtMaxLifetimeSeconds) || jwtMaxLifetimeSeconds < 60) {
    throw new ConfigError(
      `AUTH_JWT_MAX_LIFETIME_SECONDS must be an integer ≥ 60, got ${env.AUTH_JWT_MAX_LIFETIME_SECONDS}`,
    );
  }
  for (const name of ['AUTH_JWKS_URL', 'AUTH_OIDC_ISSUER'] as const) {
    const value = env[name];
    if (value && !/^https?:\/\/[^\s]+$/.test(value))
      throw new ConfigError(`${name} must be an http(s) URL, got ${value}`);
  }
  const oidcIssuer = env.AUTH_OIDC_ISSUER || undefined;
  const programmeStartOn = env.PROGRAMME_START || '2022-01-01';
  if (!DATE.test(programmeStartOn))
    throw new ConfigError(`PROGRAMME_START must be a date YYYY-MM-DD, got ${env.PROGRAMME_START}`);
  const kafkaBrokers = (env.KAFKA_BROKERS ?? '')
    .split(',')
    .map((broker) => broker.trim())
    .filter(Boolean);
  const relaySessionTimeoutMs = Number(env.RELAY_SESSION_TIMEOUT_MS ?? 6000);
  if (!Number.isInteger(relaySessionTimeoutMs) || relaySessionTimeoutMs < 1000) {
    throw new ConfigError(
      `RELAY_SESSION_TIMEOUT_MS must be an integer ≥ 1000, got ${env.RELAY_SESSION_TIMEOUT_MS}`,
    );
  }
  const logLevel = (env.LOG_LEVEL || 'info').toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) {
    throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${env.LOG_LEVEL}"`);
  }
  const shutdownTimeoutMs = Number(env.SHUTDOWN_TIMEOUT_MS ?? 10_000);
  if (!Number.isInteger(shutdownTimeoutMs) || shutdownTimeoutMs < 0) {
    throw new ConfigError(`SHUTDOWN_TIMEOUT_MS must be an integer ≥ 0, got ${env.SHUTDOWN_TIMEOUT_MS}`);
  }
  const count = (name: string, fallback: number, minimum = 0): number => {
    const value = Number(env[name] ?? fallback);
    if (!Number.isInteger(value) || value < minimum) {
      throw new ConfigError(`${name} must be an integer ≥ ${minimum}, got ${env[name]}`);
    }
    return value;
  };
  const heavyReads = env.HEAVY_READS || 'worker';
  if (heavyReads !== 'worker' && heavyReads !== 'inline') {
    throw new ConfigError(`HEAVY_READS must be "worker" or "inline", got "${heavyReads}"`);
  }
  return {
    port,
    dataDir,
    eventStore,
    eventStoreConnectionString,
    databaseUrl,
    jwtSecret,
    jwtSecretSource,
    jwtMaxLifetimeSeconds,
    jwtIssuer: env.AUTH_JWT_ISSUER || oidcIssuer,
    jwtAudience: env.AUTH_JWT_AUDIENCE || undefined,
    jwksUrl: env.AUTH_JWKS_URL || undefined,
    oidcIssuer,
    kafkaBrokers,
    kafkaEventsTopic: env.KAFKA_EVENTS_TOPIC || 'project-lifecycle.events.v1',
    kafkaNotificationsTopic: env.KAFKA_NOTIFICATIONS_TOPIC || 'project-lifecycle.notifications.v1',
    relaySessionTimeoutMs,
    kafka: loadKafkaSettings(env),
    relay: loadRelaySettings(env),
    utcOffsetMinutes,
    production,
    notificationSettingsJson: env.NOTIFICATION_SETTINGS || undefined,
    logLevel: logLevel as LogLevel,
    shutdownTimeoutMs,
    metricsToken: env.METRICS_TOKEN || undefined,
    programmeStartOn,
    rateLimitPerMinute: count('RATE_LIMIT_PER_MINUTE', 600),
    rateLimitExpensivePerMinute: count('RATE_LIMIT_EXPENSIVE_PER_MINUTE', 20),
    requestTimeoutMs: count('REQUEST_TIMEOUT_MS', 30_000, 1),
    minFreeDiskBytes: count('HEALTH_MIN_FREE_DISK_MB', 100) * 1024 * 1024,
    heavyReads,
    projectionSnapshotEvery: count('PROJECTION_SNAPSHOT_EVERY', 50_000),
    heavyReadsTimeoutMs: count('HEAVY_READS_TIMEOUT_MS', 120_000, 1),
    idempotencyRetentionDays: count('IDEMPOTENCY_RETENTION_DAYS', 30, 1),
  };
}

const DEV_SECRET_FILE = 'dev-jwt-secret';

/**
 * Outside production a missing secret is generated once and kept in DATA_DIR, so that
 * `npm start` works on a fresh machine and the CLI can mint tokens for the same secret.
 * In production a missing or short secret stops the process.
 */
function jwtSecretFrom(
  fromEnv: string | undefined,
  dataDir: string,
  production: boolean,
  generate: boolean,
): Pick<TrackerConfig, 'jwtSecret' | 'jwtSecretSource'> {
  if (fromEnv) {
    if (fromEnv.length < 32) throw new ConfigError('AUTH_JWT_SECRET must be at least 32 characters');
    return { jwtSecret: fromEnv, jwtSecretSource: 'environment' };
  }
  if (production) throw new ConfigError('AUTH_JWT_SECRET is required when NODE_ENV=production');
  const file = join(dataDir, DEV_SECRET_FILE);
  if (!generate) {
    if (!existsSync(file)) {
      throw new ConfigError(
        `AUTH_JWT_SECRET is not set and ${dataDir} has no development secret: set AUTH_JWT_SECRET ` +
          "to the API's secret, or DATA_DIR to the API's data directory",
      );
    }
    return { jwtSecret: readFileSync(file, 'utf8').trim(), jwtSecretSource: 'development-file' };
  }
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    try {
      writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600, flag: 'wx' });
    } catch (error) {
      // Another process (API, relay, CLI) created it first: use theirs.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  return { jwtSecret: readFileSync(file, 'utf8').trim(), jwtSecretSource: 'generated-for-development' };
}
