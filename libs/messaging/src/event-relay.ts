import { DOMAIN_UPCASTERS, upcast } from '@app/domain';
import { EventStore, RecordedEvent, Subscription } from '@app/event-store';
import {
  DEFAULT_TOPICS,
  DeadLetterReason,
  OutgoingMessage,
  RelayTopics,
  WireOptions,
  eventTopicsOf,
  messageBytes,
  routeOf,
  toCloudEventMessage,
  toDeadLetterMessage,
  toProjectStateMessage,
} from './cloud-events';
import { MessagePublisher, MessageTooLargeError, RelayCheckpoint } from './message-publisher.port';
import { ProjectContexts } from './project-context';
import { ProjectStates } from './project-states';

/** Where a relay on the embedded store reports progress and lag (in DATA_DIR), read by the API's health. */
export const RELAY_STATUS_FILE = 'relay-status.json';

export interface RelayLogger {
  log(message: string): void;
  error(message: string): void;
}

export interface RelayStatus {
  /** Last `$all` position the relay has dealt with (published, dead-lettered or not to be published). */
  position: number;
  published: number;
  deadLettered: number;
  running: boolean;
}

export interface EventRelayOptions {
  topics: RelayTopics;
  /** The largest message sent to a topic; the topic's max.message.bytes caps it further. */
  maxMessageBytes: number;
  /** Where to start when Kafka holds no checkpoint (RELAY_START_AFTER); 0 republishes everything. */
  startAfter?: number;
  /** How often an idle relay commits its checkpoint again, so the broker never expires it. */
  checkpointRefreshMs: number;
  /** What messages may say beyond the event (the recording officer). */
  wire: WireOptions;
  /**
   * The most events one transaction takes: pages read while a transaction is in flight wait
   * for the next one, up to this many (the subscription then waits too).
   */
  maxTransactionEvents: number;
}

const DEFAULT_OPTIONS: EventRelayOptions = {
  topics: DEFAULT_TOPICS,
  maxMessageBytes: 1_000_000,
  checkpointRefreshMs: 60 * 60 * 1000,
  wire: { recordedBy: false },
  maxTransactionEvents: 5_000,
};

/** A page of `$all` encoded, waiting for its transaction. */
interface PreparedPage {
  messages: { event: RecordedEvent; message: OutgoingMessage }[];
  /** The position of the page's last event: the checkpoint once it is committed. */
  position: number;
  events: number;
}

/** Consumers get the current shape of every event: the store keeps the shape it was written in. */
function upcastEvent(event: RecordedEvent): RecordedEvent {
  const current = upcast(event, DOMAIN_UPCASTERS);
  return current === event ? event : { ...event, schemaVersion: current.schemaVersion, data: current.data };
}

/**
 * The relay will not start, and starting again will not help: the checkpoint belongs to
 * another store, a topic's partition count changed, or the topics hold records of unknown
 * origin. An operator must decide (README.md "Kafka").
 */
export class RelayRefusedError extends Error {
  override name = 'RelayRefusedError';
}

/**
 * Publishes `$all` to Kafka with no loss and no duplicates across crashes.
 *
 * Why it works: each batch of events is published in one Kafka transaction together with the
 * relay's checkpoint (the last position of the batch), so after a crash either both are in
 * Kafka or neither is, and consumers reading with isolation read_committed never see the
 * messages of an aborted batch. While one transaction is in flight the next pages are read and
 * encoded, in `$all` order, and go together in the next transaction: transactions follow each
 * other, one at a time, each starting after the last position the previous one committed. A relay starts from the committed checkpoint, so what a topic
 * still holds (retention, deleted records) and how many partitions it has play no part.
 * The transactional id is fixed per topic set, so a newly connected relay fences any older one.
 */
