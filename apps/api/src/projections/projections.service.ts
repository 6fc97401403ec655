import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DuplicateCandidate, PossibleDuplicate, Round, Zone, possibleDuplicates } from '@app/domain';
import { EventStore } from '@app/event-store';
import {
  CurrentRateAggregates,
  DuplicateIndex,
  LifecycleReadModel,
  ProjectionRunner,
  RebuildReport,
} from '@app/projections';

/** How long a write waits for the projections to show it before answering anyway. */
const READ_YOUR_WRITES_TIMEOUT_MS = 2_000;
/** A failed subscription is restarted after 250 ms, then twice as long each time, at most 5 s. */
const RESTART_FIRST_DELAY_MS = 250;
const RESTART_MAX_DELAY_MS = 5_000;

/**
 * The subscription feeding the read models: catching up, live, or failed (then restarted
 * with back-off from the last applied position); `interrupted` while a networked store's
 * connection is being resumed.
 */
export interface SubscriptionStatus {
  state: 'catching-up' | 'live' | 'interrupted' | 'failed';
  /** Restarts after a failure since the process started. */
  restarts: number;
  /** When the current state began (ISO instant). */
  since: string;
  lastError?: string;
  /** While failed: when the next restart is due (ISO instant). */
  nextRestartAt?: string;
}

interface Projections {
  model: LifecycleReadModel;
  aggregates: CurrentRateAggregates;
  duplicates: DuplicateIndex;
  runner: ProjectionRunner;
}

/**
 * Holds the in-memory read models, fed by one catch-up subscription to `$all`
 * (docs/architecture.md: projections live in memory, rebuilt by folding `$all`).
 */
