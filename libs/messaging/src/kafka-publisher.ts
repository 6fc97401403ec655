import { Admin, ConfigResourceTypes, Kafka, KafkaConfig, Partitioners, Producer, logLevel } from 'kafkajs';
import { OutgoingMessage, messageBytes } from './cloud-events';
import {
  MessagePublisher,
  MessageTooLargeError,
  RelayCheckpoint,
  TopicFacts,
} from './message-publisher.port';

/** How to reach the brokers (KAFKA_BROKERS, KAFKA_TLS*, KAFKA_SASL_*). */
export interface KafkaConnection {
  brokers: string[];
  clientId?: string;
  tls?: { ca?: string; rejectUnauthorized: boolean };
  sasl?: { mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512'; username: string; password: string };
}

export function kafkaClient(connection: KafkaConnection, clientId: string): Kafka {
  const config: KafkaConfig = {
    clientId: connection.clientId ?? clientId,
    brokers: connection.brokers,
    logLevel: logLevel.WARN,
  };
  if (connection.tls)
    config.ssl = { ca: connection.tls.ca, rejectUnauthorized: connection.tls.rejectUnauthorized };
  if (connection.sasl) config.sasl = connection.sasl as KafkaConfig['sasl'];
  return new Kafka(config);
}

export interface KafkaPublisherOptions extends KafkaConnection {
  /** The events topic: the transactional id and the checkpoint group are named after it. */
  eventsTopic: string;
  /** Partitions of newly created topics (default 6). */
  partitions?: number;
  /** Replication factor of newly created topics (default 1: a single-node broker). */
  replicationFactor?: number;
  minInsyncReplicas?: number;
  /** retention.ms of newly created topics (default -1: kept for ever). */
  retentionMs?: number;
}

/** The checkpoint group and the transactional id, one per topic set: a new relay fences the old. */
export const relayTransactionNames = (eventsTopic: string) => ({
  transactionalId: `${eventsTopic}.relay`,
  checkpointGroup: `${eventsTopic}.relay-checkpoint`,
});

const MESSAGE_TOO_LARGE = new Set(['MESSAGE_TOO_LARGE', 'RECORD_LIST_TOO_LARGE']);

function isTooLarge(error: unknown): boolean {
  for (let cause = error as { type?: string; cause?: unknown; errors?: unknown[] } | undefined; cause;) {
    if (cause.type && MESSAGE_TOO_LARGE.has(cause.type)) return true;
    if (Array.isArray(cause.errors) && cause.errors.some(isTooLarge)) return true;
    cause = cause.cause as typeof cause;
  }
  return false;
}

/**
 * kafkajs behind the MessagePublisher port: a transactional producer (idempotent, one request
 * in flight); the checkpoint is the checkpoint group's committed offset on the events topic's
 * partition 0 (offset = `$all` position, metadata = store id and partition counts), committed
 * with the batch through the transaction's sendOffsets.
 */
export class KafkaPublisher extends MessagePublisher {
  private readonly admin: Admin;
  private readonly producer: Producer;
  private readonly names: ReturnType<typeof relayTransactionNames>;
  /** The smallest limit among the topics: a send is cut into chunks below it. */
  private chunkBytes = 1_000_000;

  constructor(private readonly options: KafkaPublisherOptions) {
    super();
    const kafka = kafkaClient(options, 'project-lifecycle-relay');
    this.names = relayTransactionNames(options.eventsTopic);
    this.admin = kafka.admin();
    this.producer = kafka.producer({
      transactionalId: this.names.transactionalId,
      idempotent: true,
      maxInFlightRequests: 1,
      createPartitioner: Partitioners.DefaultPartitioner,
      // The broker answers CONCURRENT_TRANSACTIONS while the last commit completes: retry soon.
      retry: { initialRetryTime: 20, retries: 8 },
    });
  }

  async connect(): Promise<void> {
    await this.admin.connect();
    // Initialises the transactional id: an earlier producer of it is fenced, its open transaction aborted.
    await this.producer.connect();
  }