export class EventRelay {
  private subscription?: Subscription;
  private readonly options: EventRelayOptions;
  private readonly limits = new Map<string, number>();
  private readonly contexts: ProjectContexts;
  private readonly projectStates: ProjectStates;
  private checkpoint?: RelayCheckpoint;
  private committedAt = 0;
  private refreshTimer?: NodeJS.Timeout;
  /** One transaction at a time: batches and checkpoint refreshes queue here. */
  private sending: Promise<void> = Promise.resolve();
  private readonly status: RelayStatus = { position: 0, published: 0, deadLettered: 0, running: false };
  /** Encoded pages not yet sent, in `$all` order. */
  private pending: PreparedPage[] = [];
  private pendingEvents = 0;
  /** The transaction that takes the pending pages, while one is under way. */
  private sender?: Promise<void>;
  /** Waiters for room in the pending pages (or for the failure that ends the relay). */
  private readonly roomWaiters: (() => void)[] = [];
  private failure?: { error: unknown };
  private onFailure: (error: unknown) => void = () => undefined;

  constructor(
    private readonly store: EventStore,
    private readonly publisher: MessagePublisher,
    private readonly logger: RelayLogger,
    options: Partial<EventRelayOptions> = {},
  ) {
    this.options = { ...DEFAULT_OPTIONS, ...options };
    this.contexts = new ProjectContexts(store);
    this.projectStates = new ProjectStates(store, upcastEvent);
  }

  get progress(): Readonly<RelayStatus> {
    return this.status;
  }

  /** Resolves once the relay has caught up with `$all`; it then follows live appends. */
  async start(onFailure: (error: unknown) => void): Promise<void> {
    const { topics } = this.options;
    await this.publisher.connect();
    const facts = await this.publisher.ensureTopics(
      [...eventTopicsOf(topics), topics.deadLetter],
      [topics.projects],
    );
    for (const [topic, { maxMessageBytes }] of facts) {
      if (this.options.maxMessageBytes > maxMessageBytes) {
        this.logger.log(
          `KAFKA_MAX_MESSAGE_BYTES (${this.options.maxMessageBytes}) is above ${topic}'s max.message.bytes ` +
            `(${maxMessageBytes}): using the topic's`,
        );
      }
      this.limits.set(topic, Math.min(this.options.maxMessageBytes, maxMessageBytes));
    }
    const partitions = Object.fromEntries(
      eventTopicsOf(topics).map((topic) => [topic, facts.get(topic)!.partitions]),
    );
    const storeId = await this.store.storeId();
    const resumeAfter = await this.resumePosition(storeId, partitions);
    this.checkpoint = { position: resumeAfter, storeId, partitions };
    this.status.position = resumeAfter;
    this.status.running = true;
    this.logger.log(
      `resuming after position ${resumeAfter} (store ${storeId}; partitions ` +
        Object.entries(partitions)
          .map(([topic, count]) => `${topic}=${count}`)
          .join(' ') +
        ')',
    );
    this.onFailure = onFailure;
    const failed = (error: unknown) => this.fail(error);
    this.refreshTimer = setInterval(() => void this.refreshCheckpoint().catch(failed), this.refreshEveryMs());
    this.refreshTimer.unref();
    this.subscription = this.store.subscribeToAll({
      after: resumeAfter,
      onEvents: (events) => this.accept(events),
      onError: failed,
    });
    await this.subscription.caughtUp;
    // Caught up means read; the last pages may still be on their way.
    while (this.sender) await this.sender;
    this.throwIfFailed();
  }

  async stop(): Promise<void> {
    this.status.running = false;
    clearInterval(this.refreshTimer);
    // Closing first fails a send in flight at once; its transaction is aborted by the next relay.
    await this.publisher.close();
    await this.subscription?.stop();
  }

