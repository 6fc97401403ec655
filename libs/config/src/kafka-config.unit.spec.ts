import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from './config-error';
import { loadKafkaSettings, loadRelaySettings } from './kafka-config';

describe('loadKafkaSettings', () => {
  it('defaults to the v1 topics, 6 partitions, one replica, events kept for ever and a 1 MB limit', () => {
    expect(loadKafkaSettings({ KAFKA_BROKERS: 'a:9092, b:9092' })).toEqual({
      brokers: ['a:9092', 'b:9092'],
      clientId: 'project-lifecycle-relay',
      topics: {
        events: 'project-lifecycle.events.v1',
        notifications: 'project-lifecycle.notifications.v1',
        reference: 'project-lifecycle.reference.v1',
        projects: 'project-lifecycle.projects.v1',
        deadLetter: 'project-lifecycle.dead-letter.v1',
      },
      partitions: 6,
      replicationFactor: 1,
      minInsyncReplicas: undefined,
      retentionMs: -1,
      maxMessageBytes: 1_000_000,
      tls: undefined,
      sasl: undefined,
      publishRecordedBy: false,
    });
  });

  it('reads topic settings, TLS with a CA file, and SASL', () => {
    const dir = mkdtempSync(join(tmpdir(), 'plt-kafka-config-'));
    try {
      writeFileSync(join(dir, 'ca.pem'), 'PEM');
      const settings = loadKafkaSettings({
        KAFKA_PARTITIONS: '12',
        KAFKA_REPLICATION_FACTOR: '3',
        KAFKA_MIN_INSYNC_REPLICAS: '2',
        KAFKA_RETENTION_MS: '604800000',
        KAFKA_TLS_CA_FILE: join(dir, 'ca.pem'),
        KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512',
        KAFKA_SASL_USERNAME: 'relay',
        KAFKA_SASL_PASSWORD: 'secret',
      });
      expect(settings).toMatchObject({
        partitions: 12,
        replicationFactor: 3,
        minInsyncReplicas: 2,
        retentionMs: 604_800_000,
        tls: { ca: 'PEM', rejectUnauthorized: true },
        sasl: { mechanism: 'scram-sha-512', username: 'relay', password: 'secret' },
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses impossible settings, naming the variable', () => {
    expect(() => loadKafkaSettings({ KAFKA_PARTITIONS: '0' })).toThrow(
      /KAFKA_PARTITIONS must be an integer ≥ 1/,
    );
    expect(() => loadKafkaSettings({ KAFKA_RETENTION_MS: '-2' })).toThrow(ConfigError);
    expect(() => loadKafkaSettings({ KAFKA_SASL_MECHANISM: 'plain' })).toThrow(/KAFKA_SASL_USERNAME/);
    expect(() => loadKafkaSettings({ KAFKA_SASL_MECHANISM: 'kerberos' })).toThrow(/KAFKA_SASL_MECHANISM/);
    expect(() => loadKafkaSettings({ KAFKA_TLS: 'yes' })).toThrow(/KAFKA_TLS must be true or false/);
    expect(() => loadKafkaSettings({ KAFKA_TLS_CA_FILE: '/no/such/ca.pem' })).toThrow(/KAFKA_TLS_CA_FILE/);
  });
});

describe('loadRelaySettings', () => {
  it('defaults to red after 30 s of failing or 1,000 positions of lag, no start position, no HTTP', () => {
    expect(loadRelaySettings({})).toEqual({
      maxLagPositions: 1_000,
      stuckAfterMs: 30_000,
      startAfter: undefined,
      httpPort: undefined,
      httpHost: '0.0.0.0',
    });
    expect(loadRelaySettings({ RELAY_START_AFTER: '0', RELAY_HTTP_PORT: '9464' })).toMatchObject({
      startAfter: 0,
      httpPort: 9464,
    });
    expect(() => loadRelaySettings({ RELAY_HTTP_PORT: '70000' })).toThrow(/RELAY_HTTP_PORT/);
  });
});
