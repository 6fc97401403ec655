import { existsSync } from 'node:fs';
import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { TrackerConfig } from '@app/config';
import { EventStore, StoreUnavailableError } from '@app/event-store';
import { TRACKER_CONFIG } from '@app/platform';
import { SNAPSHOT_FILE } from '@app/projections';
import { ProblemException, retryLater } from '../http/problem';
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
/** What a caller refused because the worker failed should wait: a new one is starting. */
const FAILED_RETRY_AFTER_SECONDS = 5;

interface Pending {
  key: string;
  promise: Promise<unknown>;
  resolve(result: unknown): void;
  reject(error: Error): void;
}

/** Why a worker was given up: it died (an error, an exit) or held tasks and answered none in time. */
type WorkerFailure = 'crashed' | 'timed-out';

/** What /health says of the heavy reads. */
export interface HeavyReadsStatus {
  mode: 'worker' | 'inline';
  /** Workers started so far (a failed one is replaced). */
  started: number;
  failures: number;
  lastFailure?: { at: string; reason: WorkerFailure; message: string };
}

/**
 * Hands verification, preview and stalled-list work to one worker thread (started on first
 * use), so that a fold of the log never holds up the requests on the event loop. Identical
 * tasks in flight share one answer; too many distinct ones waiting are refused with 503.
 * A worker that dies, or holds tasks and answers none for HEAVY_READS_TIMEOUT_MS, is given
 * up: its tasks are answered 503 with Retry-After, the failure is logged, and a new worker
 * takes over.
 * HEAVY_READS=inline runs the same tasks on the event loop instead (the e2e suites, which
 * start the API dozens of times: a worker transpiling the sources would cost each seconds).
 */
@Injectable()
export class HeavyReadsService implements OnApplicationShutdown {
  private readonly logger = new Logger('HeavyReads');
  private worker?: Worker;
  /** Whether the current worker has answered a task: only then is a dead one replaced at once. */
  private answered = false;
  /** Armed while the worker holds tasks; every answer re-arms it. */
  private watchdog?: NodeJS.Timeout;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly byKey = new Map<string, Pending>();
  private inline?: HeavyReadTasks;
  private readonly counts: HeavyReadsStatus;

  constructor(
    @Inject(TRACKER_CONFIG) private readonly config: TrackerConfig,
    @Inject(EventStore) private readonly store: EventStore,
  ) {
    this.counts = { mode: config.heavyReads, started: 0, failures: 0 };
  }

  get status(): HeavyReadsStatus {
    return { ...this.counts };
  }

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
      this.inline ??= new HeavyReadTasks(
        async () => this.store,
        this.config.notificationSettingsJson,
        this.snapshotPath,
      );
      this.inline.run(task).then(
        (result) => this.settle({ id, result }),
        (error: unknown) => this.settle({ id, error: String(error), unavailable: isUnavailable(error) }),
      );
    } else {
      const worker = this.started();
      worker.postMessage({ id, task } satisfies WorkerRequest);
      this.watchdog ??= this.armed(worker);
    }
    return entry.promise as Promise<HeavyReadResults[K]>;
  }

  async onApplicationShutdown(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    clearTimeout(this.watchdog);
    await worker?.terminate();
  }

  /** The API's projection snapshot, if it writes one: the heavy reads' model starts from it. */
  private get snapshotPath(): string | undefined {
    return this.config.projectionSnapshotEvery > 0 ? join(this.config.dataDir, SNAPSHOT_FILE) : undefined;
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
      snapshotPath: this.snapshotPath,
    };
    const worker = new Worker(WORKER_FILE, { workerData: setup, execArgv: WORKER_EXEC_ARGV });
    worker.on('message', (reply: WorkerReply) => {
      if (this.worker !== worker) return;
      this.answered = true;
      clearTimeout(this.watchdog);
      this.settle(reply);
      this.watchdog = this.pending.size > 0 ? this.armed(worker) : undefined;
    });
    worker.on('error', (error) => this.giveUp(worker, 'crashed', error.message));
    worker.on('exit', (code) => this.giveUp(worker, 'crashed', `it exited with code ${code}`));
    worker.unref();
    this.worker = worker;
    this.answered = false;
    this.counts.started++;
    return worker;
  }

  /** Gives the worker up if it still holds tasks and has answered none within the timeout. */
  private armed(worker: Worker): NodeJS.Timeout {
    const milliseconds = this.config.heavyReadsTimeoutMs;
    const timer = setTimeout(
      () => this.giveUp(worker, 'timed-out', `it held tasks and answered none for ${milliseconds} ms`),
      milliseconds,
    );
    timer.unref();
    return timer;
  }

  private settle(reply: WorkerReply): void {
    const entry = this.pending.get(reply.id);
    if (!entry) return;
    this.pending.delete(reply.id);
    this.byKey.delete(entry.key);
    if (reply.error === undefined) entry.resolve(reply.result);
    else if (reply.unavailable) entry.reject(new StoreUnavailableError(reply.error));
    else entry.reject(new Error(reply.error));
  }

  /**
   * The worker died or is stuck: every task it held is answered 503 (retry shortly), the
   * failure is logged, and a new worker is started, at once if this one had worked (else on
   * the next task, so that a worker that cannot start does not loop).
   */
  private giveUp(worker: Worker, reason: WorkerFailure, message: string): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    clearTimeout(this.watchdog);
    this.watchdog = undefined;
    const held = this.pending.size;
    this.counts.failures++;
    this.counts.lastFailure = { at: new Date().toISOString(), reason, message };
    const replaced = this.answered;
    this.logger.error(
      `heavy-reads worker ${reason}: ${message}; ${held} task(s) answered 503; ` +
        (replaced ? 'a new worker is starting' : 'a new worker starts with the next task'),
    );
    const refusal = workerFailed(reason);
    for (const entry of this.pending.values()) entry.reject(refusal);
    this.pending.clear();
    this.byKey.clear();
    if (reason === 'timed-out') void worker.terminate();
    if (replaced) this.started();
  }
}

function workerFailed(reason: WorkerFailure): ProblemException {
  const text =
    reason === 'crashed'
      ? {
          zh: '统计计算线程异常退出，已重新启动；请稍后重试',
          en: 'the worker computing verifications, previews and stalled lists failed and is being replaced; retry shortly',
        }
      : {
          zh: '统计计算线程长时间无响应，已重新启动；请稍后重试',
          en: 'the worker computing verifications, previews and stalled lists stopped answering and is being replaced; retry shortly',
        };
  return retryLater(
    503,
    text,
    reason === 'crashed' ? 'worker-failed' : 'worker-timeout',
    FAILED_RETRY_AFTER_SECONDS,
  );
}

const isUnavailable = (error: unknown) => error instanceof StoreUnavailableError;

/**
 * The compiled worker beside this file; from TypeScript sources (tests, bench) the worker
 * transpiles itself with the repository's register hook.
 */
const WORKER_FILE = join(__dirname, `heavy-reads.worker${extname(__filename)}`);
const REGISTER_TS = join(__dirname, '..', '..', '..', '..', 'test', 'support', 'register-ts.js');
const WORKER_EXEC_ARGV =
  extname(__filename) === '.ts' && existsSync(REGISTER_TS) ? ['--require', REGISTER_TS] : [];
