import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { NewEvent, SqliteEventStore } from '@app/event-store';
import { InMemoryEventStore } from '@app/event-store/testing';
import {
  DEAD_LETTER_TOPIC,
  NOTIFICATIONS_TOPIC,
  OutgoingMessage,
  PROJECT_EVENTS_TOPIC,
  PROJECTS_TOPIC,
} from './cloud-events';
import { EventRelay, EventRelayOptions, RelayRefusedError } from './event-relay';
import {
  MessagePublisher,
  MessageTooLargeError,
  RelayCheckpoint,
  TopicFacts,
} from './message-publisher.port';

/**
 * A transactional broker in memory: a publish lands whole with its checkpoint or not at all,
 * as a Kafka transaction read with read_committed. `failTransaction` (1-based) is aborted after
 * its messages were sent; `brokerLimitBytes` refuses larger messages than the topic
 * admits to (a limit lowered after the relay read it).
 */
class InMemoryKafka extends MessagePublisher {
  readonly logs = new Map<string, OutgoingMessage[]>();
  /** Records of aborted transactions: there, but invisible to read_committed consumers. */
  aborted = 0;
  checkpoint?: RelayCheckpoint;
  partitions = 3;
  maxMessageBytes = 1_000_000;
  brokerLimitBytes?: number;
  failTransaction?: number;
  transactions = 0;
  /** How long the first publish with messages takes: a slow broker, during which the relay reads on. */
  firstPublishDelayMs = 0;
  /** The `$all` events each committed transaction carried (project state messages not counted). */
  readonly eventsPerTransaction: number[] = [];

  async connect(): Promise<void> {}

  async ensureTopics(topics: string[]): Promise<Map<string, TopicFacts>> {
    for (const topic of topics) if (!this.logs.has(topic)) this.logs.set(topic, []);
    return new Map(
      topics.map((topic) => [topic, { partitions: this.partitions, maxMessageBytes: this.maxMessageBytes }]),
    );
  }

  async readCheckpoint(): Promise<RelayCheckpoint | undefined> {
    return this.checkpoint && structuredClone(this.checkpoint);
  }

  async holdsRecords(topics: string[]): Promise<boolean> {
    return this.aborted > 0 || topics.some((topic) => (this.logs.get(topic) ?? []).length > 0);
  }

  async publish(messages: OutgoingMessage[], checkpoint: RelayCheckpoint): Promise<void> {
    this.transactions++;
    if (messages.length > 0 && this.eventsPerTransaction.length === 0 && this.firstPublishDelayMs > 0) {
      await new Promise((resolve) => setTimeout(resolve, this.firstPublishDelayMs));
    }
    const tooLarge = messages.find(
      (m) => this.brokerLimitBytes !== undefined && Buffer.byteLength(m.value ?? '') > this.brokerLimitBytes,
    );
    if (tooLarge) throw new MessageTooLargeError(`MESSAGE_TOO_LARGE (${tooLarge.headers.ce_id})`);
    if (this.transactions === this.failTransaction) {
      this.aborted += messages.length;
      throw new Error('broker connection lost');
    }
    for (const message of messages) this.logs.get(message.topic)!.push(message);
    this.checkpoint = structuredClone(checkpoint);
    const events = messages.filter((m) => m.topic !== PROJECTS_TOPIC).length;
    if (events > 0) this.eventsPerTransaction.push(events);
  }

  async close(): Promise<void> {}

  all(topic: string): OutgoingMessage[] {
    return this.logs.get(topic) ?? [];
  }
}

const metadata = {
  recordedAt: '2023-11-01T00:00:00.000Z',
  recordedBy: 'test',
  source: { kind: 'api' },
  correlationId: 'c',
  causationId: 'c',
  idempotencyKey: 'key-1',
  requestHash: 'hash-1',
};

const event = (projectId: string, type: string, data: object = {}): NewEvent => ({
  id: randomUUID(),
  type,
  schemaVersion: 1,
  data: { projectId, ...data },
  metadata,
});

const silent = { log: () => undefined, error: () => undefined };