  private async resumePosition(storeId: string, partitions: Record<string, number>): Promise<number> {
    const checkpoint = await this.publisher.readCheckpoint();
    if (checkpoint) {
      if (checkpoint.storeId !== storeId) {
        throw new RelayRefusedError(
          `the checkpoint in Kafka was written from store ${checkpoint.storeId}, but this store is ` +
            `${storeId} (restored or migrated?): its positions are not comparable. Publish to new topics, ` +
            'or delete the checkpoint group to republish from RELAY_START_AFTER',
        );
      }
      for (const [topic, count] of Object.entries(partitions)) {
        const recorded = checkpoint.partitions[topic];
        if (recorded !== undefined && recorded !== count) {
          throw new RelayRefusedError(
            `topic ${topic} had ${recorded} partitions at the checkpoint and has ${count} now: keys ` +
              'would move to other partitions and lose their order. Restore the partition count or publish to new topics',
          );
        }
      }
      const head = await this.store.headPosition();
      if (checkpoint.position > head) {
        throw new RelayRefusedError(
          `the checkpoint is at position ${checkpoint.position} but the store's head is ${head}: ` +
            'the store lost events it had published (restored from an older backup?)',
        );
      }
      return checkpoint.position;
    }
    const { startAfter, topics } = this.options;
    if (
      startAfter === undefined &&
      (await this.publisher.holdsRecords([topics.events, topics.notifications, topics.projects]))
    ) {
      throw new RelayRefusedError(
        `Kafka holds no relay checkpoint, but ${eventTopicsOf(topics).join(' or ')} holds records ` +
          '(an older relay, or an expired checkpoint group): set RELAY_START_AFTER to the last position ' +
          'they hold (0 republishes everything)',
      );
    }
    // Committed before any message, so "records but no checkpoint" never comes from this relay.
    const first = { position: startAfter ?? 0, storeId, partitions };
    await this.publisher.publish([], first);
    this.committedAt = Date.now();
    return first.position;
  }

  /** Reported once: the relay is over (a new one resumes from the checkpoint). */
  private fail(error: unknown): void {
    if (this.failure) return;
    this.failure = { error };
    this.status.running = false;
    clearInterval(this.refreshTimer);
    this.roomWaiters.splice(0).forEach((wake) => wake());
    this.onFailure(error);
  }

  /**
   * A page from the subscription: encoded now, sent with whatever else is pending by the next
   * transaction. Returns once there is room for another page, so reading goes on meanwhile.
   */
  private async accept(events: RecordedEvent[]): Promise<void> {
    this.throwIfFailed();
    if (events.length === 0 || !this.checkpoint) return;
    this.pending.push(await this.prepare(events));
    this.pendingEvents += events.length;
    this.sendPending();
    while (!this.failure && this.pendingEvents >= this.options.maxTransactionEvents) {
      await new Promise<void>((resolve) => this.roomWaiters.push(resolve));
    }
    this.throwIfFailed();
  }

  private throwIfFailed(): void {
    if (this.failure) throw this.failure.error;
  }

  private sendPending(): void {
    if (this.sender || this.pending.length === 0 || this.failure) return;
    const pages = this.takePages();
    this.sender = this.exclusive(() => this.relay(pages))
      .catch((error: unknown) => this.fail(error))
      .finally(() => {
        this.sender = undefined;
        this.sendPending();
      });
  }

  /** The oldest pending pages, up to maxTransactionEvents (always at least one page). */
  private takePages(): PreparedPage[] {
    let count = 0;
    let taken = 0;
    while (
      taken < this.pending.length &&
      (taken === 0 || count + this.pending[taken].events <= this.options.maxTransactionEvents)
    ) {
      count += this.pending[taken++].events;
    }
    this.pendingEvents -= count;
    this.roomWaiters.splice(0).forEach((wake) => wake());
    return this.pending.splice(0, taken);
  }

  private exclusive(work: () => Promise<void>): Promise<void> {
    const next = this.sending.then(work);
    this.sending = next.catch(() => undefined);
    return next;
  }

  private refreshEveryMs(): number {
    return Math.max(1_000, Math.floor(this.options.checkpointRefreshMs / 2));
  }

  private refreshCheckpoint(): Promise<void> {
    return this.exclusive(async () => {
      if (!this.status.running || !this.checkpoint) return;
      if (Date.now() - this.committedAt < this.options.checkpointRefreshMs) return;
      await this.publisher.publish([], this.checkpoint);
      this.committedAt = Date.now();
    });
  }