  async ensureTopics(topics: string[], compacted: string[] = []): Promise<Map<string, TopicFacts>> {
    const existing = new Set(await this.admin.listTopics());
    const missing = topics.filter((topic) => !existing.has(topic));
    if (missing.length > 0) {
      const shared =
        this.options.minInsyncReplicas !== undefined
          ? [{ name: 'min.insync.replicas', value: String(this.options.minInsyncReplicas) }]
          : [];
      await this.admin
        .createTopics({
          waitForLeaders: true,
          topics: missing.map((topic) => ({
            topic,
            numPartitions: this.options.partitions ?? 6,
            replicationFactor: this.options.replicationFactor ?? 1,
            configEntries: [
              ...shared,
              compacted.includes(topic)
                ? { name: 'cleanup.policy', value: 'compact' }
                : { name: 'retention.ms', value: String(this.options.retentionMs ?? -1) },
            ],
          })),
        })
        .catch((error: unknown) => {
          // kafkajs: a KafkaJSAggregateError with one KafkaJSCreateTopicError per topic refused.
          const refused = (error as { errors?: { topic?: string; type?: string; message: string }[] }).errors;
          // Another relay created them at the same moment; or created, waiting for leaders (below).
          if (refused?.every(({ type }) => type === 'TOPIC_ALREADY_EXISTS')) return;
          if (!refused && (error as { retriable?: boolean }).retriable) return;
          if (!refused) throw error;
          throw new Error(
            `cannot create ${refused.map(({ topic, type, message }) => `${topic} (${type}: ${message})`).join(', ')}`,
          );
        });
    }
    // A topic just created may not be known to every request yet: retried while Kafka says so.
    const { topics: metadata } = await whileRetriable(async () => {
      const answer = await this.admin.fetchTopicMetadata({ topics });
      if (answer.topics.some((topic) => topic.partitions.some((partition) => partition.leader < 0))) {
        throw Object.assign(new Error('a partition has no leader yet'), { retriable: true });
      }
      return answer;
    });
    const { resources } = await this.admin.describeConfigs({
      includeSynonyms: false,
      resources: topics.map((name) => ({
        type: ConfigResourceTypes.TOPIC,
        name,
        configNames: ['max.message.bytes'],
      })),
    });
    const facts = new Map<string, TopicFacts>();
    for (const topic of metadata) {
      const limit = resources
        .find((resource) => resource.resourceName === topic.name)
        ?.configEntries.find((entry) => entry.configName === 'max.message.bytes')?.configValue;
      facts.set(topic.name, {
        partitions: topic.partitions.length,
        maxMessageBytes: Number(limit ?? 1_048_588),
      });
    }
    this.chunkBytes = Math.min(...[...facts.values()].map((fact) => fact.maxMessageBytes));
    return facts;
  }

  async readCheckpoint(): Promise<RelayCheckpoint | undefined> {
    const [committed] = await this.admin.fetchOffsets({
      groupId: this.names.checkpointGroup,
      topics: [this.options.eventsTopic],
    });
    const partition = committed?.partitions.find((p) => p.partition === 0);
    if (!partition || Number(partition.offset) < 0 || !partition.metadata) return undefined;
    const { storeId, partitions } = JSON.parse(partition.metadata) as Omit<RelayCheckpoint, 'position'>;
    return { position: Number(partition.offset), storeId, partitions };
  }

  async holdsRecords(topics: string[]): Promise<boolean> {
    for (const topic of topics) {
      const offsets = await whileRetriable(() => this.admin.fetchTopicOffsets(topic));
      if (offsets.some(({ high, low }) => BigInt(high) > BigInt(low))) return true;
    }
    return false;
  }

  async publish(messages: OutgoingMessage[], checkpoint: RelayCheckpoint): Promise<void> {
    const transaction = await this.producer.transaction();
    try {
      // Each sendBatch is one record batch per partition: keep a chunk under the smallest limit.
      for (const chunk of chunks(messages, this.chunkBytes)) {
        await transaction.sendBatch({
          acks: -1,
          topicMessages: byTopic(chunk),
        });
      }
      await transaction.sendOffsets({
        consumerGroupId: this.names.checkpointGroup,
        topics: [
          {
            topic: this.options.eventsTopic,
            partitions: [
              {
                partition: 0,
                offset: String(checkpoint.position),
                metadata: JSON.stringify({ storeId: checkpoint.storeId, partitions: checkpoint.partitions }),
              } as { partition: number; offset: string },
            ],
          },
        ],
      });
      await transaction.commit();
    } catch (error) {
      await transaction.abort().catch(() => undefined);
      if (isTooLarge(error)) throw new MessageTooLargeError(String(error));
      throw error;
    }
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.producer.disconnect(), this.admin.disconnect()]);
  }
}

/** Retries what Kafka calls retriable (a new topic's leader not elected yet), for a few seconds. */
async function whileRetriable<T>(call: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (!(error as { retriable?: boolean }).retriable || attempt === 20) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

function* chunks(messages: OutgoingMessage[], limitBytes: number): Generator<OutgoingMessage[]> {
  let chunk: OutgoingMessage[] = [];
  let bytes = 0;
  for (const message of messages) {
    const size = messageBytes(message);
    if (chunk.length > 0 && bytes + size > limitBytes * 0.8) {
      yield chunk;
      chunk = [];
      bytes = 0;
    }
    chunk.push(message);
    bytes += size;
  }
  if (chunk.length > 0) yield chunk;
}

function byTopic(messages: OutgoingMessage[]) {
  const topics = new Map<string, { key: string; value: string | null; headers: Record<string, string> }[]>();
  for (const { topic, key, value, headers } of messages) {
    const list = topics.get(topic) ?? [];
    list.push({ key, value, headers });
    topics.set(topic, list);
  }
  return [...topics].map(([topic, list]) => ({ topic, messages: list }));
}
