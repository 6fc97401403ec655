import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Kafka, logLevel } from 'kafkajs';
import { SqliteEventStore } from '@app/event-store';
import {
  EventRelay,
  KafkaPublisher,
  MessagePublisher,
  OutgoingMessage,
  PROJECT_STATE_TYPE,
  RelayCheckpoint,
  RelayTopics,
  TopicFacts,
} from '@app/messaging';
import { Measurement, Skipped } from '../lib/report';
import { now, round, sleep, summarise } from '../lib/stats';
import { runInChild } from '../lib/workers';
import type { AppenderResult, AppenderTask } from './relay-appender.child';

export interface RelayOptions {
  scratchDir: string;
  /** Events already in the store when the relay starts (throughput). */
  events: number;
  eventsPerProject: number;
  /** Steady append rate and duration for the lag measurement. */
  lagRate: number;
  lagSeconds: number;
  /** Events per append in the lag measurement (one append every lagEventsPerAppend / lagRate s). */
  lagEventsPerAppend: number;
}

export const DEFAULT_RELAY_OPTIONS: Omit<RelayOptions, 'scratchDir'> = {
  events: 50_000,
  eventsPerProject: 10,
  lagRate: 1_000,
  lagSeconds: 10,
  lagEventsPerAppend: 10,
};

const APPENDER = join(__dirname, 'relay-appender.child.ts');
const quiet = { log: () => undefined, error: (line: string) => console.error(`  relay: ${line}`) };

/** Counts what the relay hands to Kafka and when (a pass-through around KafkaPublisher). */
class TimedPublisher extends MessagePublisher {
  firstPublishAt?: number;
  lastPublishedAt?: number;
  /** Events handed over: the projects topic's state messages go with them and are counted apart. */
  published = 0;
  projectStates = 0;
  batches = 0;
  /** Time spent inside publish (send and commit); the rest of the run is reading and encoding. */
  publishMs = 0;
  /** This process's CPU time (user + system) at the first publish call. */
  cpuAtFirstPublish?: NodeJS.CpuUsage;

  constructor(private readonly inner: MessagePublisher) {
    super();
  }

  connect(): Promise<void> {
    return this.inner.connect();
  }

  ensureTopics(topics: string[], compacted?: string[]): Promise<Map<string, TopicFacts>> {
    return this.inner.ensureTopics(topics, compacted);
  }

  readCheckpoint(): Promise<RelayCheckpoint | undefined> {
    return this.inner.readCheckpoint();
  }

  holdsRecords(topics: string[]): Promise<boolean> {
    return this.inner.holdsRecords(topics);
  }

