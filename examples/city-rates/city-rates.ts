/**
 * A downstream consumer, as a team outside the tracker would write it: rebuilds the five rates
 * (五率) per city from Kafka alone — the project events topic and the reference topic (zones with
 * their city, rounds) — with no call to the tracker's HTTP API and no access to its store.
 *
 * The arithmetic is the tracker's own projections library (`@app/projections`: the read model
 * and `rateTable`), which a downstream team would take as a package: the rates' definitions
 * (cohorts, bases, dated and corrected facts) are then the same by construction, and what this
 * example shows is that the topics carry everything they need. README.md beside this file.
 *
 * Usage: KAFKA_BROKERS=127.0.0.1:9092 node --require ./test/support/register-ts.js \
 *          examples/city-rates/city-rates.ts [asOf YYYY-MM-DD]
 */
import { randomUUID } from 'node:crypto';
import { Kafka, KafkaConfig, logLevel } from 'kafkajs';
import type { RecordedEvent } from '@app/event-store';
import { LifecycleReadModel, RateTable, rateTable } from '@app/projections';

export interface CityRatesOptions {
  brokers: string[];
  /** The tracker's topic names (its KAFKA_EVENTS_TOPIC and KAFKA_REFERENCE_TOPIC). */
  eventsTopic?: string;
  referenceTopic?: string;
  /** Effective date D of the rates. */
  asOf: string;
  ssl?: KafkaConfig['ssl'];
  sasl?: KafkaConfig['sasl'];
}

/** A message of either topic as the event it carries (CloudEvents binary mode, README "Kafka"). */
function eventOf(
  topic: string,
  eventsTopic: string,
  key: string,
  headers: Record<string, string>,
  body: string,
) {
  const { data, metadata } = JSON.parse(body) as { data: unknown; metadata: RecordedEvent['metadata'] };
  const [, type, version] = /^project-lifecycle\.(\w+)\.v(\d+)$/.exec(headers.ce_type) ?? [];
  return {
    id: headers.ce_id,
    type,
    schemaVersion: Number(version),
    // Project events are keyed by project id, reference events by their stream.
    streamId: topic === eventsTopic ? `project-${key}` : key,
    revision: Number(headers.ce_streamrevision),
    position: Number(headers.ce_position),
    data,
    metadata,
  } as RecordedEvent;
}

/**
 * Reads both topics from the beginning up to their current end (read_committed: the tracker
 * publishes in transactions), puts the events back in `$all` order by `ce_position`, and
 * answers the rates per city as of D.
 */
export async function cityRates(options: CityRatesOptions): Promise<RateTable> {
  const eventsTopic = options.eventsTopic ?? 'project-lifecycle.events.v1';
  const referenceTopic = options.referenceTopic ?? 'project-lifecycle.reference.v1';
  const kafka = new Kafka({
    clientId: 'city-rates-example',
    brokers: options.brokers,
    ssl: options.ssl,
    sasl: options.sasl,
    logLevel: logLevel.NOTHING,
  });
  const topics = [eventsTopic, referenceTopic];
  const admin = kafka.admin();
  await admin.connect();
  // Where each partition ends now: the last stable offset, as read_committed sees it.
  const ends = new Map<string, bigint>();
  try {
    for (const topic of topics) {
      for (const { partition, high, low } of await admin.fetchTopicOffsets(topic)) {
        if (BigInt(high) > BigInt(low)) ends.set(`${topic}/${partition}`, BigInt(high));
      }
    }
  } finally {
    await admin.disconnect();
  }
  const events: RecordedEvent[] = [];
  if (ends.size > 0) {
    const consumer = kafka.consumer({ groupId: `city-rates-${randomUUID()}`, readUncommitted: false });
    await consumer.connect();
    try {
      await consumer.subscribe({ topics, fromBeginning: true });
      await new Promise<void>((resolve, reject) => {
        consumer
          .run({
            eachBatch: async ({ batch }) => {
              for (const message of batch.messages) {
                if (!message.value) continue;
                const headers: Record<string, string> = {};
                for (const [name, value] of Object.entries(message.headers ?? {}))
                  headers[name] = String(value);
                events.push(
                  eventOf(
                    batch.topic,
                    eventsTopic,
                    message.key?.toString() ?? '',
                    headers,
                    message.value.toString(),
                  ),
                );
              }
              // A transaction's commit marker takes an offset too: done once the next offset reaches the end.
              const end = ends.get(`${batch.topic}/${batch.partition}`);
              if (end !== undefined && BigInt(batch.highWatermark) >= end) {
                const next = BigInt(batch.lastOffset()) + 1n;
                if (next >= end) ends.delete(`${batch.topic}/${batch.partition}`);
              }
              if (ends.size === 0) resolve();
            },
          })
          .catch(reject);
      });
    } finally {
      await consumer.disconnect();
    }
  }
  const model = new LifecycleReadModel();
  model.apply(events.sort((a, b) => a.position - b.position));
  return rateTable(model, { scope: 'city', asOf: options.asOf });
}

if (require.main === module) {
  const brokers = (process.env.KAFKA_BROKERS ?? '').split(',').filter(Boolean);
  if (brokers.length === 0) {
    console.error('set KAFKA_BROKERS');
    process.exit(2);
  }
  const asOf = process.argv[2] ?? new Date().toISOString().slice(0, 10);
  cityRates({
    brokers,
    asOf,
    eventsTopic: process.env.KAFKA_EVENTS_TOPIC,
    referenceTopic: process.env.KAFKA_REFERENCE_TOPIC,
  }).then(
    (table) => console.log(JSON.stringify(table, null, 2)),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
