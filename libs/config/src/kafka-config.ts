import { readFileSync } from 'node:fs';
import { ConfigError } from './config-error';

export type SaslMechanism = 'plain' | 'scram-sha-256' | 'scram-sha-512';

/** The Kafka side of the relay (README.md "Kafka": every KAFKA_* variable). */
export interface KafkaSettings {
  /** KAFKA_BROKERS: empty means the relay is off. */
  brokers: string[];
  clientId: string;
  topics: { events: string; notifications: string; reference: string; projects: string; deadLetter: string };
  /** Settings of topics the relay creates; existing topics are checked, not changed. */
  partitions: number;
  replicationFactor: number;
  minInsyncReplicas?: number;
  /** retention.ms of the topics the relay creates; -1 (the default) keeps them for ever. */
  retentionMs: number;
  /** The largest message the relay sends; the topic's own max.message.bytes caps it further. */
  maxMessageBytes: number;
  /** TLS to the brokers; `ca` is the PEM read from KAFKA_TLS_CA_FILE. */
  tls?: { ca?: string; rejectUnauthorized: boolean };
  sasl?: { mechanism: SaslMechanism; username: string; password: string };
  /** KAFKA_PUBLISH_RECORDED_BY: messages carry the recording officer's id and role. */
  publishRecordedBy: boolean;
}

/** How the relay judges itself (its /health and metrics) and where it starts without a checkpoint. */
export interface RelaySettings {
  /** RELAY_MAX_LAG: more unpublished positions than this for RELAY_STUCK_AFTER_MS turns health red. */
  maxLagPositions: number;
  /** RELAY_STUCK_AFTER_MS: failing (or lagging) for this long is "stuck". */
  stuckAfterMs: number;
  /** RELAY_START_AFTER: where to start when Kafka holds no checkpoint but the topics hold messages. */
  startAfter?: number;
  /** RELAY_HTTP_PORT: /health and /metrics of the relay process; unset = none. */
  httpPort?: number;
  /** RELAY_HTTP_HOST: the address it listens on (all interfaces by default, like the API). */
  httpHost: string;
}

const SASL_MECHANISMS: readonly SaslMechanism[] = ['plain', 'scram-sha-256', 'scram-sha-512'];

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number): number {
  const raw = env[name];
  const value = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < min) {
    throw new ConfigError(`${name} must be an integer ≥ ${min}, got ${raw}`);
  }
  return value;
}

function optionalInteger(env: NodeJS.ProcessEnv, name: string, min: number): number | undefined {
  return env[name] === undefined || env[name] === '' ? undefined : integer(env, name, 0, min);
}

export function loadKafkaSettings(env: NodeJS.ProcessEnv): KafkaSettings {
  const brokers = (env.KAFKA_BROKERS ?? '')
    .split(',')
    .map((broker) => broker.trim())
    .filter(Boolean);
  const retentionMs = integer(env, 'KAFKA_RETENTION_MS', -1, -1);
  const tlsOn = env.KAFKA_TLS === 'true' || Boolean(env.KAFKA_TLS_CA_FILE);
  if (env.KAFKA_TLS !== undefined && !['true', 'false', ''].includes(env.KAFKA_TLS)) {
    throw new ConfigError(`KAFKA_TLS must be true or false, got ${env.KAFKA_TLS}`);
  }
  let ca: string | undefined;
  if (env.KAFKA_TLS_CA_FILE) {
    try {
      ca = readFileSync(env.KAFKA_TLS_CA_FILE, 'utf8');
    } catch (error) {
      throw new ConfigError(`KAFKA_TLS_CA_FILE cannot be read: ${(error as Error).message}`);
    }
  }
  let sasl: KafkaSettings['sasl'];
  if (env.KAFKA_SASL_MECHANISM) {
    const mechanism = env.KAFKA_SASL_MECHANISM.toLowerCase() as SaslMechanism;
    if (!SASL_MECHANISMS.includes(mechanism)) {
      throw new ConfigError(
        `KAFKA_SASL_MECHANISM must be one of ${SASL_MECHANISMS.join(', ')}, got ${env.KAFKA_SASL_MECHANISM}`,
      );
    }
    if (!env.KAFKA_SASL_USERNAME || env.KAFKA_SASL_PASSWORD === undefined) {
      throw new ConfigError('KAFKA_SASL_MECHANISM needs KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD');
    }
    sasl = { mechanism, username: env.KAFKA_SASL_USERNAME, password: env.KAFKA_SASL_PASSWORD };
  }
  const events = env.KAFKA_EVENTS_TOPIC || 'project-lifecycle.events.v1';
  return {
    brokers,
    clientId: env.KAFKA_CLIENT_ID || 'project-lifecycle-relay',
    topics: {
      events,
      notifications: env.KAFKA_NOTIFICATIONS_TOPIC || 'project-lifecycle.notifications.v1',
      reference: env.KAFKA_REFERENCE_TOPIC || 'project-lifecycle.reference.v1',
      projects: env.KAFKA_PROJECTS_TOPIC || 'project-lifecycle.projects.v1',
      deadLetter: env.KAFKA_DEAD_LETTER_TOPIC || 'project-lifecycle.dead-letter.v1',
    },
    partitions: integer(env, 'KAFKA_PARTITIONS', 6, 1),
    replicationFactor: integer(env, 'KAFKA_REPLICATION_FACTOR', 1, 1),
    minInsyncReplicas: optionalInteger(env, 'KAFKA_MIN_INSYNC_REPLICAS', 1),
    retentionMs,
    maxMessageBytes: integer(env, 'KAFKA_MAX_MESSAGE_BYTES', 1_000_000, 1_024),
    tls: tlsOn ? { ca, rejectUnauthorized: env.KAFKA_TLS_REJECT_UNAUTHORIZED !== 'false' } : undefined,
    sasl,
    publishRecordedBy: env.KAFKA_PUBLISH_RECORDED_BY === 'true',
  };
}

export function loadRelaySettings(env: NodeJS.ProcessEnv): RelaySettings {
  const httpPort = optionalInteger(env, 'RELAY_HTTP_PORT', 0);
  if (httpPort !== undefined && httpPort > 65535) {
    throw new ConfigError(`RELAY_HTTP_PORT must be 0-65535, got ${env.RELAY_HTTP_PORT}`);
  }
  return {
    maxLagPositions: integer(env, 'RELAY_MAX_LAG', 1_000, 0),
    stuckAfterMs: integer(env, 'RELAY_STUCK_AFTER_MS', 30_000, 1),
    startAfter: optionalInteger(env, 'RELAY_START_AFTER', 0),
    httpPort,
    httpHost: env.RELAY_HTTP_HOST || '0.0.0.0',
  };
}
