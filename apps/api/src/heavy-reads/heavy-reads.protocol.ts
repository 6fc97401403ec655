import type { EventStoreSelection } from '@app/event-store';
import type { NotificationVerification, StalledPage, StalledQuery } from '@app/projections';

/** The worker's configuration: which store to open, the notification settings, the snapshot. */
export interface HeavyReadsSetup {
  store: EventStoreSelection;
  notificationSettingsJson?: string;
  /** DATA_DIR's projection snapshot, when snapshots are on: the worker's model starts from it. */
  snapshotPath?: string;
}

/** Month M's notification as it would be issued now, rendered as JSON, CSV or XLSX. */
export interface PreviewTask {
  kind: 'preview';
  month: string;
  format?: string;
  /** "Now" on the API's clock. */
  knownAt: string;
  /** The position the API's read model had applied: the worker's model catches up to it first. */
  position: number;
}

/** Recompute an issued record; the head is the cache key (one recomputation per issue and head). */
export interface VerifyTask {
  kind: 'verify';
  month: string;
  issue?: number;
  head: number;
}

/** One page of each stalled list, with each list's total. */
export interface StalledTask {
  kind: 'stalled';
  query: StalledQuery;
  position: number;
  limit: number;
  offset: number;
}

export type HeavyReadTask = PreviewTask | VerifyTask | StalledTask;

export interface RenderedDocument {
  body: string | Uint8Array;
  format: 'json' | 'csv' | 'xlsx';
}

export interface HeavyReadResults {
  preview: RenderedDocument;
  verify: NotificationVerification | null;
  stalled: StalledPage;
}

export type WorkerRequest = { id: number; task: HeavyReadTask };
export type WorkerReply = {
  id: number;
  result?: unknown;
  error?: string;
  /** The error was the store's StoreUnavailableError (a 503 store-unavailable, not a fault). */
  unavailable?: boolean;
};
