import { Consumer, Kafka, logLevel } from 'kafkajs';

export const RELAY_LOCK_TOPIC = 'project-lifecycle.relay-lock';
export const RELAY_GROUP = 'project-lifecycle-relay';

export interface LeadershipCallbacks {
  /** This process now holds the lock partition: it may publish. */
  onElected(): void;
  /** A rebalance started or the lock moved: stop publishing before anyone else starts. */
  onDeposed(): void;
}

/**
 * Only one relay publishes at a time: relays join one consumer group on a one-partition
 * lock topic, and the member the group assigns that partition is the publisher. A killed
 * relay loses the lock when its session times out (6 s), so a standby takes over by itself.
 */
export class KafkaLeadership {
  private readonly kafka: Kafka;
  private consumer?: Consumer;

  constructor(
    brokers: string[],
    private readonly callbacks: LeadershipCallbacks,
    private readonly clientId = 'project-lifecycle-relay',
  ) {
    this.kafka = new Kafka({ clientId, brokers, logLevel: logLevel.WARN });
  }

  async join(): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      if (!(await admin.listTopics()).includes(RELAY_LOCK_TOPIC)) {
        await admin
          .createTopics({ waitForLeaders: true, topics: [{ topic: RELAY_LOCK_TOPIC, numPartitions: 1 }] })
          .catch((error: unknown) => {
            // Another relay created it at the same moment.
            if (!String(error).includes('already exists')) throw error;
          });
      }
    } finally {
      await admin.disconnect();
    }
    const consumer = this.kafka.consumer({
      groupId: RELAY_GROUP,
      sessionTimeout: 6_000,
      heartbeatInterval: 1_000,
      allowAutoTopicCreation: false,
    });
    this.consumer = consumer;
    consumer.on(consumer.events.REBALANCING, () => this.callbacks.onDeposed());
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      const assigned = payload.memberAssignment[RELAY_LOCK_TOPIC] ?? [];
      if (assigned.includes(0)) this.callbacks.onElected();
      else this.callbacks.onDeposed();
    });
    consumer.on(consumer.events.CRASH, () => this.callbacks.onDeposed());
    await consumer.connect();
    await consumer.subscribe({ topics: [RELAY_LOCK_TOPIC] });
    // Nothing is ever written to the lock topic; running the consumer keeps the membership alive.
    await consumer.run({ eachMessage: async () => undefined });
  }

  async leave(): Promise<void> {
    await this.consumer?.disconnect();
  }
}
