import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { TrackerConfig } from '@app/config';
import { EventStore } from '@app/event-store';
import { EventRelay, KafkaLeadership, MessagePublisher, RELAY_STATUS_FILE } from '@app/messaging';
import { TRACKER_CONFIG } from '@app/platform';

/** DI token of a function that makes a fresh publisher (each relay run closes its own). */
export const MESSAGE_PUBLISHER = Symbol('MESSAGE_PUBLISHER');
export type PublisherFactory = () => MessagePublisher;

/** How long a newly elected relay waits so that a deposed one's last send has landed. */
const HANDOVER_DELAY_MS = 2_000;
const PROGRESS_EVERY_MS = 5_000;
const RESTART_AFTER_FAILURE_MS = 1_000;

/**
 * Runs the relay while this process holds the lock, restarting it from what Kafka holds
 * after any failure. Progress and lag go to the log and to DATA_DIR/relay-status.json.
 */
@Injectable()
export class RelayService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Relay');
  private relay?: EventRelay;
  private leadership?: KafkaLeadership;
  private elected = false;
  private transition: Promise<void> = Promise.resolve();
  private progressTimer?: NodeJS.Timeout;

  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(TRACKER_CONFIG) private readonly config: TrackerConfig,
    @Inject(MESSAGE_PUBLISHER) private readonly newPublisher: PublisherFactory,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.kafkaBrokers.length === 0) {
      this.logger.warn('KAFKA_BROKERS is not set: the relay is off');
      return;
    }
    const { kafkaBrokers, kafkaEventsTopic, relaySessionTimeoutMs } = this.config;
    this.leadership = new KafkaLeadership(kafkaBrokers, kafkaEventsTopic, relaySessionTimeoutMs, {
      onElected: () => void this.enqueue(() => this.becomeLeader()),
      onDeposed: () => void this.enqueue(() => this.stepDown('the lock moved or a rebalance started')),
      onFailed: (error) => {
        this.logger.error(`cannot hold the publishing lock: ${error.message}; exiting`);
        process.exitCode = 1;
        void this.enqueue(() => this.stepDown('lock failed')).finally(() => process.exit(1));
      },
    });
    await this.leadership.join();
    this.progressTimer = setInterval(() => void this.reportProgress(), PROGRESS_EVERY_MS);
    this.progressTimer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.progressTimer);
    await this.enqueue(() => this.stepDown('shutting down'));
    await this.leadership?.leave();
  }

  /** Leadership changes run one at a time, in the order they happened. */
  private enqueue(change: () => Promise<void>): Promise<void> {
    this.transition = this.transition.then(change, change);
    return this.transition;
  }

  private async becomeLeader(): Promise<void> {
    if (this.elected) return;
    this.elected = true;
    this.logger.log(`elected; starting in ${HANDOVER_DELAY_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, HANDOVER_DELAY_MS));
    if (this.elected) await this.startRelay();
  }

  private async startRelay(): Promise<void> {
    const relay = new EventRelay(
      this.store,
      this.newPublisher(),
      { log: (message) => this.logger.log(message), error: (message) => this.logger.error(message) },
      { events: this.config.kafkaEventsTopic, notifications: this.config.kafkaNotificationsTopic },
    );
    this.relay = relay;
    try {
      await relay.start((error) => void this.enqueue(() => this.restartAfter(relay, error)));
      this.logger.log(`caught up at position ${relay.progress.position}`);
    } catch (error) {
      await this.restartAfter(relay, error);
    }
  }

  private async restartAfter(failed: EventRelay, error: unknown): Promise<void> {
    if (this.relay !== failed) return;
    this.logger.error(`publishing failed, restarting from what Kafka holds: ${String(error)}`);
    this.relay = undefined;
    await failed.stop().catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, RESTART_AFTER_FAILURE_MS));
    if (this.elected) await this.startRelay();
  }

  private async stepDown(why: string): Promise<void> {
    if (!this.elected) return;
    this.elected = false;
    const relay = this.relay;
    this.relay = undefined;
    if (relay) {
      this.logger.log(`stopping: ${why}`);
      await relay.stop().catch((error: unknown) => this.logger.error(`stop failed: ${String(error)}`));
    }
  }

  private async reportProgress(): Promise<void> {
    const head = await this.store.headPosition().catch(() => undefined);
    const progress = this.relay?.progress;
    const status = {
      at: new Date().toISOString(),
      leader: this.elected,
      position: progress?.position ?? null,
      headPosition: head ?? null,
      lag: head !== undefined && progress ? Math.max(0, head - progress.position) : null,
      published: progress?.published ?? 0,
      skippedAsAlreadyPublished: progress?.skippedAsAlreadyPublished ?? 0,
    };
    if (this.elected) {
      this.logger.log(
        `position ${status.position}, head ${status.headPosition}, lag ${status.lag}, published ${status.published}`,
      );
    }
    if (this.config.eventStore === 'embedded') {
      await writeFile(join(this.config.dataDir, RELAY_STATUS_FILE), JSON.stringify(status, null, 2)).catch(
        () => undefined,
      );
    }
  }
}