  /** The page's messages, in `$all` order; the projects topic's state after each project's last event. */
  private async prepare(events: RecordedEvent[]): Promise<PreparedPage> {
    const { topics } = this.options;
    const upcastEvents = events.map(upcastEvent);
    // A project's state goes out once per batch, after its last event in it: positions stay in order.
    const lastOfProject = new Map<string, number>();
    upcastEvents.forEach((event, index) => lastOfProject.set(event.streamId, index));
    const messages: { event: RecordedEvent; message: OutgoingMessage }[] = [];
    for (const [index, event] of upcastEvents.entries()) {
      this.contexts.seen(event);
      const route = routeOf(event, topics);
      if (!route) continue;
      const context = route.topic === topics.events ? await this.contexts.of(event) : undefined;
      messages.push({
        event,
        message: this.sizedOrDeadLettered(
          event,
          toCloudEventMessage(event, route, context, this.options.wire),
        ),
      });
      if (route.topic !== topics.events) continue;
      const state = await this.projectStates.after(event);
      if (lastOfProject.get(event.streamId) === index) {
        messages.push({
          event,
          message: this.sizedOrDeadLettered(
            event,
            toProjectStateMessage(event, state, context ?? null, topics.projects),
          ),
        });
      }
    }
    return { messages, position: events[events.length - 1].position, events: events.length };
  }

  /** One transaction: the pages' messages and the checkpoint after the last of them. */
  private async relay(pages: PreparedPage[]): Promise<void> {
    if (!this.status.running || !this.checkpoint) return;
    const messages = pages.flatMap((page) => page.messages);
    const checkpoint = { ...this.checkpoint, position: pages[pages.length - 1].position };
    try {
      await this.publisher.publish(
        messages.map(({ message }) => message),
        checkpoint,
      );
    } catch (error) {
      if (!(error instanceof MessageTooLargeError)) throw error;
      // The broker's limit is below what the relay measured: one transaction per message.
      for (const { event, message } of messages) await this.publishAlone(event, message, error);
      await this.publisher.publish([], checkpoint);
    }
    this.checkpoint = checkpoint;
    this.committedAt = Date.now();
    this.status.position = checkpoint.position;
    this.status.published += messages.filter(
      ({ message }) => message.topic !== this.options.topics.deadLetter,
    ).length;
  }

  /** The message, or its dead letter when it is larger than its topic takes. */
  private sizedOrDeadLettered(event: RecordedEvent, message: OutgoingMessage): OutgoingMessage {
    const sizeBytes = messageBytes(message);
    const limitBytes = this.limits.get(message.topic) ?? this.options.maxMessageBytes;
    if (sizeBytes <= limitBytes) return message;
    return this.deadLetter(event, message, {
      code: 'too-large',
      detail: `the message is ${sizeBytes} bytes; ${message.topic} takes at most ${limitBytes}`,
      sizeBytes,
      limitBytes,
    });
  }

  private deadLetter(
    event: RecordedEvent,
    message: OutgoingMessage,
    reason: DeadLetterReason,
  ): OutgoingMessage {
    this.status.deadLettered++;
    this.logger.error(
      `event ${event.id} (${event.type}, position ${event.position}) goes to ${this.options.topics.deadLetter}: ${reason.detail}`,
    );
    return toDeadLetterMessage(message, event, reason, this.options.topics.deadLetter);
  }

  private async publishAlone(event: RecordedEvent, message: OutgoingMessage, refusal: Error): Promise<void> {
    const checkpoint = { ...this.checkpoint!, position: event.position };
    try {
      await this.publisher.publish([message], checkpoint);
    } catch (error) {
      if (!(error instanceof MessageTooLargeError) || message.topic === this.options.topics.deadLetter)
        throw error;
      const sizeBytes = messageBytes(message);
      await this.publisher.publish(
        [
          this.deadLetter(event, message, {
            code: 'too-large',
            detail: `the broker refused the message (${sizeBytes} bytes): ${refusal.message}`,
            sizeBytes,
            limitBytes: this.limits.get(message.topic) ?? this.options.maxMessageBytes,
          }),
        ],
        checkpoint,
      );
    }
  }
}
