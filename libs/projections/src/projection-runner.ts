import { EventStore, Subscription } from '@app/event-store';
import { LifecycleReadModel } from './lifecycle-read-model';

export interface RebuildReport {
  /** Events applied from the start of `$all`. */
  events: number;
  /** The position caught up to. */
  position: number;
  milliseconds: number;
  eventsPerSecond: number;
}

export interface ProjectionRunnerHooks {
  /** After each batch is applied, with the model's new position. */
  onApplied?(position: number): void;
  /** The subscription failed and has stopped. */
  onError?(error: unknown): void;
  /** The store's connection dropped or stalled; the subscription resumes after `retryInMs`. */
  onInterrupted?(error: unknown, retryInMs: number): void;
}

interface Deferred {
  promise: Promise<void>;
  resolve(): void;
  reject(error: unknown): void;
  settled: boolean;
}

function deferred(): Deferred {
  const result = { settled: false } as Deferred;
  result.promise = new Promise<void>((resolve, reject) => {
    result.resolve = () => {
      result.settled = true;
      resolve();
    };
    result.reject = (error) => {
      result.settled = true;
      reject(error instanceof Error ? error : new Error(String(error)));
    };
  });
  // Awaiting it is optional: a failure is also reported through onError.
  result.promise.catch(() => undefined);
  return result;
}

/**
 * Feeds a read model from `$all`: catch up from the model's checkpoint (its last applied
 * position), then follow live appends. The model's position guard makes a redelivered event
 * harmless. The checkpoint lives in the model: a model restored from a snapshot resumes after
 * the snapshot's position (libs/projections/README.md "Snapshots").
 */
export class ProjectionRunner {
  private subscription?: Subscription;
  private caughtUpSignal = deferred();

  constructor(
    private readonly store: EventStore,
    private readonly model: LifecycleReadModel,
    private readonly hooks: ProjectionRunnerHooks = {},
  ) {}

  get readModel(): LifecycleReadModel {
    return this.model;
  }

  /** The last position applied. */
  get position(): number {
    return this.model.position;
  }

  /**
   * Resolves once the current (or next) subscription has applied everything appended before
   * it started; rejects if that subscription fails or is stopped first.
   */
  get caughtUp(): Promise<void> {
    return this.caughtUpSignal.promise;
  }

  /** Subscribes from the model's checkpoint (once); resolves when caught up. */
  start(): Promise<void> {
    if (this.subscription) return this.caughtUp;
    if (this.caughtUpSignal.settled) this.caughtUpSignal = deferred();
    const signal = this.caughtUpSignal;
    const subscription = this.store.subscribeToAll({
      ...this.model.checkpoint,
      onEvents: (events) => {
        this.model.apply(events);
        this.hooks.onApplied?.(this.model.position);
      },
      onError: (error) => {
        // Stopped for good: a later start() subscribes again from the model's checkpoint.
        if (this.subscription === subscription) this.subscription = undefined;
        if (!signal.settled) signal.reject(error);
        this.hooks.onError?.(error);
      },
      onInterrupted: (error, retryInMs) => this.hooks.onInterrupted?.(error, retryInMs),
    });
    this.subscription = subscription;
    subscription.caughtUp.then(
      () => signal.resolve(),
      (error: unknown) => signal.reject(error),
    );
    return this.caughtUp;
  }

  /** Stops following `$all`; resolves when no batch is being applied. */
  async stop(): Promise<void> {
    const subscription = this.subscription;
    this.subscription = undefined;
    await subscription?.stop();
    if (!this.caughtUpSignal.settled) {
      this.caughtUpSignal.reject(new Error('the projection runner was stopped before it caught up'));
    }
  }

  /**
   * Drops the model and replays `$all` from the start; resolves when caught up, then keeps
   * following live appends. Queries during a rebuild see a partial model: to keep answering
   * from the old one meanwhile, rebuild into a new model with a second runner and swap.
   */
  async rebuild(): Promise<RebuildReport> {
    await this.stop();
    const started = performance.now();
    this.model.reset();
    await this.start();
    const milliseconds = performance.now() - started;
    return {
      events: this.model.eventCount,
      position: this.model.position,
      milliseconds: Math.round(milliseconds),
      eventsPerSecond: Math.round(this.model.eventCount / Math.max(milliseconds / 1000, 0.001)),
    };
  }
}
