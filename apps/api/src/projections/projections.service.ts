import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Round, RoundRegistered, Zone, ZoneRegistered } from '@app/domain';
import { EventStore, RecordedEvent, Subscription } from '@app/event-store';

/** How long a write waits for the projections to show it before answering anyway. */
const READ_YOUR_WRITES_TIMEOUT_MS = 2_000;

/**
 * Holds the in-memory read models, fed by one catch-up subscription to `$all`
 * (ARCHITECTURE.md "Stores": projections live in memory, rebuilt by folding `$all`).
 */
@Injectable()
export class ProjectionsService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Projections');
  private subscription?: Subscription;
  private applied = 0;
  private caughtUp = false;
  private waiters: { position: number; resolve: () => void }[] = [];
  private readonly zoneById = new Map<string, Zone>();
  private readonly roundById = new Map<string, Round>();

  constructor(@Inject(EventStore) private readonly store: EventStore) {}

  async onApplicationBootstrap(): Promise<void> {
    const started = Date.now();
    this.subscription = this.store.subscribeToAll({
      after: this.applied,
      onEvents: (events) => this.apply(events),
      onError: (error) => this.logger.error(`subscription to $all failed: ${String(error)}`),
    });
    await this.subscription.caughtUp;
    this.caughtUp = true;
    this.logger.log(`caught up to position ${this.applied} in ${Date.now() - started} ms`);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.subscription?.stop();
  }

  get position(): number {
    return this.applied;
  }

  get isCaughtUp(): boolean {
    return this.caughtUp;
  }

  /** Resolves once the projections have applied `position` (or after a short timeout). */
  waitFor(position: number): Promise<void> {
    if (position <= this.applied) return Promise.resolve();
    return new Promise((resolve) => {
      const waiter = { position, resolve };
      this.waiters.push(waiter);
      setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        resolve();
      }, READ_YOUR_WRITES_TIMEOUT_MS).unref();
    });
  }

  zones(): Zone[] {
    return [...this.zoneById.values()].sort(
      (a, b) => a.cityId.localeCompare(b.cityId) || a.id.localeCompare(b.id),
    );
  }

  rounds(): Round[] {
    return [...this.roundById.values()].sort(
      (a, b) => a.heldOn.localeCompare(b.heldOn) || a.id.localeCompare(b.id),
    );
  }

  private apply(events: RecordedEvent[]): void {
    for (const event of events) {
      // Position guard: a redelivered event changes nothing.
      if (event.position <= this.applied) continue;
      if (event.type === 'ZoneRegistered') {
        const zone = (event as RecordedEvent<ZoneRegistered['data']>).data;
        this.zoneById.set(zone.id, zone);
      } else if (event.type === 'RoundRegistered') {
        const round = (event as RecordedEvent<RoundRegistered['data']>).data;
        this.roundById.set(round.id, round);
      }
      this.applied = event.position;
    }
    const ready = this.waiters.filter((waiter) => waiter.position <= this.applied);
    this.waiters = this.waiters.filter((waiter) => waiter.position > this.applied);
    for (const waiter of ready) waiter.resolve();
  }
}
