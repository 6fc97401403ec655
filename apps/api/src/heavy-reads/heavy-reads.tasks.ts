import { issuedNotifications, previousMonth } from '@app/domain';
import { EventStore } from '@app/event-store';
import {
  LifecycleReadModel,
  canonicalJson,
  composeNotification,
  loadSnapshotFile,
  notificationCsv,
  notificationInput,
  notificationXlsx,
  parseNotificationSettings,
  readNotificationHistory,
  recomputedHashOf,
  recordFor,
  recordsOf,
  stalledPage,
  verificationOf,
} from '@app/projections';
import {
  HeavyReadResults,
  HeavyReadTask,
  PreviewTask,
  StalledTask,
  VerifyTask,
} from './heavy-reads.protocol';

const PAGE = 5_000;

/**
 * The heavy reads themselves, over a read model of their own caught up from the store on
 * demand (from the API's projection snapshot when there is one it may trust, so that only the
 * events after it are folded), and the recomputed hash of each issue cached with the log head
 * it was computed at.
 * Run in the worker thread (heavy-reads.worker.ts), or in the API's process with HEAVY_READS=inline.
 */
export class HeavyReadTasks {
  private model = new LifecycleReadModel();
  private restored = false;
  private readonly recomputed = new Map<number, { head: number; hash: string }>();
  /** One task at a time, in arrival order: the model is not shared between two folds. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: () => Promise<EventStore>,
    private readonly notificationSettingsJson: string | undefined,
    private readonly snapshotPath?: string,
  ) {}

  run(task: HeavyReadTask): Promise<unknown> {
    const result = this.queue.then(() => this.runNow(task));
    this.queue = result.catch(() => undefined);
    return result;
  }

  private runNow(task: HeavyReadTask): Promise<unknown> {
    if (task.kind === 'preview') return this.preview(task);
    if (task.kind === 'verify') return this.verify(task);
    return this.stalled(task);
  }

  /** Applies the log up to at least `position` (the API's model had applied that much). */
  private async catchUp(position: number): Promise<void> {
    const store = await this.store();
    if (!this.restored) {
      this.model = (await this.snapshotModel(store)) ?? this.model;
      this.restored = true;
    }
    while (this.model.position < position) {
      const page = await store.readAll({ after: this.model.position, limit: PAGE });
      if (page.length === 0) return;
      this.model.apply(page);
    }
  }

  /** The model in the snapshot, if it is of this code's schema, this store and not beyond its head. */
  private async snapshotModel(store: EventStore): Promise<LifecycleReadModel | undefined> {
    if (!this.snapshotPath) return undefined;
    const [storeId, headPosition] = await Promise.all([store.storeId(), store.headPosition()]);
    const load = await loadSnapshotFile(this.snapshotPath, { storeId, headPosition });
    return load.outcome === 'loaded' ? load.snapshot.model : undefined;
  }

  private async preview(task: PreviewTask): Promise<HeavyReadResults['preview']> {
    await this.catchUp(task.position);
    const history = await readNotificationHistory(await this.store());
    const records = recordsOf(history);
    const inForce = issuedNotifications(history);
    const content = composeNotification(
      this.model,
      notificationInput(records, {
        month: task.month,
        issue: inForce.find((n) => n.month === task.month)?.issue ?? records.length + 1,
        knownAt: task.knownAt,
        knownThroughPosition: this.model.position,
        settings: parseNotificationSettings(this.notificationSettingsJson),
        previousIssue: inForce.find((n) => n.month === previousMonth(task.month))?.issue ?? null,
      }),
    );
    if (task.format === 'xlsx')
      return { format: 'xlsx', body: new Uint8Array(await notificationXlsx(content)) };
    if (task.format === 'csv') return { format: 'csv', body: notificationCsv(content) };
    return { format: 'json', body: canonicalJson(content) };
  }

  private async verify(task: VerifyTask): Promise<HeavyReadResults['verify']> {
    const store = await this.store();
    const history = await readNotificationHistory(store);
    const notification = recordFor(history, task.month, task.issue);
    if (!notification) return null;
    let cached = this.recomputed.get(notification.issue);
    if (cached?.head !== task.head) {
      cached = { head: task.head, hash: await recomputedHashOf(store, recordsOf(history), notification) };
      this.recomputed.set(notification.issue, cached);
    }
    // The stored content is hashed every time: an edit of the record itself shows at once.
    return verificationOf(task.month, notification, cached.hash);
  }

  private async stalled(task: StalledTask): Promise<HeavyReadResults['stalled']> {
    await this.catchUp(task.position);
    return stalledPage(this.model, task.query, task.offset, task.limit);
  }
}