describe('EventRelay: no loss and no duplicates across failures', () => {
  let dir: string;
  let store: SqliteEventStore;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'plt-relay-'));
    store = SqliteEventStore.open({ file: join(dir, 'events.sqlite') });
  });

  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function appendHistory(projects: number, eventsEach: number): Promise<void> {
    for (let round = 0; round < eventsEach; round++) {
      for (let p = 0; p < projects; p++) {
        await store.append(
          `project-p${p}`,
          [event(`p${p}`, round === 0 ? 'ProjectSigned' : 'ConstructionStarted')],
          round - 1,
        );
      }
    }
    await store.append('zone-z1', [event('z1', 'ZoneRegistered')], 'no_stream');
  }

  async function runUntilCaughtUp(
    kafka: InMemoryKafka,
    options: Partial<EventRelayOptions> = {},
  ): Promise<EventRelay> {
    const relay = new EventRelay(store, kafka, silent, options);
    await relay.start(() => undefined);
    return relay;
  }

  async function waitFor(condition: () => boolean): Promise<void> {
    for (let i = 0; i < 200 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  }

  it('publishes project events keyed by project id, in position order, with position and revision attributes and no request hashes', async () => {
    // given
    await appendHistory(4, 3);
    const kafka = new InMemoryKafka();
    // when
    const relay = await runUntilCaughtUp(kafka);
    await relay.stop();
    // then
    const messages = kafka.all(PROJECT_EVENTS_TOPIC);
    expect(messages).toHaveLength(12);
    expect(messages.every((m) => m.headers.ce_subject === m.key && m.key.startsWith('p'))).toBe(true);
    const positions = messages.map((m) => m.position);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    const stored = await store.readAll();
    for (const message of messages) {
      const original = stored.find((e) => e.id === message.headers.ce_id)!;
      expect(message.headers).toMatchObject({
        ce_position: String(original.position),
        ce_streamrevision: String(original.revision),
      });
      const body = JSON.parse(message.value!) as { metadata: Record<string, unknown> };
      expect(body.metadata).toMatchObject({ recordedAt: metadata.recordedAt, correlationId: 'c' });
      expect(body.metadata).not.toHaveProperty('idempotencyKey');
      expect(body.metadata).not.toHaveProperty('requestHash');
    }
    expect(kafka.checkpoint).toMatchObject({
      position: await store.headPosition(),
      storeId: await store.storeId(),
      partitions: { [PROJECT_EVENTS_TOPIC]: 3, [NOTIFICATIONS_TOPIC]: 3 },
    });
  });

  it('publishes an issued notification as a summary with a reference to the document, however large its content', async () => {
    // given: a notification whose content alone is larger than the topic takes
    const kafka = new InMemoryKafka();
    kafka.maxMessageBytes = 4_096;
    const content = {
      projects: Array.from({ length: 200 }, (_, i) => ({ id: `p${i}`, name: '某项目'.repeat(5) })),
    };
    const issued = {
      month: '2023-10',
      issue: 3,
      asOf: '2023-10-31',
      knownAt: '2023-11-01T00:00:00.000Z',
      knownThroughPosition: 7,
      contentHash: 'abc123',
      content,
    };
    expect(JSON.stringify(content).length).toBeGreaterThan(4_096);
    await store.append('notifications', [{ ...event('x', 'NotificationIssued'), data: issued }], 'no_stream');
    await store.append('project-after', [event('after', 'ProjectSigned')], 'no_stream');
    // when
    const relay = await runUntilCaughtUp(kafka);
    await relay.stop();
    // then: the summary on its topic, keyed by month, and the events after it published
    const [notification] = kafka.all(NOTIFICATIONS_TOPIC);
    expect(notification.key).toBe('2023-10');
    const { content: _content, ...summary } = issued;
    expect(JSON.parse(notification.value!).data).toEqual({
      ...summary,
      document: { href: '/api/v1/notifications/2023-10?issue=3' },
    });
    expect(kafka.all(PROJECT_EVENTS_TOPIC).map((m) => m.key)).toEqual(['after']);
    expect(kafka.all(DEAD_LETTER_TOPIC)).toEqual([]);
  });

  it('sends an event larger than its topic takes to the dead-letter topic with the reason, and goes on', async () => {
    // given
    const kafka = new InMemoryKafka();
    kafka.maxMessageBytes = 2_048;
    await store.append(
      'project-big',
      [event('big', 'ProjectSigned', { name: '大'.repeat(1_000) })],
      'no_stream',
    );
    await store.append('project-next', [event('next', 'ProjectSigned')], 'no_stream');
    const [big] = await store.readStream('project-big');
    // when
    const relay = await runUntilCaughtUp(kafka, { maxMessageBytes: 100_000 });
    await relay.stop();
    // then
    expect(kafka.all(PROJECT_EVENTS_TOPIC).map((m) => m.key)).toEqual(['next']);
    const [dead] = kafka.all(DEAD_LETTER_TOPIC);
    expect(dead.key).toBe(big.id);
    expect(dead.headers).toMatchObject({
      ce_type: 'project-lifecycle.DeadLetter.v1',
      ce_deadletterreason: 'too-large',
    });
    expect(JSON.parse(dead.value!)).toMatchObject({
      reason: { code: 'too-large', limitBytes: 2_048 },
      intendedTopic: PROJECT_EVENTS_TOPIC,
      intendedKey: 'big',
      event: { id: big.id, type: 'ProjectSigned', streamId: 'project-big', position: big.position },
    });
    // the project's state is as large: its dead letter follows, keyed by the state's id
    expect(kafka.all(DEAD_LETTER_TOPIC).map((m) => [m.key, JSON.parse(m.value!).intendedTopic])).toEqual([
      [big.id, PROJECT_EVENTS_TOPIC],
      [`${big.id}.state`, PROJECTS_TOPIC],
    ]);
    expect(kafka.all(PROJECTS_TOPIC).map((m) => m.key)).toEqual(['next']);
    expect(relay.progress).toMatchObject({ published: 2, deadLettered: 2 });
  });

  it('publishes each project’s current facts to the compacted projects topic in the batch’s transaction: corrections applied, retractions removed, a void as a tombstone', async () => {
    // given: a project signed, started, its start corrected, production recorded and retracted; another voided
    const signed = (id: string) =>
      event(id, 'ProjectSigned', {
        zoneId: 'z1',
        signedOn: '2023-01-05',
        name: `项目${id}`,
        enterprise: '某公司',
        totalInvestmentWan: 20_000,
        industrial: true,
        strategicEmerging: false,
      });
    await store.append('zone-z1', [event('z1', 'ZoneRegistered', { id: 'z1', cityId: 'c1' })], 'no_stream');
    await store.append(
      'project-a',
      [signed('a'), event('a', 'ConstructionStarted', { occurredOn: '2023-02-01' })],
      'no_stream',
    );
    await store.append('project-b', [signed('b')], 'no_stream');
    const kafka = new InMemoryKafka();
    const first = await runUntilCaughtUp(kafka);
    await first.stop();
    // a relay resuming from the checkpoint meets project a at revision 2: it folds the stream
    await store.append(
      'project-a',
      [
        event('a', 'MilestoneDateCorrected', {
          milestone: 'construction-started',
          occurredOn: '2023-02-03',
          previousOccurredOn: '2023-02-01',
          reason: '录入有误',
        }),
        event('a', 'ProductionStarted', { occurredOn: '2023-06-01' }),
        event('a', 'MilestoneRetracted', {
          milestone: 'production-started',
          previousOccurredOn: '2023-06-01',
          reason: '尚未投产',
        }),
      ],
      1,
    );
    await store.append('project-b', [event('b', 'ProjectVoided', { reason: '重复录入' })], 0);
    kafka.failTransaction = kafka.transactions + 1;
    const failed = new EventRelay(store, kafka, silent);
    await expect(failed.start(() => undefined)).rejects.toThrow('broker connection lost');
    await failed.stop();
    // when
    const second = await runUntilCaughtUp(kafka);
    await second.stop();
    // then: the last message per key is the project's state by the domain's fold; b is a tombstone
    const states = kafka.all(PROJECTS_TOPIC);
    const last = new Map(states.map((m) => [m.key, m]));
    expect(JSON.parse(last.get('a')!.value!)).toEqual({
      data: {
        projectId: 'a',
        zoneId: 'z1',
        signedOn: '2023-01-05',
        name: '项目a',
        enterprise: '某公司',
        totalInvestmentWan: 20_000,
        industrial: true,
        strategicEmerging: false,
        milestones: { 'construction-started': '2023-02-03' },
        listings: [],
        investmentProgress: {},
        annualInvestmentPlan: {},
        obstacles: {},
      },
      context: { zoneId: 'z1', cityId: 'c1' },
    });
    expect(last.get('b')!.value).toBeNull();
    const a = await store.readStream('project-a');
    expect(last.get('a')!.headers).toMatchObject({
      ce_id: `${a[4].id}.state`,
      ce_type: 'project-lifecycle.ProjectState.v1',
      ce_streamrevision: '4',
    });
    // one state per project and batch, none twice although a transaction failed
    expect(states.map((m) => m.headers.ce_id)).toEqual([...new Set(states.map((m) => m.headers.ce_id))]);
    expect(states.map((m) => [m.key, m.headers.ce_streamrevision])).toEqual([
      ['a', '1'],
      ['b', '0'],
      ['a', '4'],
      ['b', '1'],
    ]);
  });

  it('sends the pages read while a transaction is in flight together in the next one, up to maxTransactionEvents, in position order, each once', async () => {
    // given: 4 pages of the subscription (500 events each); the first transaction takes 1 s
    for (let p = 0; p < 500; p++) {
      await store.append(
        `project-p${p}`,
        [event(`p${p}`, 'ProjectSigned'), ...[1, 2, 3].map(() => event(`p${p}`, 'ConstructionStarted'))],
        'no_stream',
      );
    }
    const kafka = new InMemoryKafka();
    kafka.firstPublishDelayMs = 1_000;
    // when
    const relay = await runUntilCaughtUp(kafka, { maxTransactionEvents: 1_000 });
    await relay.stop();
    // then: the first page alone; the two read meanwhile together (the limit stops the reading there); the last
    expect(kafka.eventsPerTransaction).toEqual([500, 1_000, 500]);
    const positions = kafka.all(PROJECT_EVENTS_TOPIC).map((m) => m.position);
    expect(positions).toEqual((await store.readAll()).map((e) => e.position));
    expect(kafka.checkpoint!.position).toBe(await store.headPosition());
    expect(relay.progress.position).toBe(await store.headPosition());
  });

  it('takes the configured limit when it is below the topic’s', async () => {
    // given
    const kafka = new InMemoryKafka();
    await store.append(
      'project-big',
      [event('big', 'ProjectSigned', { name: '大'.repeat(1_000) })],
      'no_stream',
    );
    // when
    const relay = await runUntilCaughtUp(kafka, { maxMessageBytes: 2_048 });
    await relay.stop();
    // then
    expect(kafka.all(PROJECT_EVENTS_TOPIC)).toEqual([]);
    expect(JSON.parse(kafka.all(DEAD_LETTER_TOPIC)[0].value!).reason.limitBytes).toBe(2_048);
  });

  it('when the broker refuses a message the relay measured as fitting, sends the batch one by one and dead-letters that one', async () => {
    // given: the topic's limit was lowered after the relay read it
    await appendHistory(2, 2);
    await store.append(
      'project-big',
      [event('big', 'ProjectSigned', { name: '大'.repeat(1_000) })],
      'no_stream',
    );
    await store.append('project-next', [event('next', 'ProjectSigned')], 'no_stream');
    const kafka = new InMemoryKafka();
    kafka.brokerLimitBytes = 2_000;
    // when
    const relay = await runUntilCaughtUp(kafka);
    await relay.stop();
    // then
    expect(kafka.all(PROJECT_EVENTS_TOPIC).map((m) => m.key)).toEqual(['p0', 'p1', 'p0', 'p1', 'next']);
    expect(JSON.parse(kafka.all(DEAD_LETTER_TOPIC)[0].value!)).toMatchObject({
      reason: { code: 'too-large' },
      intendedKey: 'big',
    });
    expect(kafka.checkpoint?.position).toBe(await store.headPosition());
  });

  it('after a transaction failed part-way, a new relay publishes exactly the missing events', async () => {
    // given: the first batch (after the first checkpoint) is aborted after its messages were sent
    await appendHistory(6, 4);
    const kafka = new InMemoryKafka();
    kafka.failTransaction = 2;
    const first = new EventRelay(store, kafka, silent);
    let failed: unknown;
    await first.start((error) => (failed = error)).catch((error: unknown) => (failed = error));
    await waitFor(() => failed !== undefined);
    await first.stop();
    expect(String(failed)).toContain('broker connection lost');
    expect(kafka.aborted).toBeGreaterThan(0);
    // when
    const second = await runUntilCaughtUp(kafka);
    await second.stop();
    // then
    const ids = kafka.all(PROJECT_EVENTS_TOPIC).map((m) => m.headers.ce_id);
    expect(ids).toHaveLength(24);
    expect(new Set(ids).size).toBe(24);
  });

  it('resumes from the checkpoint, not from what the topics hold: an emptied topic is not republished', async () => {
    // given
    await appendHistory(3, 2);
    const kafka = new InMemoryKafka();
    await (await runUntilCaughtUp(kafka)).stop();
    kafka.logs.set(PROJECT_EVENTS_TOPIC, []);
    await store.append('project-new', [event('new', 'ProjectSigned')], 'no_stream');
    // when
    await (await runUntilCaughtUp(kafka)).stop();
    // then
    expect(kafka.all(PROJECT_EVENTS_TOPIC).map((m) => m.key)).toEqual(['new']);
  });

  it('refuses to start when a topic’s partition count changed since the checkpoint', async () => {
    // given
    await appendHistory(2, 1);
    const kafka = new InMemoryKafka();
    await (await runUntilCaughtUp(kafka)).stop();
    kafka.partitions = 4;
    // when
    const relay = new EventRelay(store, kafka, silent);
    const started = relay.start(() => undefined);
    // then
    await expect(started).rejects.toThrow(RelayRefusedError);
    await expect(started).rejects.toThrow(/had 3 partitions at the checkpoint and has 4 now/);
    await relay.stop();
  });

  it('refuses a checkpoint written from another store, and a store behind its checkpoint', async () => {
    // given
    await appendHistory(2, 2);
    const kafka = new InMemoryKafka();
    await (await runUntilCaughtUp(kafka)).stop();
    const migrated = new InMemoryEventStore();
    // when
    const elsewhere = new EventRelay(migrated, kafka, silent);
    // then
    await expect(elsewhere.start(() => undefined)).rejects.toThrow(/written from store .* but this store is/);
    await elsewhere.stop();
    // and a checkpoint ahead of the store's head (a restored older backup)
    kafka.checkpoint = { ...kafka.checkpoint!, position: (await store.headPosition()) + 10 };
    const behind = new EventRelay(store, kafka, silent);
    await expect(behind.start(() => undefined)).rejects.toThrow(/the store lost events it had published/);
    await behind.stop();
  });

  it('without a checkpoint, starts from 0 on empty topics, refuses topics that hold records unless told where to start', async () => {
    // given: topics written by something else, no checkpoint
    await appendHistory(2, 2);
    const kafka = new InMemoryKafka();
    await kafka.ensureTopics([PROJECT_EVENTS_TOPIC]);
    kafka.logs
      .get(PROJECT_EVENTS_TOPIC)!
      .push({ topic: PROJECT_EVENTS_TOPIC, key: 'x', value: '{}', headers: {}, position: 1 });
    // when
    const refused = new EventRelay(store, kafka, silent);
    // then
    await expect(refused.start(() => undefined)).rejects.toThrow(/holds no relay checkpoint/);
    await refused.stop();
    // when told to start after position 2
    const told = await runUntilCaughtUp(kafka, { startAfter: 2 });
    await told.stop();
    // then
    expect(kafka.all(PROJECT_EVENTS_TOPIC)).toHaveLength(1 + 2);
    expect(
      kafka
        .all(PROJECT_EVENTS_TOPIC)
        .slice(1)
        .map((m) => m.position),
    ).toEqual([3, 4]);
  });

  it('follows live appends after catching up', async () => {
    // given
    const kafka = new InMemoryKafka();
    const relay = await runUntilCaughtUp(kafka);
    // when
    await store.append('project-live', [event('live', 'ProjectSigned')], 'no_stream');
    // then
    await waitFor(() => kafka.all(PROJECT_EVENTS_TOPIC).length > 0);
    await relay.stop();
    expect(kafka.all(PROJECT_EVENTS_TOPIC).map((m) => m.key)).toEqual(['live']);
  });
});