  async publish(messages: OutgoingMessage[], checkpoint: RelayCheckpoint): Promise<void> {
    // The first checkpoint, committed before any message, is start-up, not publishing.
    const startedAt = now();
    if (messages.length > 0 && this.firstPublishAt === undefined) {
      this.firstPublishAt = startedAt;
      this.cpuAtFirstPublish = process.cpuUsage();
    }
    await this.inner.publish(messages, checkpoint);
    const states = messages.filter(({ headers }) => headers.ce_type === PROJECT_STATE_TYPE).length;
    this.projectStates += states;
    this.published += messages.length - states;
    this.publishMs += now() - startedAt;
    if (messages.length > 0) this.batches++;
    this.lastPublishedAt = now();
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

export async function runRelay(options: RelayOptions): Promise<Measurement[] | Skipped> {
  const brokers = (process.env.KAFKA_BROKERS ?? '')
    .split(',')
    .map((b) => b.trim())
    .filter(Boolean);
  if (brokers.length === 0) {
    return {
      part: 'relay',
      reason:
        'KAFKA_BROKERS is not set. Start a broker with `bash infra/kafka/broker.sh start` and run with KAFKA_BROKERS=127.0.0.1:19092.',
    };
  }
  const runId = `bench-${Date.now()}-${randomUUID().slice(0, 8)}`;
  const throughputTopics: RelayTopics = {
    events: `${runId}.events`,
    notifications: `${runId}.notifications`,
    reference: `${runId}.reference`,
    projects: `${runId}.projects`,
    deadLetter: `${runId}.dead-letter`,
  };
  const lagTopics: RelayTopics = {
    events: `${runId}-lag.events`,
    notifications: `${runId}-lag.notifications`,
    reference: `${runId}-lag.reference`,
    projects: `${runId}-lag.projects`,
    deadLetter: `${runId}-lag.dead-letter`,
  };
  const kafka = new Kafka({ clientId: 'bench', brokers, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  try {
    // Created here and waited for: right after creation the broker may still answer "not the
    // leader" to the offset lookup the relay makes when it resumes.
    await createTopicsAndWait(admin, [...Object.values(throughputTopics), ...Object.values(lagTopics)]);
    const throughput = await relayThroughput(options, brokers, throughputTopics);
    const lag = await relayLag(options, brokers, kafka, lagTopics);
    const common = {
      brokers,
      partitions: 6,
      producer: 'kafkajs transactional (one transaction per batch with the checkpoint), acks all',
    };
    return [
      {
        part: 'relay',
        name: `publish ${options.events.toLocaleString('en-US')} pre-appended events`,
        value: round(throughput.rate),
        unit: 'events/s',
        target: '≥ 40,000',
        met: throughput.rate >= 40_000,
        settings: { ...common, ...throughput.settings },
      },
      {
        part: 'relay',
        name: `append→consume lag at ${options.lagRate}/s p50`,
        value: lag.p50Ms,
        unit: 'ms',
        settings: { ...common, ...lag },
      },
      {
        part: 'relay',
        name: `append→consume lag at ${options.lagRate}/s p99`,
        value: lag.p99Ms,
        unit: 'ms',
        target: '≤ 250',
        met: lag.p99Ms <= 250,
        settings: { ...common, ...lag },
      },
    ];
  } finally {
    await admin
      .deleteTopics({ topics: [...Object.values(throughputTopics), ...Object.values(lagTopics)] })
      .catch(() => undefined);
    await admin.disconnect();
  }
}

async function relayThroughput(
  options: RelayOptions,
  brokers: string[],
  topics: RelayTopics,
): Promise<{ rate: number; settings: Record<string, unknown> }> {
  const file = join(options.scratchDir, 'relay-throughput.sqlite');
  await SqliteEventStore.open({ file }).close();
  bulkAppend(file, options.events, options.eventsPerProject);
  const store = SqliteEventStore.open({ file });
  const publisher = new TimedPublisher(
    new KafkaPublisher({ brokers, clientId: 'bench-relay', eventsTopic: topics.events }),
  );
  const relay = new EventRelay(store, publisher, quiet, { topics });
  let failure: unknown;
  const started = now();
  try {
    await relay.start((error) => (failure = error));
    if (failure) throw failure;
    const done = now();
    const cpu = process.cpuUsage(publisher.cpuAtFirstPublish);
    const events = options.events + ZONES;
    if (publisher.published !== events) {
      throw new Error(`relay published ${publisher.published} of ${events} events`);
    }
    const publishMs = done - (publisher.firstPublishAt ?? started);
    return {
      rate: events / (publishMs / 1000),
      settings: {
        events,
        zones: ZONES,
        projects: Math.ceil(options.events / options.eventsPerProject),
        publishMs: round(publishMs, 1),
        startupMs: round((publisher.firstPublishAt ?? started) - started, 1),
        projectStates: publisher.projectStates,
        batches: publisher.batches,
        inPublishMs: round(publisher.publishMs, 1),
        // The relay's own CPU over the same span (the broker's is not in it): per event, less noisy than the rate.
        cpuMs: round((cpu.user + cpu.system) / 1000, 1),
        cpuUsPerEvent: round((cpu.user + cpu.system) / events, 1),
        timed:
          'first publish call to caught up (connect, topic creation and resume read excluded: startupMs)',
      },
    };
  } finally {
    await relay.stop();
    await store.close();
  }
}

async function relayLag(
  options: RelayOptions,
  brokers: string[],
  kafka: Kafka,
  topics: RelayTopics,
): Promise<ReturnType<typeof summarise> & Record<string, unknown>> {
  const file = join(options.scratchDir, 'relay-lag.sqlite');
  // The relay's store polls every 50 ms for appends by other processes (the default, as in apps/relay).
  const store = SqliteEventStore.open({ file });
  const relay = new EventRelay(
    store,
    new KafkaPublisher({ brokers, clientId: 'bench-relay-lag', eventsTopic: topics.events }),
    quiet,
    { topics },
  );
  let failure: unknown;
  await relay.start((error) => (failure = error));
  const consumer = kafka.consumer({ groupId: `bench-lag-${randomUUID()}`, maxWaitTimeInMs: 100 });
  const lags: number[] = [];
  const expected = Math.round(options.lagRate * options.lagSeconds);
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [topics.events], fromBeginning: true });
    const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
    await consumer.run({
      eachMessage: async ({ message }) => {
        const body = JSON.parse(message.value?.toString() ?? '{}') as { data?: { benchSentAt?: number } };
        if (typeof body.data?.benchSentAt === 'number') lags.push(Date.now() - body.data.benchSentAt);
      },
    });
    await joined;
    await sleep(1_000);
    const task: AppenderTask = {
      file,
      ratePerSecond: options.lagRate,
      durationSeconds: options.lagSeconds,
      projects: 500,
      eventsPerAppend: options.lagEventsPerAppend,
    };
    const appender = await runInChild<AppenderResult>(APPENDER, task);
    const deadline = Date.now() + 30_000;
    while (lags.length < appender.appended && Date.now() < deadline && !failure) await sleep(50);
    if (failure) throw failure;
    return {
      ...summarise(lags),
      appended: appender.appended,
      consumed: lags.length,
      achievedAppendRate: round(appender.appended / (appender.elapsedMs / 1000)),
      expected,
      appender: `another process: SqliteEventStore appends of ${options.lagEventsPerAppend} events to one project stream every ${(1000 * options.lagEventsPerAppend) / options.lagRate} ms (fsync each)`,
      relayPollIntervalMs: 50,
      consumer: 'kafkajs consumer in the relay process, maxWaitTimeInMs 100',
      lag: 'consumer receive time minus the wall-clock time taken just before append()',
    };
  } finally {
    await consumer.disconnect().catch(() => undefined);
    await relay.stop();
    await store.close();
  }
}

async function createTopicsAndWait(admin: ReturnType<Kafka['admin']>, topics: string[]): Promise<void> {
  await admin.createTopics({
    waitForLeaders: true,
    topics: topics.map((topic) => ({ topic, numPartitions: 6, replicationFactor: 1 })),
  });
  const deadline = Date.now() + 30_000;
  for (const topic of topics) {
    for (;;) {
      try {
        await admin.fetchTopicOffsets(topic);
        break;
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await sleep(200);
      }
    }
  }
}

const ZONES = 10;

/**
 * Pre-appends events straight into the store's table (setup, not measured): ZONES zones with
 * their city, then projects of `perProject` events each, signed in a zone (so each event carries
 * its zone and city and each project's state on the projects topic is a real one), the rest
 * investment progress.
 */
function bulkAppend(file: string, events: number, perProject: number): void {
  const db = new Database(file);
  db.pragma('synchronous = OFF');
  const insert = db.prepare(
    `INSERT INTO events (stream_id, revision, event_id, type, schema_version, data, metadata)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  const recordedAt = new Date().toISOString();
  const metadata = (requestId: string) =>
    JSON.stringify({
      recordedAt,
      recordedBy: 'officer-1',
      role: 'officer',
      source: { kind: 'api', requestId },
      correlationId: requestId,
      causationId: requestId,
    });
  db.transaction(() => {
    for (let z = 0; z < ZONES; z++) {
      insert.run(
        `zone-z${z}`,
        0,
        randomUUID(),
        'ZoneRegistered',
        1,
        JSON.stringify({ zoneId: `z${z}`, name: `园区${z}`, cityId: `c${z % 3}` }),
        metadata(randomUUID()),
      );
    }
    for (let i = 0; i < events; i++) {
      const project = Math.floor(i / perProject);
      const projectId = `r${project}`;
      const revision = i % perProject;
      insert.run(
        `project-${projectId}`,
        revision,
        randomUUID(),
        revision === 0 ? 'ProjectSigned' : 'InvestmentProgressReported',
        1,
        JSON.stringify(
          revision === 0
            ? {
                projectId,
                zoneId: `z${project % ZONES}`,
                name: `项目${project}`,
                enterprise: `企业${project}`,
                totalInvestmentWan: 20_000,
                industrial: true,
                strategicEmerging: false,
                signedOn: '2024-01-15',
              }
            : { projectId, month: '2024-05', completedInvestmentWan: i + 1 },
        ),
        metadata(randomUUID()),
      );
    }
  })();
  db.close();
}