@Injectable()
export class ProjectionsService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Projections');
  private current!: Projections;
  private caughtUp = false;
  private waiters: { position: number; resolve: () => void }[] = [];
  private rebuilding?: Promise<RebuildReport>;
  private status: SubscriptionStatus = { state: 'catching-up', restarts: 0, since: new Date().toISOString() };
  private failuresInARow = 0;
  private restartTimer?: NodeJS.Timeout;
  private stopped = false;

  constructor(@Inject(EventStore) private readonly store: EventStore) {}

  async onApplicationBootstrap(): Promise<void> {
    const report = await this.catchUp();
    this.caughtUp = true;
    this.setState('live');
    this.logger.log(
      `caught up to position ${report.position} (${report.events} events in ${report.milliseconds} ms)`,
    );
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.restartTimer);
    await this.rebuilding?.catch(() => undefined);
    await this.current?.runner.stop();
  }

  get model(): LifecycleReadModel {
    return this.current.model;
  }

  get aggregates(): CurrentRateAggregates {
    return this.current.aggregates;
  }

  get position(): number {
    return this.current?.model.position ?? 0;
  }

  get isCaughtUp(): boolean {
    return this.caughtUp;
  }

  /** The subscription's state, for /health. */
  get subscription(): SubscriptionStatus {
    return { ...this.status };
  }

  /**
   * Drops the read models and replays `$all` from the start into fresh ones; queries keep
   * using the old models until the new ones have caught up. One at a time: a request while
   * one runs gets that one's report (two rebuilds at once would both replace, and one of
   * them leak, the same models).
   */
  rebuild(): Promise<RebuildReport> {
    this.rebuilding ??= this.replaceModels().finally(() => (this.rebuilding = undefined));
    return this.rebuilding;
  }

  private async replaceModels(): Promise<RebuildReport> {
    const previous = this.current;
    const report = await this.catchUp();
    await previous.runner.stop();
    clearTimeout(this.restartTimer);
    this.failuresInARow = 0;
    this.setState('live');
    this.logger.log(
      `rebuilt: ${report.events} events in ${report.milliseconds} ms (${report.eventsPerSecond}/s)`,
    );
    return report;
  }

  /**
   * Resolves once the projections have applied `position` (or after a short timeout); at
   * once while the subscription is down, so that writes do not wait for a read model that
   * cannot move.
   */
  waitFor(position: number): Promise<void> {
    if (position <= this.position || this.status.state === 'failed') return Promise.resolve();
    return new Promise((resolve) => {
      const waiter = { position, resolve };
      this.waiters.push(waiter);
      setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        resolve();
      }, READ_YOUR_WRITES_TIMEOUT_MS).unref();
    });
  }

  /** The read model once it has applied everything the store holds now. */
  async caughtUpModel(): Promise<LifecycleReadModel> {
    await this.waitFor(await this.store.headPosition());
    return this.model;
  }

  /** The zones as known at K (epoch ms; now when undefined). */
  zones(knownAt?: number): Zone[] {
    return [...this.model.zonesAt(knownAt).values()].sort(
      (a, b) => a.cityId.localeCompare(b.cityId) || a.id.localeCompare(b.id),
    );
  }

  /** The rounds as known at K (epoch ms; now when undefined). */
  rounds(knownAt?: number): Round[] {
    return [...this.model.roundsAt(knownAt).values()].sort(
      (a, b) => a.heldOn.localeCompare(b.heldOn) || a.id.localeCompare(b.id),
    );
  }

  /**
   * The explicit query duplicate detection reads (ARCHITECTURE.md: nothing reads a
   * projection to make a write decision except through an explicit query). The model may lag
   * the store by the writes still being applied: a duplicate entered in the same instant can
   * be missed, which a warning tolerates.
   */
  possibleDuplicatesOf(candidate: DuplicateCandidate): PossibleDuplicate[] {
    return possibleDuplicates(candidate, this.current.duplicates.candidatesFor(candidate));
  }

  /** How many listings (of projects not voided, not withdrawn) refer to a round: its date depends on them. */
  listingsInRound(roundId: string): number {
    let listings = 0;
    for (const project of this.model.snapshots())
      listings += project.listings.filter((listing) => listing.roundId === roundId).length;
    return listings;
  }

  private async catchUp(): Promise<RebuildReport> {
    const started = performance.now();
    const model = new LifecycleReadModel();
    const aggregates = new CurrentRateAggregates(model);
    const duplicates = new DuplicateIndex(model);
    const runner = new ProjectionRunner(this.store, model, {
      onApplied: () => {
        if (this.current?.model !== model) return;
        if (this.status.state === 'interrupted') this.setState('live');
        this.releaseWaiters();
      },
      onError: (error) => {
        this.logger.error(`subscription to $all failed: ${String(error)}`);
        if (this.current?.runner === runner) this.failed(error);
      },
      onInterrupted: (error, retryInMs) => {
        this.logger.warn(`subscription to $all interrupted (${String(error)}); resuming in ${retryInMs} ms`);
        if (this.current?.runner === runner) this.setState('interrupted', { lastError: String(error) });
      },
    });
    await runner.start();
    this.current = { model, aggregates, duplicates, runner };
    this.releaseWaiters();
    const milliseconds = performance.now() - started;
    return {
      events: model.eventCount,
      position: model.position,
      milliseconds: Math.round(milliseconds),
      eventsPerSecond: Math.round(model.eventCount / Math.max(milliseconds / 1000, 0.001)),
    };
  }

  /** The subscription stopped: release the writes waiting for it, and restart it with back-off. */
  private failed(error: unknown): void {
    const delay = Math.min(RESTART_MAX_DELAY_MS, RESTART_FIRST_DELAY_MS * 2 ** this.failuresInARow);
    this.failuresInARow++;
    this.setState('failed', {
      lastError: String(error),
      nextRestartAt: new Date(Date.now() + delay).toISOString(),
    });
    for (const waiter of this.waiters) waiter.resolve();
    this.waiters = [];
    if (this.stopped) return;
    clearTimeout(this.restartTimer);
    this.restartTimer = setTimeout(() => void this.restart(), delay);
    this.restartTimer.unref();
  }

  private async restart(): Promise<void> {
    const { runner } = this.current;
    this.status = { ...this.status, restarts: this.status.restarts + 1 };
    this.setState('catching-up', { lastError: this.status.lastError });
    this.logger.warn(`restarting the subscription to $all from position ${runner.position}`);
    try {
      await runner.start();
    } catch {
      return; // onError has scheduled the next attempt
    }
    if (this.current.runner !== runner || this.status.state !== 'catching-up') return;
    this.failuresInARow = 0;
    this.setState('live', { lastError: this.status.lastError });
    this.releaseWaiters();
    this.logger.log(`subscription to $all live again at position ${runner.position}`);
  }

  private setState(state: SubscriptionStatus['state'], extra: Partial<SubscriptionStatus> = {}): void {
    this.status = { state, restarts: this.status.restarts, since: new Date().toISOString(), ...extra };
  }

  private releaseWaiters(): void {
    const applied = this.position;
    const ready = this.waiters.filter((waiter) => waiter.position <= applied);
    this.waiters = this.waiters.filter((waiter) => waiter.position > applied);
    for (const waiter of ready) waiter.resolve();
  }
}
