import { randomUUID } from 'node:crypto';
import { Kafka, KafkaMessage, logLevel } from 'kafkajs';

/**
 * Brokers for the Kafka tests: KAFKA_BROKERS (CI starts a real broker with
 * infra/kafka/broker.sh and sets it; otherwise test/support/global-setup.ts may). Outside CI the tests are skipped with a message when it
 * is unset; in CI a missing broker fails them, so they can never be silently skipped there.
 */
export function kafkaBrokers(): string[] | undefined {
  const brokers = (process.env.KAFKA_BROKERS ?? '').split(',').filter(Boolean);
  if (brokers.length > 0) return brokers;
  if (process.env.CI) {
    throw new Error('CI=true but KAFKA_BROKERS is not set: .ci/run must start infra/kafka/broker.sh');
  }
  console.warn(
    'Kafka tests skipped: KAFKA_BROKERS is not set and the test setup started no broker (no Docker ' +
      'engine, no Java + Maven, or KAFKA_AUTOSTART=false). Start one with `bash infra/kafka/broker.sh start` ' +
      'and run with KAFKA_BROKERS=127.0.0.1:19092.',
  );
  return undefined;
}

export interface ConsumedMessage {
  topic: string;
  partition: number;
  key: string;
  value: Record<string, unknown>;
  headers: Record<string, string>;
}

function decode(topic: string, partition: number, message: KafkaMessage): ConsumedMessage {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers ?? {})) headers[name] = String(value);
  return {
    topic,
    partition,
    key: message.key?.toString() ?? '',
    value: JSON.parse(message.value?.toString() ?? 'null'),
    headers,
  };
}

/** Reads topics from the beginning with a fresh group until `until` holds or the time is up. */
export async function consumeAll(
  brokers: string[],
  topics: string[],
  until: (messages: ConsumedMessage[]) => boolean,
  timeoutMs = 60_000,
): Promise<ConsumedMessage[]> {
  const kafka = new Kafka({ clientId: 'test-consumer', brokers, logLevel: logLevel.NOTHING });
  await waitForTopics(kafka, topics, timeoutMs);
  // read_committed: the relay publishes in transactions; an aborted batch is never seen.
  const consumer = kafka.consumer({ groupId: `test-${randomUUID()}`, readUncommitted: false });
  const messages: ConsumedMessage[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topics, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => resolve(), timeoutMs);
      consumer
        .run({
          eachMessage: async ({ topic, partition, message }) => {
            messages.push(decode(topic, partition, message));
            if (until(messages)) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  return messages;
}

/** The relay creates its topics when it starts; a consumer must not subscribe before that. */
async function waitForTopics(kafka: Kafka, topics: string[], timeoutMs: number): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const existing = await admin.listTopics();
      if (topics.every((topic) => existing.includes(topic))) return;
      if (Date.now() > deadline) throw new Error(`topics ${topics.join(', ')} were not created in time`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  } finally {
    await admin.disconnect();
  }
}

export const uniqueTopics = () => {
  const suffix = randomUUID().slice(0, 8);
  return {
    events: `test-${suffix}.events`,
    notifications: `test-${suffix}.notifications`,
    reference: `test-${suffix}.reference`,
    projects: `test-${suffix}.projects`,
    deadLetter: `test-${suffix}.dead-letter`,
  };
};

/**
 * The test broker's authenticated listeners (infra/kafka/broker.sh KAFKA_SASL_PORT and
 * KAFKA_SASL_SSL_PORT), as the global setup or .ci/run passes them: the KAFKA_* variables a
 * tracker would be given to reach each one. Undefined (the suite skips, failing in CI) when the
 * broker in use has none: a Docker container, or a KAFKA_BROKERS given from outside.
 */
export interface SaslListeners {
  saslPlaintext: NodeJS.ProcessEnv;
  saslSsl: NodeJS.ProcessEnv;
  /** The one user the listeners know. */
  username: string;
  password: string;
}

export function saslListeners(): SaslListeners | undefined {
  const { KAFKA_SASL_TEST_BROKERS, KAFKA_SASL_SSL_TEST_BROKERS, KAFKA_SASL_TEST_CA_FILE } = process.env;
  const { KAFKA_SASL_PLAIN_USER: username, KAFKA_SASL_PLAIN_PASSWORD: password } = process.env;
  if (
    KAFKA_SASL_TEST_BROKERS &&
    KAFKA_SASL_SSL_TEST_BROKERS &&
    KAFKA_SASL_TEST_CA_FILE &&
    username &&
    password
  ) {
    const credentials = {
      KAFKA_SASL_MECHANISM: 'PLAIN',
      KAFKA_SASL_USERNAME: username,
      KAFKA_SASL_PASSWORD: password,
    };
    return {
      saslPlaintext: { KAFKA_BROKERS: KAFKA_SASL_TEST_BROKERS, ...credentials },
      saslSsl: {
        KAFKA_BROKERS: KAFKA_SASL_SSL_TEST_BROKERS,
        KAFKA_TLS_CA_FILE: KAFKA_SASL_TEST_CA_FILE,
        ...credentials,
      },
      username,
      password,
    };
  }
  if (process.env.CI) {
    throw new Error(
      'CI=true but the broker has no SASL listeners: .ci/run must set KAFKA_SASL_PORT and KAFKA_SASL_SSL_PORT',
    );
  }
  console.warn(
    'Kafka SASL tests skipped: the broker in use has no SASL listeners (only a broker started by ' +
      'infra/kafka/broker.sh with KAFKA_SASL_PORT and KAFKA_SASL_SSL_PORT has; see README "Kafka").',
  );
  return undefined;
}
