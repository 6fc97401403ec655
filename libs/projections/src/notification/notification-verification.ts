import {
  NOTIFICATIONS_STREAM,
  NotificationEvent,
  NotificationIssuedData,
  YearMonth,
  issuedNotifications,
} from '@app/domain';
import { AllCheckpoint, EventStore, checkpointAfter } from '@app/event-store';
import { LifecycleReadModel } from '../lifecycle-read-model';
import { contentHashOf } from './canonical-json';
import { NotificationContent, NotificationInput, composeNotification } from './compose-notification';
import { LegacyNotificationInput, composeLegacyNotification, isLegacySettings } from './legacy-notification';
import { notificationInput } from './notification-input';

/** The notifications stream: issues, errata and withdrawals, in order. */
export async function readNotificationHistory(store: EventStore): Promise<NotificationEvent[]> {
  const events = await store.readStream(NOTIFICATIONS_STREAM);
  return events.map((event) => ({ type: event.type, data: event.data }) as NotificationEvent);
}

/** Every issued record (superseded and withdrawn ones included), in issue order. */
export async function readIssuedNotifications(store: EventStore): Promise<NotificationIssuedData[]> {
  return recordsOf(await readNotificationHistory(store));
}

export function recordsOf(history: readonly NotificationEvent[]): NotificationIssuedData[] {
  return history.flatMap((event) => (event.type === 'NotificationIssued' ? [event.data] : []));
}

/**
 * Month M's record: the one in force, else (the month was withdrawn) the last one issued for
 * it, so that a withdrawn record can still be read and verified; or a given issue.
 */
export function recordFor(
  history: readonly NotificationEvent[],
  month: YearMonth,
  issue?: number,
): NotificationIssuedData | undefined {
  const records = recordsOf(history).filter((record) => record.month === month);
  if (issue !== undefined) return records.find((record) => record.issue === issue);
  const inForce = issuedNotifications(history).find((n) => n.month === month);
  return inForce ? records.find((record) => record.issue === inForce.issue) : records.at(-1);
}

/** A read model holding exactly the events at positions up to `position`: the log as known then. */
async function modelThrough(store: EventStore, position: number): Promise<LifecycleReadModel> {
  const model = new LifecycleReadModel();
  let from: AllCheckpoint = { after: 0 };
  for (;;) {
    const page = await store.readAll({ ...from, limit: 5_000 });
    const known = page.filter((event) => event.position <= position);
    model.apply(known);
    if (page.length < 5_000 || known.length < page.length) return model;
    from = checkpointAfter(page[page.length - 1]);
  }
}

/** Composes an issue again the way it was composed: issues recorded before issue 10 the old way. */
export function recompose(model: LifecycleReadModel, input: NotificationInput): object {
  return isLegacySettings(input.settings)
    ? composeLegacyNotification(model, input as unknown as LegacyNotificationInput)
    : composeNotification(model, input);
}

export interface NotificationVerification {
  month: YearMonth;
  issue: number;
  /** The stored content still hashes to the issued hash, and a recomputation gives it too. */
  matches: boolean;
  issuedHash: string;
  recomputedHash: string;
  /** Hash of the content as stored now (differs from issuedHash if it was tampered with). */
  storedContentHash: string;
}

/**
 * The hash of an issued record recomputed from the log as known at issue (events up to its
 * `knownThroughPosition`), with the settings and previous issue it was issued with: a fold of
 * the log up to there, the expensive part of a verification.
 */
export async function recomputedHashOf(
  store: EventStore,
  issued: readonly NotificationIssuedData[],
  notification: NotificationIssuedData,
): Promise<string> {
  const stored = notification.content as NotificationContent;
  const model = await modelThrough(store, notification.knownThroughPosition);
  const input = notificationInput(issued, {
    month: notification.month,
    issue: notification.issue,
    knownAt: notification.knownAt,
    knownThroughPosition: notification.knownThroughPosition,
    settings: stored.settings,
    previousIssue: notification.previousIssue,
  });
  return contentHashOf(recompose(model, input));
}

/** Compares an issued record's hash with its stored content's and with a recomputation's. */
export function verificationOf(
  month: YearMonth,
  notification: NotificationIssuedData,
  recomputedHash: string,
): NotificationVerification {
  const storedContentHash = contentHashOf(notification.content);
  return {
    month,
    issue: notification.issue,
    matches: recomputedHash === notification.contentHash && storedContentHash === notification.contentHash,
    issuedHash: notification.contentHash,
    recomputedHash,
    storedContentHash,
  };
}

/**
 * Recomputes an issued notification from the log as known at issue and compares hashes;
 * null when month M (or that issue) has no record.
 */
export async function verifyNotification(
  store: EventStore,
  month: YearMonth,
  issue?: number,
): Promise<NotificationVerification | null> {
  const history = await readNotificationHistory(store);
  const notification = recordFor(history, month, issue);
  if (!notification) return null;
  return verificationOf(month, notification, await recomputedHashOf(store, recordsOf(history), notification));
}
