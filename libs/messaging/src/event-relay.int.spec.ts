import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { type JSONType, jsonEvent } from '@eventstore/db-client';
import { EventStoreDbEventStore, NewEvent, SqliteEventStore } from '@app/event-store';
import { FakeEventStoreDbServer } from '@app/event-store/testing';
import { NOTIFICATIONS_TOPIC, OutgoingMessage, PROJECT_EVENTS_TOPIC } from './cloud-events';
import { EventRelay } from './event-relay';
import { MessagePublisher, PublishedPositions } from './message-publisher.port';

const PARTITIONS = 3;

/**
 * A broker in memory: partitions are append-only logs. `failAfter` makes a publish write
 * only some partitions' messages and then fail, like a crash in the middle of a batch.
 */
class InMemoryTopics extends MessagePublisher {
  readonly logs = new Map<string, OutgoingMessage[][]>();
  failAfter?: number;

  async connect(): Promise<void> {}

  async ensureTopics(topics: string[]): Promise<void> {
    for (const topic of topics) {
      if (!this.logs.has(topic))
        this.logs.set(
          topic,
          Array.from({ length: PARTITIONS }, () => []),
        );
    }
  }

  async publishedPositions(topic: string): Promise<PublishedPositions> {
    return (this.logs.get(topic) ?? []).map((log) => {
      const last = log.at(-1);
      return { after: last?.position ?? 0, afterPrepare: last?.preparePosition };
    });
  }

  partitionOf(_topic: string, key: string): number {
    return [...key].reduce((sum, char) => sum + char.charCodeAt(0), 0) % PARTITIONS;
  }

  async publish(messages: OutgoingMessage[]): Promise<void> {
    // Like a produce request: each partition's part lands or not, independently.
    const partitionsInBatch = [
      ...new Set(messages.map((m) => `${m.topic}/${this.partitionOf(m.topic, m.key)}`)),
    ];
    const landing =
      this.failAfter === undefined ? partitionsInBatch : partitionsInBatch.slice(0, this.failAfter);
    for (const message of messages) {
      const partition = this.partitionOf(message.topic, message.key);
      if (landing.includes(`${message.topic}/${partition}`))
        this.logs.get(message.topic)![partition].push(message);
    }
    if (this.failAfter !== undefined) {
      this.failAfter = undefined;
      throw new Error('broker connection lost');
    }
  }

  async close(): Promise<void> {}

  all(topic: string): OutgoingMessage[] {
    return (this.logs.get(topic) ?? []).flat();
  }
}

const event = (projectId: string, type: string, data: object = {}): NewEvent => ({
  id: randomUUID(),
  type,
  schemaVersion: 1,
  data: { projectId, ...data },
  metadata: {
    recordedAt: '2023-11-01T00:00:00.000Z',
    recordedBy: 'test',
    source: { kind: 'api' },
    correlationId: 'c',
    causationId: 'c',
  },
});

