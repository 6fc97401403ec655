import { execFile, spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Config } from '@jest/types';
import { EVENTSTORE_SKIP_REASON, planTestServices } from './test-services-plan';

/**
 * Jest global setup of the e2e project: starts the services the suites need and that nobody
 * gave them, and says which. Kafka, when KAFKA_BROKERS is unset: a container when a Docker
 * engine answers (testcontainers), otherwise infra/kafka/broker.sh (Java + Maven) on free ports
 * and a data directory of its own, so parallel runs do not collide; with neither, the Kafka
 * suites skip and say why. EventStoreDB, when EVENTSTORE_CONNECTION_STRING is unset and Docker
 * answers: a container of the LTS server. `.ci/run` starts its broker itself and sets
 * KAFKA_BROKERS, so this does nothing there. KAFKA_AUTOSTART=false turns it off.
 */

const ROOT = resolve(__dirname, '../..');
const BROKER_SH = join(ROOT, 'infra', 'kafka', 'broker.sh');
/** The suites that talk to Kafka (through test/support/kafka.ts). */
const KAFKA_SUITES = [
  join(ROOT, 'test', 'relay-kafka.e2e.spec.ts'),
  join(ROOT, 'test', 'consumer-example.e2e.spec.ts'),
  join(ROOT, 'libs', 'messaging', 'src', 'kafka-publisher.int.spec.ts'),
  join(ROOT, 'test', 'kafka-sasl.e2e.spec.ts'),
];
/** The suites that also need the broker's SASL listeners: opened only when they run. */
const KAFKA_SASL_SUITES = [join(ROOT, 'test', 'kafka-sasl.e2e.spec.ts')];
/** The conformance suite against a real EventStoreDB server. */
const EVENTSTORE_SUITES = [
  join(ROOT, 'libs', 'event-store', 'src', 'eventstoredb', 'eventstoredb-event-store.int.spec.ts'),
];
/** Confluent's image: the one @testcontainers/kafka configures (KRaft since 7.x). */
const KAFKA_IMAGE = 'confluentinc/cp-kafka:7.9.2';
/** EventStoreDB 24.10, the long-term-support release for @eventstore/db-client 6 (docs/architecture.md). */
const EVENTSTORE_IMAGE = 'eventstore/eventstore:24.10';

interface Stoppable {
  what: string;
  stop(): Promise<void>;
}

/** Shared with globalTeardown through the global object, which jest keeps between the two. */
const started: Stoppable[] = ((globalThis as { testServices?: Stoppable[] }).testServices ??= []);

function say(message: string): void {
  process.stderr.write(`\n[test services] ${message}\n`);
}

function succeeds(command: string, args: string[], timeoutMs: number): Promise<boolean> {
  return new Promise((resolveRun) => {
    execFile(command, args, { timeout: timeoutMs }, (error) => resolveRun(!error));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
    server.on('error', reject);
  });
}

/** Whether the run includes one of `suites` (`npx jest some/file` often does not). */
function runsAnyOf(globalConfig: Config.GlobalConfig, suites: string[]): boolean {
  const pattern = globalConfig.testPathPattern;
  if (!pattern) return true;
  const matcher = new RegExp(pattern, 'i');
  return suites.some((suite) => matcher.test(suite));
}

function runBrokerSh(command: 'start' | 'stop', env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolveRun, reject) => {
    const child = spawn('bash', [BROKER_SH, command], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolveRun(output) : reject(new Error(`broker.sh ${command} exited ${code}:\n${output}`)),
    );
  });
}

async function startKafkaContainer(): Promise<string> {
  const { KafkaContainer } = await import('@testcontainers/kafka');
  const container = await new KafkaContainer(KAFKA_IMAGE).withKraft().start();
  started.push({ what: 'Kafka container', stop: () => container.stop().then(() => undefined) });
  return `${container.getHost()}:${container.getMappedPort(9093)}`;
}

/**
 * With `sasl`, the broker also opens its SASL_PLAINTEXT and SASL_SSL listeners, and the suites
 * learn them from the KAFKA_SASL_*TEST* variables (test/support/kafka.ts saslListeners).
 */
