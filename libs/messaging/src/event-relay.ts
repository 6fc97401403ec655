import {
  EventStore,
  RecordedEvent,
  Subscription,
  checkpointAfter,
  earliestCheckpoint,
  isAtOrBefore,
} from '@app/event-store';
import { DEFAULT_TOPICS, OutgoingMessage, RelayTopics, routeOf, toCloudEventMessage } from './cloud-events';
import { MessagePublisher, PublishedPositions } from './message-publisher.port';

/** Where a relay on the embedded store reports progress and lag (in DATA_DIR), read by the API's health. */
export const RELAY_STATUS_FILE = 'relay-status.json';

export interface RelayLogger {
  log(message: string): void;
  error(message: string): void;
}

export interface RelayStatus {
  /** Last `$all` position the relay has dealt with (published or not to be published). */
  position: number;
  published: number;
  skippedAsAlreadyPublished: number;
  running: boolean;
}

/**
 * Publishes `$all` to Kafka with no loss and no duplicates across crashes.
 *
 * Why it works: every message carries its `$all` position; the relay sends a partition's
 * messages in position order through an idempotent producer with one request in flight, and
 * after any failure it starts over from what the topics hold. So each partition always holds
 * a gap-free prefix of the events meant for it, and an event is already published exactly
 * when its position is at or below the last position in its partition. On start the relay
 * reads that last position per partition, replays `$all` from the lowest of them (an event
 * below every partition's last position is certainly published) and skips what is there.
 */
export class EventRelay {
  private subscription?: Subscription;
  private published: Map<string, PublishedPositions> = new Map();
  private readonly status: RelayStatus = {
    position: 0,
    published: 0,
    skippedAsAlreadyPublished: 0,
    running: false,
  };

  constructor(
    private readonly store: EventStore,
    private readonly publisher: MessagePublisher,
    private readonly logger: RelayLogger,
    private readonly topics: RelayTopics = DEFAULT_TOPICS,
  ) {}

  get progress(): Readonly<RelayStatus> {
    return this.status;
  }

  /** Resolves once the relay has caught up with `$all`; it then follows live appends. */
  async start(onFailure: (error: unknown) => void): Promise<void> {
    await this.publisher.connect();
    const topics = [this.topics.events, this.topics.notifications];
    await this.publisher.ensureTopics(topics);
    for (const topic of topics) this.published.set(topic, await this.publisher.publishedPositions(topic));
    const resumeAfter = earliestCheckpoint([...this.published.values()].flat());
    const describe = ({ after, afterPrepare }: { after: number; afterPrepare?: number }) =>
      afterPrepare === undefined ? String(after) : `${after}/${afterPrepare}`;
    this.status.position = resumeAfter.after;
    this.status.running = true;
    this.logger.log(
      `resuming after position ${describe(resumeAfter)}; last published per partition: ` +
        topics
          .map((topic) => `${topic}=[${(this.published.get(topic) ?? []).map(describe).join(',')}]`)
          .join(' '),
    );
    this.subscription = this.store.subscribeToAll({
      ...resumeAfter,
      onEvents: (events) => this.relay(events),
      onError: (error) => {
        this.status.running = false;
        onFailure(error);
      },
    });
    await this.subscription.caughtUp;
  }

  async stop(): Promise<void> {
    this.status.running = false;
    await this.subscription?.stop();
    await this.publisher.close();
  }

  private async relay(events: RecordedEvent[]): Promise<void> {
    const batch: OutgoingMessage[] = [];
    const sentTo: { topic: string; partition: number; event: RecordedEvent }[] = [];
    for (const event of events) {
      const route = routeOf(event, this.topics);
      if (!route) continue;
      const positions = this.published.get(route.topic) as PublishedPositions;
      const partition = this.publisher.partitionOf(route.topic, route.key);
      if (isAtOrBefore(event, positions[partition])) {
        this.status.skippedAsAlreadyPublished++;
        continue;
      }
      batch.push(toCloudEventMessage(event, route));
      sentTo.push({ topic: route.topic, partition, event });
    }
    // A failure here stops the subscription; the process restarts from what Kafka holds.
    if (batch.length > 0) await this.publisher.publish(batch);
    for (const { topic, partition, event } of sentTo) {
      (this.published.get(topic) as PublishedPositions)[partition] = checkpointAfter(event);
    }
    this.status.published += batch.length;
    if (events.length > 0) this.status.position = events[events.length - 1].position;
  }
}
