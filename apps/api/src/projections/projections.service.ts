import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { TrackerConfig } from '@app/config';
import { DuplicateCandidate, PossibleDuplicate, Round, Zone, possibleDuplicates } from '@app/domain';
import { EventStore } from '@app/event-store';
import { TRACKER_CONFIG } from '@app/platform';
import {
  CurrentRateAggregates,
  DuplicateIndex,
  LifecycleReadModel,
  PROJECTION_SCHEMA_VERSION,
  ProjectionRunner,
  RebuildReport,
  SNAPSHOT_FILE,
  currentIndexesOf,
  knownAtRatesOf,
  loadSnapshotFile,
  writeSnapshotFile,
} from '@app/projections';

/** Projects logged into the known-at index per turn of the event loop (≈ 30 ms on this hardware). */
const KNOWN_AT_SLICE_PROJECTS = 500;
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

/**
 * Where the read model came from at start-up and its snapshots since, for /health: loaded from
 * a snapshot at `position` with `tailEvents` folded after it, or folded from the log (no
 * snapshot, snapshots off, or one `ignored` for the reason given).
 */
export interface SnapshotStatus {
  enabled: boolean;
  schemaVersion: number;
  /** After how many events a new snapshot is written (and on shutdown). */
  every: number;
  source: 'snapshot' | 'log';
  /** The loaded snapshot's position; null when folded from the log. */
  position: number | null;
  /** Events folded after the snapshot (or from the log) before the API answered. */
  tailEvents: number;
  ignored?: string;
  lastWritten?: { position: number; events: number; bytes: number; milliseconds: number; at: string };
  lastFailure?: string;
}

interface Projections {
  model: LifecycleReadModel;
  aggregates: CurrentRateAggregates;
  duplicates: DuplicateIndex;
  runner: ProjectionRunner;
}

