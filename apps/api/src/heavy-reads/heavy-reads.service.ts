import { existsSync } from 'node:fs';
import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { TrackerConfig } from '@app/config';
import { EventStore } from '@app/event-store';
import { TRACKER_CONFIG } from '@app/platform';
import { retryLater } from '../http/problem';
import {
  HeavyReadResults,
  HeavyReadTask,
  HeavyReadsSetup,
  WorkerReply,
  WorkerRequest,
} from './heavy-reads.protocol';
import { HeavyReadTasks } from './heavy-reads.tasks';

/** Distinct tasks waiting for the worker beyond which a new one is refused (503, Retry-After). */
const MAX_PENDING = 64;
const BUSY_RETRY_AFTER_SECONDS = 5;

interface Pending {
  key: string;
  promise: Promise<unknown>;
  resolve(result: unknown): void;
  reject(error: Error): void;
}

/**
 * Hands verification, preview and stalled-list work to one worker thread (started on first
 * use), so that a fold of the log never holds up the requests on the event loop. Identical
 * tasks in flight share one answer; too many distinct ones waiting are refused with 503.
 * HEAVY_READS=inline runs the same tasks on the event loop instead (the e2e suites, which
 * start the API dozens of times: a worker transpiling the sources would cost each seconds).
 */
@Injectable()
export class HeavyReadsService implements OnApplicationShutdown {
  private readonly logger = new Logger('HeavyReads');
  private worker?: Worker;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly byKey = new Map<string, Pending>();
  private inline?: HeavyReadTasks;

  constructor(
    @Inject(TRACKER_CONFIG) private readonly config: TrackerConfig,
    @Inject(EventStore) private readonly store: EventStore,
  ) {}

  run<K extends HeavyReadTask['kind']>(
    task: Extract<HeavyReadTask, { kind: K }>,
  ): Promise<HeavyReadResults[K]> {
    // Previews at the same position say the same but for "now": they share the first one's.
    const key = JSON.stringify(task.kind === 'preview' ? { ...task, knownAt: undefined } : task);
    const joined = this.byKey.get(key);
    if (joined) return joined.promise as Promise<HeavyReadResults[K]>;
    if (this.pending.size >= MAX_PENDING) {
      throw retryLater(
        503,
        {
          zh: '统计计算任务排队已满，请稍后重试',
          en: 'too many verifications, previews and stalled lists are being computed; retry later',
        },
        'busy',
        BUSY_RETRY_AFTER_SECONDS,
      );
    }
    const id = this.nextId++;
    const entry = { key } as Pending;
    entry.promise = new Promise((resolve, reject) => Object.assign(entry, { resolve, reject }));
    this.pending.set(id, entry);
    this.byKey.set(key, entry);
    if (this.config.heavyReads === 'inline') {
      this.inline ??= new HeavyReadTasks(async () => this.store, this.config.notificationSettingsJson);
      this.inline.run(task).then(
        (result) => this.settle({ id, result }),
        (error: unknown) => this.settle({ id, error: String(error) }),
      );
    } else {
      this.started().postMessage({ id, task } satisfies WorkerRequest);
    }
    return entry.promise as Promise<HeavyReadResults[K]>;
  }

  async onApplicationShutdown(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    await worker?.terminate();
  }

  private started(): Worker {
    if (this.worker) return this.worker;
    const setup: HeavyReadsSetup = {
      store: {
        eventStore: this.config.eventStore,
        dataDir: this.config.dataDir,
        eventStoreConnectionString: this.config.eventStoreConnectionString,
        databaseUrl: this.config.databaseUrl,
      },
      notificationSettingsJson: this.config.notificationSettingsJson,
    };
    const worker = new Worker(WORKER_FILE, { workerData: setup, execArgv: WORKER_EXEC_ARGV });
    worker.on('message', (reply: WorkerReply) => this.settle(reply));
    worker.on('error', (error) => this.failAll(worker, error));
    worker.on('exit', (code) => this.failAll(worker, new Error(`the heavy-reads worker exited (${code})`)));
    worker.unref();
    this.worker = worker;
    return worker;
  }

  private settle(reply: WorkerReply): void {
    const entry = this.pending.get(reply.id);
    if (!entry) return;
    this.pending.delete(reply.id);
    this.byKey.delete(entry.key);
    if (reply.error !== undefined) entry.reject(new Error(reply.error));
    else entry.resolve(reply.result);
  }

  /** The worker died: everything it held fails, and the next task starts a new one. */
  private failAll(worker: Worker, error: Error): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    if (this.pending.size > 0) this.logger.error(`heavy-reads worker failed: ${error.message}`);
    for (const entry of this.pending.values()) entry.reject(error);
    this.pending.clear();
    this.byKey.clear();
  }
}

/**
 * The compiled worker beside this file; from TypeScript sources (tests, bench) the worker
 * transpiles itself with the repository's register hook.
 */
const WORKER_FILE = join(__dirname, `heavy-reads.worker${extname(__filename)}`);
const REGISTER_TS = join(__dirname, '..', '..', '..', '..', 'test', 'support', 'register-ts.js');
const WORKER_EXEC_ARGV =
  extname(__filename) === '.ts' && existsSync(REGISTER_TS) ? ['--require', REGISTER_TS] : [];
