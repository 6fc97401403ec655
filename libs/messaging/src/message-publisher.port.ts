import { OutgoingMessage } from './cloud-events';

/** What the relay must know of a topic: how keys spread, and the largest message it takes. */
export interface TopicFacts {
  partitions: number;
  /** The topic's max.message.bytes. */
  maxMessageBytes: number;
}

/**
 * What has been published, written in the same Kafka transaction as the messages: the last
 * `$all` position dealt with, the store it came from, and each topic's partition count then.
 */
export interface RelayCheckpoint {
  position: number;
  storeId: string;
  partitions: Record<string, number>;
}

/** The broker refused a message (or a batch) as larger than the topic accepts. */
export class MessageTooLargeError extends Error {
  override name = 'MessageTooLargeError';
}

/**
 * The relay's view of Kafka, small enough to fake in tests. Implemented with kafkajs in
 * `kafka-publisher.ts`.
 */
export abstract class MessagePublisher {
  /** Connects; with transactions this also fences any earlier publisher of the same topics. */
  abstract connect(): Promise<void>;
  /**
   * Creates missing topics with the configured settings (`compacted` ones with
   * cleanup.policy=compact instead of a retention); returns every topic's facts.
   */
  abstract ensureTopics(topics: string[], compacted?: string[]): Promise<Map<string, TopicFacts>>;
  /** The last committed checkpoint, or undefined when none was ever committed. */
  abstract readCheckpoint(): Promise<RelayCheckpoint | undefined>;
  /** Whether any of the topics holds a record (committed or not). */
  abstract holdsRecords(topics: string[]): Promise<boolean>;
  /**
   * Sends the messages and commits the checkpoint, atomically: after a crash either both are
   * there or neither is (consumers read with isolation read_committed).
   */
  abstract publish(messages: OutgoingMessage[], checkpoint: RelayCheckpoint): Promise<void>;
  abstract close(): Promise<void>;
}
