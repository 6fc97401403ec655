import { Consumer, Kafka } from 'kafkajs';
import { KafkaConnection, kafkaClient } from './kafka-publisher';

/** The lock topic and group are named after the events topic, so each topic set has one publisher. */
const relayLockOf = (eventsTopic: string) => ({
  topic: `${eventsTopic}.relay-lock`,
  group: `${eventsTopic}.relay`,
});

export interface LeadershipCallbacks {
  /** This process now holds the lock partition: it may publish. */
  onElected(): void;
  /** A rebalance started or the lock moved: stop publishing before anyone else starts. */
  onDeposed(): void;
  /** The membership failed for good (kafkajs will not retry): the process should exit. */
  onFailed(error: Error): void;
}

/**
 * Only one relay publishes at a time: relays join one consumer group on a one-partition
 * lock topic, and the member the group assigns that partition is the publisher. A killed
 * relay loses the lock when its session times out (RELAY_SESSION_TIMEOUT_MS, 6 s), so a standby takes over by itself.
 */
export class KafkaLeadership {
  private readonly kafka: Kafka;
  private consumer?: Consumer;

  private readonly lock: { topic: string; group: string };

  constructor(
    connection: KafkaConnection,
    eventsTopic: string,
    private readonly sessionTimeoutMs: number,
    private readonly callbacks: LeadershipCallbacks,
  ) {
    this.kafka = kafkaClient(connection, 'project-lifecycle-relay');
    this.lock = relayLockOf(eventsTopic);
  }

  async join(): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      if (!(await admin.listTopics()).includes(this.lock.topic)) {
        await admin
          .createTopics({ waitForLeaders: true, topics: [{ topic: this.lock.topic, numPartitions: 1 }] })
          .catch((error: unknown) => {
            // Another relay created it at the same moment.
            if (!String(error).includes('already exists')) throw error;
          });
      }
    } finally {
      await admin.disconnect();
    }
    const consumer = this.kafka.consumer({
      groupId: this.lock.group,
      sessionTimeout: this.sessionTimeoutMs,
      heartbeatInterval: Math.max(100, Math.floor(this.sessionTimeoutMs / 6)),
      allowAutoTopicCreation: false,
      // Heartbeats go out between fetches, so a fetch must return well within the session.
      maxWaitTimeInMs: Math.max(100, Math.floor(this.sessionTimeoutMs / 4)),
    });
    this.consumer = consumer;
    consumer.on(consumer.events.REBALANCING, () => this.callbacks.onDeposed());
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      const assigned = payload.memberAssignment[this.lock.topic] ?? [];
      if (assigned.includes(0)) this.callbacks.onElected();
      else this.callbacks.onDeposed();
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      this.callbacks.onDeposed();
      if (!payload.restart) this.callbacks.onFailed(payload.error);
    });
    await consumer.connect();
    await consumer.subscribe({ topics: [this.lock.topic] });
    // Nothing is ever written to the lock topic; running the consumer keeps the membership alive.
    await consumer.run({ eachMessage: async () => undefined });
  }

  async leave(): Promise<void> {
    await this.consumer?.disconnect();
  }
}
