import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KafkaSettings, loadKafkaSettings } from '@app/config';
import { KafkaPublisher, kafkaClient } from '@app/messaging';
import { SaslListeners, saslListeners } from './support/kafka';

/**
 * KAFKA_SASL_* and KAFKA_TLS_* against the test broker's SASL_PLAINTEXT and SASL_SSL listeners
 * (PLAIN): the relay's publisher built the way apps/relay builds it, from the tracker's own parsing.
 */
const ROOT = join(__dirname, '..');
const REGISTER_TS = join(__dirname, 'support', 'register-ts.js');
const RELAY_MAIN = join(ROOT, 'apps', 'relay', 'src', 'main.ts');

const listeners = saslListeners();
const describeWithSasl = listeners ? describe : describe.skip;

function settingsFor(env: NodeJS.ProcessEnv, topic: string): KafkaSettings {
  return loadKafkaSettings({ ...env, KAFKA_EVENTS_TOPIC: topic });
}

/** As apps/relay/src/relay.module.ts makes it. */
function publisherFor(settings: KafkaSettings): KafkaPublisher {
  return new KafkaPublisher({ ...settings, eventsTopic: settings.topics.events });
}

async function readOne(settings: KafkaSettings, topic: string): Promise<{ key: string; value: string }> {
  const consumer = kafkaClient(settings, 'sasl-test-consumer').consumer({
    groupId: `sasl-test-${randomUUID()}`,
  });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    return await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`nothing read from ${topic} within 30 s`)), 30_000);
      consumer
        .run({
          eachMessage: async ({ message }) => {
            clearTimeout(timer);
            resolve({ key: message.key?.toString() ?? '', value: message.value?.toString() ?? '' });
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
}

async function retriedWhileRetriable(call: () => Promise<void>): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (attempt === 10 || !(error as { retriable?: boolean }).retriable) throw error;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}

async function publishAndReadBack(env: NodeJS.ProcessEnv): Promise<void> {
  // given
  const topic = `sasl-${randomUUID().slice(0, 8)}.events`;
  const settings = settingsFor(env, topic);
  const publisher = publisherFor(settings);
  await publisher.connect();
  try {
    await publisher.ensureTopics([topic]);
    // when: retried like the relay retries a batch (a fresh broker's group coordinator may not be up yet)
    await retriedWhileRetriable(() =>
      publisher.publish(
        [
          {
            topic,
            key: 'project-1',
            value: '{"data":{"over":"sasl"}}',
            headers: { ce_id: 'e-1' },
            position: 1,
          },
        ],
        { position: 1, storeId: 'sasl-test', partitions: { [topic]: 6 } },
      ),
    );
  } finally {
    await publisher.close();
  }
  // then
  expect(await readOne(settings, topic)).toEqual({ key: 'project-1', value: '{"data":{"over":"sasl"}}' });
}

describeWithSasl('KAFKA_SASL_* and KAFKA_TLS_* against a broker with SASL listeners', () => {
  // Read inside the tests: a skipped describe still runs this body.
  const sasl = () => listeners as SaslListeners;

  it('publishes over SASL_PLAINTEXT with PLAIN credentials from KAFKA_SASL_*, and a consumer reads it back', async () => {
    await publishAndReadBack(sasl().saslPlaintext);
  }, 60_000);

  it('publishes over SASL_SSL trusting the broker certificate in KAFKA_TLS_CA_FILE, and a consumer reads it back', async () => {
    await publishAndReadBack(sasl().saslSsl);
  }, 60_000);

  it.each([
    ['SASL_PLAINTEXT', 'saslPlaintext' as const],
    ['SASL_SSL', 'saslSsl' as const],
  ])(
    'refuses a wrong password on %s with an error naming the failed authentication',
    async (_name, listener) => {
      const settings = settingsFor(
        { ...sasl()[listener], KAFKA_SASL_PASSWORD: `not-${sasl().password}` },
        'sasl-refused.events',
      );
      const publisher = publisherFor(settings);
      try {
        await expect(publisher.connect()).rejects.toMatchObject({
          name: 'KafkaJSSASLAuthenticationError',
          message: expect.stringMatching(/SASL PLAIN authentication failed.*Invalid username or password/),
        });
      } finally {
        await publisher.close();
      }
    },
    60_000,
  );

  it('is really authenticated: the SASL listener closes the connection of a client without KAFKA_SASL_MECHANISM', async () => {
    const { KAFKA_BROKERS } = sasl().saslPlaintext;
    const publisher = publisherFor(settingsFor({ KAFKA_BROKERS }, 'sasl-unauthenticated.events'));
    try {
      await expect(publisher.connect()).rejects.toThrow(/Closed connection/);
    } finally {
      await publisher.close();
    }
  }, 60_000);

  it('checks the broker certificate: without KAFKA_TLS_CA_FILE the self-signed broker is refused', async () => {
    const { KAFKA_TLS_CA_FILE: _ca, ...withoutCa } = sasl().saslSsl;
    const publisher = publisherFor(settingsFor({ ...withoutCa, KAFKA_TLS: 'true' }, 'sasl-untrusted.events'));
    try {
      await expect(publisher.connect()).rejects.toThrow(/certificate/i);
    } finally {
      await publisher.close();
    }
  }, 60_000);

  it('the relay with a wrong KAFKA_SASL_PASSWORD exits non-zero, naming the failed authentication', async () => {
    // given
    const dataDir = mkdtempSync(join(tmpdir(), 'sasl-relay-'));
    try {
      const relay = spawn('node', ['--require', REGISTER_TS, RELAY_MAIN], {
        cwd: ROOT,
        env: {
          ...process.env,
          ...sasl().saslPlaintext,
          KAFKA_SASL_PASSWORD: `not-${sasl().password}`,
          KAFKA_EVENTS_TOPIC: 'sasl-relay.events',
          DATA_DIR: dataDir,
          AUTH_JWT_SECRET: 'relay-test-secret-that-is-long-enough-000000',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      relay.stdout.on('data', (chunk) => (output += chunk));
      relay.stderr.on('data', (chunk) => (output += chunk));
      // when
      const code = await new Promise<number | null>((resolve) => relay.once('exit', resolve));
      // then
      expect(code).not.toBe(0);
      expect(output).toMatch(/KafkaJSSASLAuthenticationError: SASL PLAIN authentication failed/);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
