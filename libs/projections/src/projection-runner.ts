import { EventStore, Subscription } from '@app/event-store';
import { LifecycleReadModel } from './lifecycle-read-model';

/**
 * Feeds a read model from `$all`: catch up from the model's position, then follow live
 * appends. The model's position guard makes a redelivered event harmless.
 */
export class ProjectionRunner {
  private subscription?: Subscription;

  constructor(
    private readonly store: EventStore,
    private readonly model: LifecycleReadModel,
    private readonly hooks: { onApplied?(position: number): void; onError?(error: unknown): void } = {},
  ) {}

  get readModel(): LifecycleReadModel {
    return this.model;
  }

  /** Resolves when caught up with everything appended before the call. */
  async start(): Promise<void> {
    this.subscription = this.store.subscribeToAll({
      after: this.model.position,
      onEvents: (events) => {
        this.model.apply(events);
        this.hooks.onApplied?.(this.model.position);
      },
      onError: (error) => this.hooks.onError?.(error),
    });
    await this.subscription.caughtUp;
  }

  async stop(): Promise<void> {
    await this.subscription?.stop();
    this.subscription = undefined;
  }
}
