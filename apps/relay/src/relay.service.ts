import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { TrackerConfig } from '@app/config';
import { EventStore } from '@app/event-store';
import {
  EventRelay,
  KafkaLeadership,
  MessagePublisher,
  RELAY_STATUS_FILE,
  RelayRefusedError,
  RelayReport,
  judgeRelay,
} from '@app/messaging';
import { TRACKER_CONFIG } from '@app/platform';

/** DI token of a function that makes a fresh publisher (each relay run closes its own). */
export const MESSAGE_PUBLISHER = Symbol('MESSAGE_PUBLISHER');
export type PublisherFactory = () => MessagePublisher;

/** How long a newly elected relay waits so that a deposed one's last send has landed. */
const HANDOVER_DELAY_MS = 2_000;
const PROGRESS_EVERY_MS = 5_000;
/** Restarts after a failure back off from 1 s to 15 s. */
const RESTART_MIN_MS = 1_000;
const RESTART_MAX_MS = 15_000;
/** Shutdown waits this long for the relay to stop and the lock to be released, then goes on. */
const STOP_WITHIN_MS = 2_000;

const within = (ms: number, work: Promise<unknown>) =>
  Promise.race([work.catch(() => undefined), new Promise((resolve) => setTimeout(resolve, ms).unref())]);

/**
 * Runs the relay while this process holds the lock, restarting it from the checkpoint after
 * any failure. Progress, lag, dead letters and health go to the log, to /health and /metrics
 * (RELAY_HTTP_PORT) and, on the embedded store, to DATA_DIR/relay-status.json.
 */
