import { execFile, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Config } from '@jest/types';

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
const KAFKA_SUITES = [join(ROOT, 'test', 'relay-kafka.e2e.spec.ts')];
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

/** Whether the run includes a Kafka suite (`npx jest some/file` often does not). */
function runsKafkaSuites(globalConfig: Config.GlobalConfig): boolean {
  const pattern = globalConfig.testPathPattern;
  if (!pattern) return true;
  const matcher = new RegExp(pattern, 'i');
  return KAFKA_SUITES.some((suite) => matcher.test(suite));
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

async function startKafkaBrokerSh(): Promise<string> {
  const [port, controllerPort] = [await freePort(), await freePort()];
  const dataDir = mkdtempSync(join(tmpdir(), 'plt-test-kafka-'));
  const env = {
    ...process.env,
    KAFKA_PORT: String(port),
    KAFKA_CONTROLLER_PORT: String(controllerPort),
    KAFKA_DATA_DIR: join(dataDir, 'kafka'),
  };
  try {
    await runBrokerSh('start', env);
  } catch (error) {
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
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
  if (process.env.KAFKA_AUTOSTART === 'false') {
    say('KAFKA_AUTOSTART=false: starting no test services');
    return;
  }
  const docker = await succeeds('docker', ['info'], 5_000);
  if (process.env.KAFKA_BROKERS) {
    say(`Kafka: KAFKA_BROKERS is set (${process.env.KAFKA_BROKERS}): using it`);
  } else if (!runsKafkaSuites(globalConfig)) {
    say('Kafka: no Kafka suite in this run: starting no broker');
  } else if (docker) {
    say(`Kafka: a Docker engine answers: starting ${KAFKA_IMAGE} with testcontainers`);
    process.env.KAFKA_BROKERS = await startKafkaContainer();
    say(`Kafka: KAFKA_BROKERS=${process.env.KAFKA_BROKERS}`);
  } else if ((await succeeds('java', ['-version'], 10_000)) && (await succeeds('mvn', ['-v'], 20_000))) {
    say(
      'Kafka: no Docker engine answers (docker info); Java and Maven are here: starting infra/kafka/broker.sh',
    );
    process.env.KAFKA_BROKERS = await startKafkaBrokerSh();
    say(`Kafka: KAFKA_BROKERS=${process.env.KAFKA_BROKERS}`);
  } else {
    say(
      'Kafka: KAFKA_BROKERS is unset, no Docker engine answers and Java or Maven is missing: the Kafka suites skip',
    );
  }
  if (process.env.EVENTSTORE_CONNECTION_STRING) {
    say('EventStoreDB: EVENTSTORE_CONNECTION_STRING is set: using it');
  } else if (docker) {
    say(`EventStoreDB: starting ${EVENTSTORE_IMAGE} with testcontainers`);
    process.env.EVENTSTORE_CONNECTION_STRING = await startEventStoreContainer();
  } else {
    say('EventStoreDB: no server and no Docker engine: its conformance suite skips');
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
