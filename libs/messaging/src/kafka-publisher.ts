import { randomUUID } from 'node:crypto';
import { Admin, Kafka, Partitioners, Producer, logLevel } from 'kafkajs';
import { OutgoingMessage } from './cloud-events';
import { MessagePublisher, PublishedPositions } from './message-publisher.port';

export interface KafkaPublisherOptions {
  brokers: string[];
  clientId?: string;
  /** Partitions of newly created topics (default 6). */
  partitions?: number;
  /** Replication factor of newly created topics (default 1: a single-node broker). */
  replicationFactor?: number;
  /** How long to wait for the tail of every partition when resuming (default 30 s). */
  resumeTimeoutMs?: number;
}

const partitioner = Partitioners.DefaultPartitioner();

/** kafkajs behind the MessagePublisher port. */
export class KafkaPublisher extends MessagePublisher {
  private readonly kafka: Kafka;
  private readonly admin: Admin;
  private readonly producer: Producer;
  private readonly partitionCounts = new Map<string, number>();

  constructor(private readonly options: KafkaPublisherOptions) {
    super();
    this.kafka = new Kafka({
      clientId: options.clientId ?? 'project-lifecycle-relay',
      brokers: options.brokers,
      logLevel: logLevel.WARN,
    });
    this.admin = this.kafka.admin();
    // Idempotent with one request in flight: the broker drops a retried duplicate and a
    // partition never receives message n+1 before message n.
    this.producer = this.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
  }

  async connect(): Promise<void> {
    await this.admin.connect();
    await this.producer.connect();
  }

  async ensureTopics(topics: string[]): Promise<void> {
    const existing = new Set(await this.admin.listTopics());
    const missing = topics.filter((topic) => !existing.has(topic));
    if (missing.length > 0) {
      await this.admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((topic) => ({
          topic,
          numPartitions: this.options.partitions ?? 6,
          replicationFactor: this.options.replicationFactor ?? 1,
        })),
      });
    }
    const { topics: metadata } = await this.admin.fetchTopicMetadata({ topics });
    for (const topic of metadata) this.partitionCounts.set(topic.name, topic.partitions.length);
  }

  partitionOf(topic: string, key: string): number {
    const count = this.partitionCounts.get(topic);
    if (!count) throw new Error(`topic ${topic} is not known; call ensureTopics first`);
    const partitionMetadata = Array.from({ length: count }, (_, partitionId) => ({
      partitionId,
      leader: 0,
      replicas: [0],
      isr: [0],
      partitionErrorCode: 0,
    }));
    return partitioner({ topic, partitionMetadata, message: { key, value: null } });
  }

  async publish(messages: OutgoingMessage[]): Promise<void> {
    const byTopic = new Map<
      string,
      { key: string; value: string; headers: Record<string, string>; partition: number }[]
    >();
    for (const message of messages) {
      const list = byTopic.get(message.topic) ?? [];
      list.push({
        key: message.key,
        value: message.value,
        headers: message.headers,
        partition: this.partitionOf(message.topic, message.key),
      });
      byTopic.set(message.topic, list);
    }
    await this.producer.sendBatch({
      acks: -1,
      topicMessages: [...byTopic].map(([topic, topicMessages]) => ({ topic, messages: topicMessages })),
    });
  }

  async publishedPositions(topic: string): Promise<PublishedPositions> {
    const offsets = await this.admin.fetchTopicOffsets(topic);
    const positions: PublishedPositions = Array.from({ length: offsets.length }, () => ({ after: 0 }));
    const tails = offsets
      .filter(({ high, low }) => BigInt(high) > BigInt(low))
      .map(({ partition, high }) => ({ partition, offset: (BigInt(high) - 1n).toString() }));
    if (tails.length === 0) return positions;
    // A throwaway group reads just the last message of each non-empty partition.
    const groupId = `project-lifecycle-relay-resume-${randomUUID()}`;
    const consumer = this.kafka.consumer({ groupId, allowAutoTopicCreation: false });
    const pending = new Set(tails.map((tail) => tail.partition));
    try {
      await consumer.connect();
      await consumer.subscribe({ topics: [topic] });
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () =>
            reject(
              new Error(
                `timed out reading the last message of ${topic} partitions ${[...pending].join(',')}`,
              ),
            ),
          this.options.resumeTimeoutMs ?? 30_000,
        );
        consumer
          .run({
            autoCommit: false,
            eachMessage: async ({ partition, message }) => {
              const tail = tails.find((t) => t.partition === partition);
              if (!tail || message.offset !== tail.offset) return;
              const prepare = message.headers?.['prepare-position']?.toString();
              positions[partition] = {
                after: Number(message.headers?.position?.toString() ?? 0),
                ...(prepare !== undefined ? { afterPrepare: Number(prepare) } : {}),
              };
              pending.delete(partition);
              if (pending.size === 0) {
                clearTimeout(timer);
                resolve();
              }
            },
          })
          .then(() => tails.forEach(({ partition, offset }) => consumer.seek({ topic, partition, offset })))
          .catch(reject);
      });
    } finally {
      await consumer.disconnect();
      await this.admin.deleteGroups([groupId]).catch(() => undefined);
    }
    return positions;
  }

  async close(): Promise<void> {
    await this.producer.disconnect();
    await this.admin.disconnect();
  }
}