@Injectable()
export class RelayService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Relay');
  private relay?: EventRelay;
  private leadership?: KafkaLeadership;
  private elected = false;
  private shuttingDown = false;
  private transition: Promise<void> = Promise.resolve();
  private progressTimer?: NodeJS.Timeout;
  private restartTimer?: { timer: NodeJS.Timeout; resolve: () => void };
  private state: RelayReport['state'] = 'standby';
  private consecutiveFailures = 0;
  private failingSince: Date | null = null;
  private laggingSince: Date | null = null;
  private lastError: string | null = null;
  /** Totals across runs (a run's relay counts only its own). */
  private publishedBefore = 0;
  private deadLetteredBefore = 0;
  private lastReport?: RelayReport;

  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(TRACKER_CONFIG) private readonly config: TrackerConfig,
    @Inject(MESSAGE_PUBLISHER) private readonly newPublisher: PublisherFactory,
  ) {}

  /** The latest report (refreshed every 5 s and on every change of state), judged as of now. */
  get report(): RelayReport | undefined {
    if (!this.lastReport) return undefined;
    const { at: _at, health: _health, ...measured } = this.lastReport;
    return { ...this.lastReport, health: judgeRelay(measured, this.config.relay, new Date()) };
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.kafka.brokers.length === 0) {
      this.logger.warn('KAFKA_BROKERS is not set: the relay is off');
      return;
    }
    this.leadership = new KafkaLeadership(
      this.config.kafka,
      this.config.kafka.topics.events,
      this.config.relaySessionTimeoutMs,
      {
        onElected: () => void this.enqueue(() => this.becomeLeader()),
        onDeposed: () => void this.enqueue(() => this.stepDown('the lock moved or a rebalance started')),
        onFailed: (error) => {
          this.logger.error(`cannot hold the publishing lock: ${error.message}; exiting`);
          process.exitCode = 1;
          void this.enqueue(() => this.stepDown('lock failed')).finally(() => process.exit(1));
        },
      },
    );
    await this.leadership.join();
    this.progressTimer = setInterval(() => void this.reportProgress(), PROGRESS_EVERY_MS);
    this.progressTimer.unref();
    await this.reportProgress();
  }

  /**
   * Bounded: the relay in whatever state (starting, publishing, waiting to restart) is stopped
   * directly rather than behind the queue of leadership changes, which a failing start can hold.
   */
  async onApplicationShutdown(): Promise<void> {
    this.shuttingDown = true;
    clearInterval(this.progressTimer);
    this.elected = false;
    if (this.restartTimer) {
      clearTimeout(this.restartTimer.timer);
      this.restartTimer.resolve();
    }
    const relay = this.relay;
    this.relay = undefined;
    if (relay) await within(STOP_WITHIN_MS, relay.stop());
    await within(STOP_WITHIN_MS, this.leadership?.leave() ?? Promise.resolve());
  }

  /** Leadership changes run one at a time, in the order they happened. */
  private enqueue(change: () => Promise<void>): Promise<void> {
    this.transition = this.transition.then(change, change);
    return this.transition;
  }

  private async becomeLeader(): Promise<void> {
    if (this.elected || this.shuttingDown) return;
    this.elected = true;
    this.logger.log(`elected; starting in ${HANDOVER_DELAY_MS} ms`);
    await this.pause(HANDOVER_DELAY_MS);
    if (this.elected) await this.startRelay();
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.restartTimer = undefined;
        resolve();
      }, ms);
      this.restartTimer = { timer, resolve };
    });
  }

  private async startRelay(): Promise<void> {
    const { kafka } = this.config;
    const relay = new EventRelay(
      this.store,
      this.newPublisher(),
      { log: (message) => this.logger.log(message), error: (message) => this.logger.error(message) },
      {
        topics: kafka.topics,
        maxMessageBytes: kafka.maxMessageBytes,
        startAfter: this.config.relay.startAfter,
        wire: { recordedBy: kafka.publishRecordedBy },
      },
    );
    this.relay = relay;
    this.state = 'starting';
    try {
      await relay.start((error) => void this.enqueue(() => this.restartAfter(relay, error)));
      if (this.relay !== relay) return;
      this.logger.log(`caught up at position ${relay.progress.position}`);
      this.state = 'publishing';
      this.consecutiveFailures = 0;
      this.failingSince = null;
      this.lastError = null;
      await this.reportProgress();
    } catch (error) {
      await this.restartAfter(relay, error);
    }
  }

  private async restartAfter(failed: EventRelay, error: unknown): Promise<void> {
    if (this.relay !== failed) return;
    this.relay = undefined;
    this.publishedBefore += failed.progress.published;
    this.deadLetteredBefore += failed.progress.deadLettered;
    await within(STOP_WITHIN_MS, failed.stop());
    this.lastError = error instanceof Error ? error.message : String(error);
    if (error instanceof RelayRefusedError) {
      this.logger.error(`refusing to publish: ${this.lastError}`);
      this.state = 'refused';
      await this.reportProgress();
      return;
    }
    this.consecutiveFailures++;
    this.failingSince ??= new Date();
    this.state = 'failing';
    const delay = Math.min(RESTART_MAX_MS, RESTART_MIN_MS * 2 ** (this.consecutiveFailures - 1));
    this.logger.error(
      `publishing failed (${this.consecutiveFailures} in a row), restarting from the checkpoint in ${delay} ms: ${this.lastError}`,
    );
    await this.reportProgress();
    await this.pause(delay);
    if (this.elected && !this.shuttingDown) await this.startRelay();
  }

  private async stepDown(why: string): Promise<void> {
    if (!this.elected) return;
    this.elected = false;
    const relay = this.relay;
    this.relay = undefined;
    if (relay) {
      this.logger.log(`stopping: ${why}`);
      this.publishedBefore += relay.progress.published;
      this.deadLetteredBefore += relay.progress.deadLettered;
      await within(STOP_WITHIN_MS, relay.stop());
    }
    if (this.state !== 'refused') this.state = 'standby';
  }

  private async reportProgress(): Promise<void> {
    const now = new Date();
    const head = await this.store.headPosition().catch(() => undefined);
    const progress = this.relay?.progress;
    const position = progress?.position ?? this.lastReport?.position ?? null;
    const lag = this.elected && head !== undefined && position !== null ? Math.max(0, head - position) : null;
    if (lag !== null && lag > this.config.relay.maxLagPositions) this.laggingSince ??= now;
    else this.laggingSince = null;
    const report: Omit<RelayReport, 'health' | 'at'> = {
      leader: this.elected,
      state: this.state,
      position,
      headPosition: head ?? null,
      lag,
      published: this.publishedBefore + (progress?.published ?? 0),
      deadLettered: this.deadLetteredBefore + (progress?.deadLettered ?? 0),
      consecutiveFailures: this.consecutiveFailures,
      failingSince: this.failingSince?.toISOString() ?? null,
      laggingSince: this.laggingSince?.toISOString() ?? null,
      lastError: this.lastError,
    };
    this.lastReport = {
      at: now.toISOString(),
      ...report,
      health: judgeRelay(report, this.config.relay, now),
    };
    if (this.elected) {
      this.logger.log(
        `position ${report.position}, head ${report.headPosition}, lag ${report.lag}, published ${report.published}, ` +
          `dead-lettered ${report.deadLettered}, health ${this.lastReport.health.status}`,
      );
    }
    if (this.config.eventStore === 'embedded') {
      await writeFile(
        join(this.config.dataDir, RELAY_STATUS_FILE),
        JSON.stringify(this.lastReport, null, 2),
      ).catch(() => undefined);
    }
  }
}
