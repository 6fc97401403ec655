/**
 * The API's worker thread for reads that fold the log or scan every project: verification,
 * preview (JSON, CSV, XLSX) and the stalled lists, so that none of this runs on the request
 * event loop. It opens the store itself and keeps a read model of its own, started from the
 * API's projection snapshot when there is one.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { EventStore, StoreUnavailableError, openEventStore } from '@app/event-store';
import { HeavyReadsSetup, WorkerReply, WorkerRequest } from './heavy-reads.protocol';
import { HeavyReadTasks } from './heavy-reads.tasks';

const setup = workerData as HeavyReadsSetup;
let opened: Promise<EventStore> | undefined;
const tasks = new HeavyReadTasks(
  () => (opened ??= openEventStore(setup.store)),
  setup.notificationSettingsJson,
  setup.snapshotPath,
);

parentPort?.on('message', (request: WorkerRequest) => {
  tasks.run(request.task).then(
    (result) => {
      const body = (result as { body?: unknown } | null)?.body;
      const reply: WorkerReply = { id: request.id, result };
      parentPort?.postMessage(reply, body instanceof Uint8Array ? [body.buffer as ArrayBuffer] : []);
    },
    (error: unknown) => {
      const reply: WorkerReply = {
        id: request.id,
        error: error instanceof Error ? (error.stack ?? error.message) : String(error),
        unavailable: error instanceof StoreUnavailableError,
      };
      parentPort?.postMessage(reply);
    },
  );
});
