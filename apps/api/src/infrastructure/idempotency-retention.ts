import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Clock, idempotencyRetainedSince } from '@app/application';
import { TrackerConfig } from '@app/config';
import { EventStore } from '@app/event-store';
import { TRACKER_CONFIG } from '@app/platform';

/** How often keys past their retention are deleted while the API runs. */
const PRUNE_EVERY_MS = 60 * 60_000;

/**
 * Deletes Idempotency-Keys first used more than IDEMPOTENCY_RETENTION_DAYS ago, at start and
 * then hourly, so the store keeps only the keys that still bind a request. A key past its
 * retention is forgotten whether or not it was pruned yet (the command path ignores it).
 */
@Injectable()
export class IdempotencyRetention implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Idempotency');
  private timer?: NodeJS.Timeout;

  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    private readonly clock: Clock,
    @Inject(TRACKER_CONFIG) private readonly config: TrackerConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.prune();
    this.timer = setInterval(() => void this.prune(), PRUNE_EVERY_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** Deletes the keys past their retention now; returns how many (0 on a store without keys). */
  async prune(): Promise<number> {
    if (!this.store.forgetIdempotencyKeys) return 0;
    try {
      const forgotten = await this.store.forgetIdempotencyKeys(
        idempotencyRetainedSince(this.clock.now(), this.config.idempotencyRetentionDays),
      );
      if (forgotten > 0) this.logger.log(`${forgotten} idempotency key(s) past their retention deleted`);
      return forgotten;
    } catch (error) {
      // a store that cannot be written now (full, unreachable) keeps them until the next try
      this.logger.warn(`idempotency keys not pruned: ${(error as Error).message}`);
      return 0;
    }
  }
}