describe('EventRelay: no loss and no duplicates across failures', () => {
  let dir: string;
  let store: SqliteEventStore;
  const silent = { log: () => undefined, error: () => undefined };

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
    await store.append(
      'notification-2023-10',
      [event('x', 'NotificationIssued', { month: '2023-10' })],
      'no_stream',
    );
  }

  async function runUntilCaughtUp(topics: InMemoryTopics): Promise<EventRelay> {
    const relay = new EventRelay(store, topics, silent);
    await relay.start(() => undefined);
    return relay;
  }

  it('publishes project events keyed by project id and notifications keyed by month, in position order', async () => {
    // given
    await appendHistory(4, 3);
    const topics = new InMemoryTopics();
    // when
    const relay = await runUntilCaughtUp(topics);
    await relay.stop();
    // then
    const projectMessages = topics.all(PROJECT_EVENTS_TOPIC);
    expect(projectMessages).toHaveLength(12);
    expect(projectMessages.every((m) => m.headers.ce_subject === m.key && m.key.startsWith('p'))).toBe(true);
    expect(topics.all(NOTIFICATIONS_TOPIC).map((m) => m.key)).toEqual(['2023-10']);
    for (const log of topics.logs.get(PROJECT_EVENTS_TOPIC)!) {
      const positions = log.map((m) => m.position);
      expect(positions).toEqual([...positions].sort((a, b) => a - b));
    }
  });

  it('after a failure part-way through a batch, a new relay publishes exactly the missing events', async () => {
    // given: a batch of which only the first partition landed
    await appendHistory(6, 4);
    const topics = new InMemoryTopics();
    topics.failAfter = 1;
    let failed: unknown;
    const first = new EventRelay(store, topics, silent);
    await first.start((error) => (failed = error)).catch((error) => (failed = error));
    await first.stop();
    expect(String(failed)).toContain('broker connection lost');
    const landedBefore = topics.all(PROJECT_EVENTS_TOPIC).length;
    expect(landedBefore).toBeGreaterThan(0);
    expect(landedBefore).toBeLessThan(24);
    // when: a new relay resumes from what the topics hold
    const second = await runUntilCaughtUp(topics);
    await second.stop();
    // then: every project event exactly once
    const ids = topics.all(PROJECT_EVENTS_TOPIC).map((m) => m.headers.ce_id);
    expect(ids).toHaveLength(24);
    expect(new Set(ids).size).toBe(24);
    expect(second.progress.skippedAsAlreadyPublished).toBeGreaterThan(0);
  });

  it('follows live appends after catching up', async () => {
    // given
    const topics = new InMemoryTopics();
    const relay = await runUntilCaughtUp(topics);
    // when
    await store.append('project-live', [event('live', 'ProjectSigned')], 'no_stream');
    // then
    for (let i = 0; i < 100 && topics.all(PROJECT_EVENTS_TOPIC).length === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await relay.stop();
    expect(topics.all(PROJECT_EVENTS_TOPIC).map((m) => m.key)).toEqual(['live']);
  });
});

describe('EventRelay on EventStoreDB events that share a commit position', () => {
  const silent = { log: () => undefined, error: () => undefined };

  it('resumes inside a transaction: the rest of it published once, nothing twice', async () => {
    // given: a project's events written in one explicit transaction (one commit position),
    // and a relay that stopped after only the first of them landed in Kafka
    const server = new FakeEventStoreDbServer({ sendsCaughtUp: true });
    const store = new EventStoreDbEventStore(server.connect());
    await store.append('project-p0', [event('p0', 'ProjectSigned')], 'no_stream');
    server.writeTransaction(
      'project-p1',
      ['ProjectSigned', 'ConstructionStarted', 'ProductionStarted'].map((type) => {
        const { id, data, metadata } = event('p1', type);
        return jsonEvent({ id, type, data: data as JSONType, metadata: { ...metadata, schemaVersion: 1 } });
      }),
    );
    const topics = new InMemoryTopics();
    const first = new EventRelay(store, topics, silent);
    await first.start(() => undefined);
    await first.stop();
    const partition = topics.logs.get(PROJECT_EVENTS_TOPIC)![topics.partitionOf(PROJECT_EVENTS_TOPIC, 'p1')];
    const transaction = partition.filter((m) => m.key === 'p1');
    expect(new Set(transaction.map((m) => m.position)).size).toBe(1);
    expect(transaction.map((m) => m.headers['prepare-position'])).toEqual([
      expect.any(String),
      expect.any(String),
      expect.any(String),
    ]);
    partition.splice(partition.indexOf(transaction[1]));

    // when
    const second = new EventRelay(store, topics, silent);
    await second.start(() => undefined);
    await second.stop();

    // then
    const published = topics.all(PROJECT_EVENTS_TOPIC);
    expect(published.filter((m) => m.key === 'p1').map((m) => m.headers.ce_id)).toEqual(
      transaction.map((m) => m.headers.ce_id),
    );
    expect(new Set(published.map((m) => m.headers.ce_id)).size).toBe(published.length);
    await store.close();
  });
});
