import { AllCheckpoint } from '@app/event-store';
import { OutgoingMessage } from './cloud-events';

/**
 * What a topic already holds: where the last message of each partition sits in `$all`, its
 * `position` and `prepare-position` headers (`{ after: 0 }`: empty).
 */
export type PublishedPositions = AllCheckpoint[];

/**
 * The relay's view of Kafka, small enough to fake in tests. Implemented with kafkajs in
 * `kafka-publisher.ts`.
 */
export abstract class MessagePublisher {
  abstract connect(): Promise<void>;
  /** Creates the topics if missing. */
  abstract ensureTopics(topics: string[]): Promise<void>;
  /** Reads the last message of every partition of `topic` and returns its position headers. */
  abstract publishedPositions(topic: string): Promise<PublishedPositions>;
  /** The partition a key goes to (the producer's partitioner, so resume and send agree). */
  abstract partitionOf(topic: string, key: string): number;
  /** Sends in order and resolves once every in-sync replica has them. */
  abstract publish(messages: OutgoingMessage[]): Promise<void>;
  abstract close(): Promise<void>;
}