/**
 * Holds the in-memory read models, fed by one catch-up subscription to `$all` from the
 * DATA_DIR snapshot's checkpoint, or from the start without one (docs/architecture.md
 * "Projection snapshots"), and writes the snapshots.
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
  private snapshots: SnapshotStatus;
  /** The model last snapshotted (or loaded) and its event count then. */
  private snapshotted?: { model: LifecycleReadModel; events: number };
  private writing?: Promise<void>;

  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(TRACKER_CONFIG) private readonly config: TrackerConfig,
  ) {
    const every = config.projectionSnapshotEvery;
    this.snapshots = {
      enabled: every > 0,
      schemaVersion: PROJECTION_SCHEMA_VERSION,
      every,
      source: 'log',
      position: null,
      tailEvents: 0,
    };
  }

  async onApplicationBootstrap(): Promise<void> {
    const restored = await this.loadSnapshot();
    const report = await this.catchUp(restored);
    const tail = report.events - (restored ? this.snapshotted!.events : 0);
    this.snapshots = { ...this.snapshots, tailEvents: tail };
    this.caughtUp = true;
    this.setState('live');
    this.logger.log(
      restored
        ? `caught up to position ${report.position}: snapshot at ${this.snapshots.position}, ${tail} events folded after it in ${report.milliseconds} ms`
        : `caught up to position ${report.position} (${report.events} events in ${report.milliseconds} ms)`,
    );
    this.snapshotIfDue();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.restartTimer);
    await this.rebuilding?.catch(() => undefined);
    await this.current?.runner.stop();
    await this.writing;
    if (this.caughtUp && this.eventsSinceSnapshot() > 0) await this.writeSnapshot();
  }

  /** The snapshot state, for /health. */
  get snapshot(): SnapshotStatus {
    return { ...this.snapshots };
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

  private get snapshotPath(): string {
    return join(this.config.dataDir, SNAPSHOT_FILE);
  }

  /**
   * The model in DATA_DIR's snapshot when it is of this code's schema version, this store and
   * not beyond its head; otherwise (logged) none, and start-up folds the whole log.
   */
  private async loadSnapshot(): Promise<LifecycleReadModel | undefined> {
    if (!this.snapshots.enabled) return undefined;
    const [storeId, headPosition] = await Promise.all([this.store.storeId(), this.store.headPosition()]);
    const load = await loadSnapshotFile(this.snapshotPath, { storeId, headPosition });
    if (load.outcome === 'none') return undefined;
    if (load.outcome === 'ignored') {
      this.logger.warn(
        `projection snapshot ${this.snapshotPath} ignored (${load.reason}): folding the whole log`,
      );
      this.snapshots = { ...this.snapshots, ignored: load.reason };
      return undefined;
    }
    const { model, header } = load.snapshot;
    this.logger.log(
      `projection snapshot loaded: position ${header.checkpoint.after}, ${header.events} events, in ${load.milliseconds} ms`,
    );
    this.snapshots = { ...this.snapshots, source: 'snapshot', position: header.checkpoint.after };
    this.snapshotted = { model, events: model.eventCount };
    return model;
  }

  private eventsSinceSnapshot(): number {
    const { model } = this.current;
    return model.eventCount - (this.snapshotted?.model === model ? this.snapshotted.events : 0);
  }

  /**
   * Once caught up, a snapshot every `every` events: one write at a time, none while catching
   * up, and none while a write waits for its events to show (an import's thousands of events
   * arrive over many batches): the snapshot's CPU would delay that answer. Past twice `every`
   * it is written anyway, so that steady writes cannot put it off for ever.
   */
  private snapshotIfDue(): void {
    if (!this.snapshots.enabled || !this.caughtUp || this.stopped || this.writing) return;
    const since = this.eventsSinceSnapshot();
    if (since < this.snapshots.every) return;
    if (this.waiters.length > 0 && since < 2 * this.snapshots.every) return;
    this.writing = this.writeSnapshot().finally(() => (this.writing = undefined));
  }

  /** Writes the current model's snapshot; a failure is logged and shown on /health, never thrown. */
  private async writeSnapshot(): Promise<void> {
    if (!this.snapshots.enabled) return;
    const { model } = this.current;
    const cut = model.cut();
    try {
      await mkdir(this.config.dataDir, { recursive: true });
      const written = await writeSnapshotFile(this.snapshotPath, cut, await this.store.storeId());
      this.snapshotted = { model, events: cut.events };
      const { position, events, bytes, milliseconds } = written;
      this.snapshots = {
        ...this.snapshots,
        lastWritten: { position, events, bytes, milliseconds, at: new Date().toISOString() },
        lastFailure: undefined,
      };
      this.logger.log(
        `projection snapshot written: position ${position}, ${bytes} bytes in ${milliseconds} ms`,
      );
    } catch (error) {
      this.snapshots = { ...this.snapshots, lastFailure: String(error) };
      this.logger.error(`projection snapshot not written: ${String(error)}`);
    }
  }

  /**
   * The known-at index caught up in slices once the model is: left to the first query as known
   * at K, folding every fact would hold the event loop for seconds on a national history while
   * every other request waits; before ready, it would add as much to every start-up.
   */
  private catchUpKnownAt(model: LifecycleReadModel): void {
    const slice = () => {
      if (this.stopped || this.current?.model !== model) return;
      if (!knownAtRatesOf(model).catchUpSome(KNOWN_AT_SLICE_PROJECTS)) setImmediate(slice);
    };
    setImmediate(slice);
  }

  private async catchUp(restored?: LifecycleReadModel): Promise<RebuildReport> {
    const started = performance.now();
    const model = restored ?? new LifecycleReadModel();
    const aggregates = new CurrentRateAggregates(model);
    const duplicates = new DuplicateIndex(model);
    const runner = new ProjectionRunner(this.store, model, {
      onApplied: () => {
        if (this.current?.model !== model) return;
        if (this.status.state === 'interrupted') this.setState('live');
        this.releaseWaiters();
        this.snapshotIfDue();
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
    // the list, lead-time and stalled indexes built before the model answers its first read
    currentIndexesOf(model).placeChanged();
    this.catchUpKnownAt(model);
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
