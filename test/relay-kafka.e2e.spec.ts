import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RecordedEvent, SqliteEventStore } from '@app/event-store';
import { ADMIN, ManualClock, RunningApi, seedReference, startApi } from './support/api-harness';
import { ConsumedMessage, consumeAll, kafkaBrokers, uniqueTopics } from './support/kafka';

const ROOT = join(__dirname, '..');
const REGISTER_TS = join(__dirname, 'support', 'register-ts.js');
const RELAY_MAIN = join(ROOT, 'apps', 'relay', 'src', 'main.ts');
const KILLS = 10;

const brokers = kafkaBrokers();
const describeWithKafka = brokers ? describe : describe.skip;

/** The relay as its own process, as in production, on the API's data directory. */
function startRelay(dataDir: string, topics: { events: string; notifications: string }) {
  const child = spawn('node', ['--require', REGISTER_TS, RELAY_MAIN], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      KAFKA_BROKERS: brokers!.join(','),
      KAFKA_EVENTS_TOPIC: topics.events,
      KAFKA_NOTIFICATIONS_TOPIC: topics.notifications,
      RELAY_SESSION_TIMEOUT_MS: '2000',
      AUTH_JWT_SECRET: 'relay-test-secret-that-is-long-enough-000000',
      KAFKAJS_NO_PARTITIONER_WARNING: '1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Resolves when this relay holds the lock and starts publishing from what Kafka holds.
  const publishing = new Promise<void>((resolve) => {
    let output = '';
    child.stdout?.on('data', (chunk) => {
      output += chunk;
      if (output.includes('resuming after position')) resolve();
    });
  });
  child.stderr?.resume();
  return Object.assign(child, { publishing });
}

async function stopGracefully(relay: ChildProcess): Promise<void> {
  if (relay.exitCode !== null) return;
  const exited = new Promise((resolve) => relay.once('exit', resolve));
  relay.kill('SIGTERM');
  await exited;
}

function killHard(relay: ChildProcess): Promise<unknown> {
  const exited = new Promise((resolve) => relay.once('exit', resolve));
  relay.kill('SIGKILL');
  return exited;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function projectEvents(dataDir: string): Promise<RecordedEvent[]> {
  const store = SqliteEventStore.open({ file: join(dataDir, 'events.sqlite') });
  try {
    return (await store.readAll()).filter((event) => event.streamId.startsWith('project-'));
  } finally {
    await store.close();
  }
}

/** Each stored project event exactly once, in per-project order, with the right headers. */
function expectExactlyOnce(stored: RecordedEvent[], consumed: ConsumedMessage[]): void {
  const ids = consumed.map((message) => message.headers.ce_id);
  expect(new Set(ids).size).toBe(ids.length);
  expect(ids.length).toBe(stored.length);
  const byId = new Map(consumed.map((message) => [message.headers.ce_id, message]));
  for (const event of stored) {
    const message = byId.get(event.id);
    expect(message).toBeDefined();
    expect(message!.key).toBe(event.streamId.slice('project-'.length));
    expect(message!.headers).toMatchObject({
      ce_specversion: '1.0',
      ce_id: event.id,
      ce_type: `project-lifecycle.${event.type}.v1`,
      ce_time: event.metadata.recordedAt,
      ce_subject: event.streamId.slice('project-'.length),
      'content-type': 'application/json',
      position: String(event.position),
    });
    expect(message!.value).toEqual({ data: event.data, metadata: event.metadata });
  }
  const lastPositionByKey = new Map<string, number>();
  for (const message of consumed) {
    const position = Number(message.headers.position);
    expect(position).toBeGreaterThan(lastPositionByKey.get(message.key) ?? 0);
    lastPositionByKey.set(message.key, position);
  }
}

describeWithKafka('relay to a real Kafka broker', () => {
  let api: RunningApi;
  let dataDir: string;

  const clock = new ManualClock(new Date('2023-04-10T02:00:00Z'));

  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'plt-relay-e2e-'));
    clock.set('2023-04-10T02:00:00Z');
    api = await startApi({ dataDir, clock });
    await seedReference(api);
  });

  afterEach(async () => {
    await api.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  let counter = 0;
  async function signAndStart(): Promise<void> {
    const id = `p-${++counter}`;
    const admin = api.bearer(ADMIN);
    await api.http
      .post('/api/v1/projects')
      .set('Authorization', admin)
      .send({
        projectId: id,
        name: `项目${id}`,
        enterprise: '某公司',
        zoneId: counter % 2 ? 'jinzhong-kfq' : 'linfen-kfq',
        totalInvestmentWan: 10_000 + counter,
        industrial: true,
        signedOn: '2023-03-01',
      })
      .expect(201);
    await api.http
      .post(`/api/v1/projects/${id}/milestones`)
      .set('Authorization', admin)
      .send({ milestone: 'construction-started', occurredOn: '2023-04-01' })
      .expect(201);
  }

  it('publishes every project event once, keyed by project, with CloudEvents headers an independent client can read', async () => {
    // given: projects, and an issued monthly notification
    const topics = uniqueTopics();
    for (let i = 0; i < 10; i++) await signAndStart();
    clock.set('2023-05-01T02:00:00Z');
    await api.http
      .post('/api/v1/notifications')
      .set('Authorization', api.bearer(ADMIN))
      .send({ month: '2023-04' })
      .expect(201);
    // when
    const relay = startRelay(dataDir, topics);
    try {
      const stored = await projectEvents(dataDir);
      const consumed = await consumeAll(brokers!, [topics.events], (m) => m.length >= stored.length);
      // then
      expectExactlyOnce(stored, consumed);
      const notifications = await consumeAll(brokers!, [topics.notifications], (m) => m.length >= 1);
      expect(notifications).toHaveLength(1);
      expect(notifications[0].key).toBe('2023-04');
      expect(notifications[0].headers).toMatchObject({
        ce_type: 'project-lifecycle.NotificationIssued.v1',
        ce_subject: '2023-04',
      });
      expect(notifications[0].value).toMatchObject({ data: { month: '2023-04', issue: 1 } });
      // the relay's progress and lag show in the API's health
      let relayHealth: { leader?: boolean; lag?: number } | null = null;
      for (let i = 0; i < 40 && !relayHealth?.leader; i++) {
        relayHealth = (
          await api.http.get('/api/v1/health').set('Authorization', api.bearer(ADMIN)).expect(200)
        ).body.relay;
        if (!relayHealth?.leader) await sleep(250);
      }
      expect(relayHealth).toMatchObject({ leader: true, lag: 0 });
      const kcat = kcatPath();
      if (kcat) {
        const out = execFileSync(
          kcat,
          ['-b', brokers![0], '-C', '-t', topics.events, '-o', 'beginning', '-e', '-q', '-f', '%k %h\\n'],
          { encoding: 'utf8' },
        );
        expect(out).toContain('ce_type=project-lifecycle.ProjectSigned.v1');
        expect(out).toContain('ce_specversion=1.0');
      } else {
        console.warn('kcat is not installed: the independent-client check was skipped (CI installs it)');
      }
    } finally {
      await stopGracefully(relay);
    }
  }, 120_000);

  it(`delivers exactly once across ${KILLS} SIGKILLs of the relay while the API writes`, async () => {
    // given: the API keeps writing while relays are killed and restarted
    const topics = uniqueTopics();
    let writing = true;
    const writer = (async () => {
      while (writing) await signAndStart();
    })();
    // when
    for (let kill = 0; kill < KILLS; kill++) {
      const relay = startRelay(dataDir, topics);
      if (kill % 2 === 0) {
        // while it publishes: a random moment after it starts sending what the topic lacks
        await Promise.race([relay.publishing, sleep(60_000)]);
        await sleep(Math.random() * 800);
      } else {
        // at any moment: starting up, waiting for the lock, or publishing
        await sleep(500 + Math.random() * 3_000);
      }
      await killHard(relay);
    }
    writing = false;
    await writer;
    // the killed relays did publish: the kills interrupted working relays, not idle ones
    const beforeFinal = await consumeAll(brokers!, [topics.events], () => false, 3_000);
    expect(beforeFinal.length).toBeGreaterThan(0);
    const relay = startRelay(dataDir, topics);
    try {
      // then: a final relay completes the topic, and nothing is there twice
      const stored = await projectEvents(dataDir);
      const consumed = await consumeAll(brokers!, [topics.events], (m) => m.length >= stored.length, 90_000);
      await sleep(1_000);
      const settled = await consumeAll(brokers!, [topics.events], (m) => m.length >= stored.length, 10_000);
      expect(stored.length).toBeGreaterThan(50);
      expectExactlyOnce(stored, consumed);
      expect(settled.length).toBe(stored.length);
    } finally {
      await stopGracefully(relay);
    }
  }, 300_000);
});

function kcatPath(): string | undefined {
  for (const candidate of ['kcat', 'kafkacat']) {
    try {
      execFileSync('which', [candidate], { stdio: 'ignore' });
      return candidate;
    } catch {
      // not installed
    }
  }
  return undefined;
}