async function startKafkaBrokerSh(sasl: boolean): Promise<string> {
  const [port, controllerPort] = [await freePort(), await freePort()];
  const dataDir = mkdtempSync(join(tmpdir(), 'plt-test-kafka-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    KAFKA_PORT: String(port),
    KAFKA_CONTROLLER_PORT: String(controllerPort),
    KAFKA_DATA_DIR: join(dataDir, 'kafka'),
  };
  if (sasl) {
    const [saslPort, saslSslPort] = [await freePort(), await freePort()];
    Object.assign(env, {
      KAFKA_SASL_PORT: String(saslPort),
      KAFKA_SASL_SSL_PORT: String(saslSslPort),
      KAFKA_SASL_PLAIN_USER: 'tracker',
      KAFKA_SASL_PLAIN_PASSWORD: randomUUID(),
    });
  }
  try {
    await runBrokerSh('start', env);
  } catch (error) {
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  if (sasl) {
    Object.assign(process.env, {
      KAFKA_SASL_TEST_BROKERS: `127.0.0.1:${env.KAFKA_SASL_PORT}`,
      KAFKA_SASL_SSL_TEST_BROKERS: `127.0.0.1:${env.KAFKA_SASL_SSL_PORT}`,
      KAFKA_SASL_TEST_CA_FILE: join(dataDir, 'kafka', 'tls', 'ca.pem'),
      KAFKA_SASL_PLAIN_USER: env.KAFKA_SASL_PLAIN_USER,
      KAFKA_SASL_PLAIN_PASSWORD: env.KAFKA_SASL_PLAIN_PASSWORD,
    });
  }
  // Should jest exit without its teardown (a crash, a second Ctrl-C), stop the broker anyway.
  const stopOnExit = () => {
    spawnSync('bash', [BROKER_SH, 'stop'], { env, stdio: 'ignore' });
    rmSync(dataDir, { recursive: true, force: true });
  };
  process.once('exit', stopOnExit);
  started.push({
    what: `infra/kafka/broker.sh broker on 127.0.0.1:${port}`,
    stop: async () => {
      process.removeListener('exit', stopOnExit);
      await runBrokerSh('stop', env);
      rmSync(dataDir, { recursive: true, force: true });
    },
  });
  return `127.0.0.1:${port}`;
}

async function startEventStoreContainer(): Promise<string> {
  const { GenericContainer, Wait } = await import('testcontainers');
  const container = await new GenericContainer(EVENTSTORE_IMAGE)
    .withCommand(['--insecure', '--run-projections=None', '--mem-db'])
    .withExposedPorts(2113)
    .withWaitStrategy(Wait.forHttp('/health/live', 2113).forStatusCode(204))
    .start();
  started.push({ what: 'EventStoreDB container', stop: () => container.stop().then(() => undefined) });
  return `esdb://${container.getHost()}:${container.getMappedPort(2113)}?tls=false`;
}

export default async function globalSetup(globalConfig: Config.GlobalConfig): Promise<void> {
  const plan = await planTestServices(
    process.env,
    {
      kafka: runsAnyOf(globalConfig, KAFKA_SUITES),
      eventStoreDb: runsAnyOf(globalConfig, EVENTSTORE_SUITES),
    },
    {
      dockerAnswers: () => succeeds('docker', ['info'], 5_000),
      javaAndMaven: async () =>
        (await succeeds('java', ['-version'], 10_000)) && (await succeeds('mvn', ['-v'], 20_000)),
    },
    { kafka: KAFKA_IMAGE, eventStoreDb: EVENTSTORE_IMAGE },
  );
  say(plan.kafka.say);
  if (plan.kafka.start !== 'nothing') {
    process.env.KAFKA_BROKERS =
      plan.kafka.start === 'container'
        ? await startKafkaContainer()
        : await startKafkaBrokerSh(runsAnyOf(globalConfig, KAFKA_SASL_SUITES));
    say(`Kafka: KAFKA_BROKERS=${process.env.KAFKA_BROKERS}`);
  }
  say(plan.eventStoreDb.say);
  if (plan.eventStoreDb.start === 'container') {
    process.env.EVENTSTORE_CONNECTION_STRING = await startEventStoreContainer();
    say(`EventStoreDB: EVENTSTORE_CONNECTION_STRING=${process.env.EVENTSTORE_CONNECTION_STRING}`);
  } else if (plan.eventStoreDb.suitesSkip) {
    process.env[EVENTSTORE_SKIP_REASON] = plan.eventStoreDb.say;
  }
}

/** Stops what globalSetup started (same process: jest runs both in the parent). */
export async function stopTestServices(): Promise<void> {
  for (const service of started.splice(0).reverse()) {
    try {
      await service.stop();
      say(`stopped the ${service.what}`);
    } catch (error) {
      say(`could not stop the ${service.what}: ${String(error)}`);
    }
  }
}
