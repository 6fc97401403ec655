import { randomUUID } from 'node:crypto';
import { ConfigResourceTypes, Kafka, logLevel } from 'kafkajs';
import { KafkaPublisher } from './kafka-publisher';

const brokers = (process.env.KAFKA_BROKERS ?? '').split(',').filter(Boolean);
if (brokers.length === 0 && process.env.CI) throw new Error('CI=true but KAFKA_BROKERS is not set');
const describeWithKafka = brokers.length > 0 ? describe : describe.skip;

/** The topic settings from configuration, as the real broker holds them after the relay created the topics. */
describeWithKafka('KafkaPublisher topic settings on the real broker', () => {
  it('creates topics with the configured partitions, replication factor, min.insync.replicas and retention; the compacted one with cleanup.policy=compact', async () => {
    // given
    const suffix = randomUUID().slice(0, 8);
    const events = `settings-${suffix}.events`;
    const projects = `settings-${suffix}.projects`;
    const publisher = new KafkaPublisher({
      brokers,
      eventsTopic: events,
      partitions: 4,
      replicationFactor: 1,
      minInsyncReplicas: 1,
      retentionMs: 86_400_000,
    });
    const defaults = new KafkaPublisher({ brokers, eventsTopic: `settings-${suffix}.defaults` });
    const admin = new Kafka({ clientId: 'settings-test', brokers, logLevel: logLevel.NOTHING }).admin();
    await Promise.all([publisher.connect(), defaults.connect(), admin.connect()]);
    try {
      // when
      const facts = await publisher.ensureTopics([events, projects], [projects]);
      await defaults.ensureTopics([`settings-${suffix}.defaults`]);
      // then: read back from the broker
      expect(facts.get(events)).toMatchObject({ partitions: 4 });
      const { topics } = await admin.fetchTopicMetadata({ topics: [events, projects] });
      for (const topic of topics) {
        expect({ topic: topic.name, partitions: topic.partitions.length }).toEqual({
          topic: topic.name,
          partitions: 4,
        });
        for (const partition of topic.partitions) expect(partition.replicas).toHaveLength(1);
      }
      const names = ['retention.ms', 'min.insync.replicas', 'cleanup.policy'];
      const { resources } = await admin.describeConfigs({
        includeSynonyms: false,
        resources: [events, projects, `settings-${suffix}.defaults`].map((name) => ({
          type: ConfigResourceTypes.TOPIC,
          name,
          configNames: names,
        })),
      });
      const settings = Object.fromEntries(
        resources.map((resource) => [
          resource.resourceName,
          Object.fromEntries(resource.configEntries.map((entry) => [entry.configName, entry.configValue])),
        ]),
      );
      expect(settings).toEqual({
        [events]: { 'retention.ms': '86400000', 'min.insync.replicas': '1', 'cleanup.policy': 'delete' },
        [projects]: {
          'retention.ms': expect.any(String),
          'min.insync.replicas': '1',
          'cleanup.policy': 'compact',
        },
        // the defaults: 6 partitions, events kept for ever
        [`settings-${suffix}.defaults`]: {
          'retention.ms': '-1',
          'min.insync.replicas': expect.any(String),
          'cleanup.policy': 'delete',
        },
      });
      const [defaultTopic] = (await admin.fetchTopicMetadata({ topics: [`settings-${suffix}.defaults`] }))
        .topics;
      expect(defaultTopic.partitions).toHaveLength(6);
    } finally {
      await Promise.all([publisher.close(), defaults.close(), admin.disconnect()]);
    }
  }, 60_000);

  it('refuses a replication factor the cluster cannot give (one broker here) instead of creating a weaker topic', async () => {
    const events = `settings-${randomUUID().slice(0, 8)}.events`;
    const publisher = new KafkaPublisher({ brokers, eventsTopic: events, replicationFactor: 3 });
    await publisher.connect();
    try {
      await expect(publisher.ensureTopics([events])).rejects.toThrow(
        /replication factor|INVALID_REPLICATION_FACTOR|brokers/i,
      );
    } finally {
      await publisher.close();
    }
  }, 60_000);
});
