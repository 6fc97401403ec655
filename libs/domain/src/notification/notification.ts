import { conflict, invalid } from '../shared/domain-error';
import { LocalDate, YearMonth, isYearMonth, lastDayOf, nextMonth, previousMonth } from '../shared/local-date';

/** All monthly notifications (月通报) live on one stream: its order is the issue numbering. */
export const NOTIFICATIONS_STREAM = 'notifications';

export interface NotificationIssuedData {
  month: YearMonth;
  /** Issue number N (第N期), 1 for the first notification ever issued. */
  issue: number;
  /** The month's last day: everything is evaluated "as of" it. */
  asOf: LocalDate;
  /** The moment of issue (ISO instant). */
  knownAt: string;
  /** The last `$all` position the content was computed from: "as known at issue". */
  knownThroughPosition: number;
  /** SHA-256 of the canonical JSON of `content`. */
  contentHash: string;
  content: unknown;
}

export type NotificationIssued = { type: 'NotificationIssued'; data: NotificationIssuedData };

export interface IssuedNotification {
  month: YearMonth;
  issue: number;
}

export function issuedNotifications(history: readonly NotificationIssued[]): IssuedNotification[] {
  return history.map(({ data }) => ({ month: data.month, issue: data.issue }));
}

/**
 * Which issue number month M gets, or why it cannot be issued now: once sent, a
 * notification is evidence, so each month is issued once, after it has ended, and in order
 * (no month may be skipped after the first notification).
 */
export function nextIssueNumber(
  issued: readonly IssuedNotification[],
  month: YearMonth,
  today: LocalDate,
): number {
  if (!isYearMonth(month)) throw invalid('invalid-month', 'month must be YYYY-MM', 'month');
  if (lastDayOf(month) >= today) {
    throw conflict(
      'month-not-ended',
      `${month} has not ended yet (today is ${today}); it can be issued from the 1st of the next month`,
    );
  }
  const same = issued.find((notification) => notification.month === month);
  if (same)
    throw conflict(
      'already-issued',
      `the notification for ${month} was already issued (issue ${same.issue})`,
    );
  const last = issued.reduce<IssuedNotification | undefined>(
    (latest, n) => (!latest || n.month > latest.month ? n : latest),
    undefined,
  );
  if (last && month < last.month) {
    throw conflict(
      'out-of-order',
      `notifications are issued in order; ${last.month} (issue ${last.issue}) is already out`,
    );
  }
  if (last && previousMonth(month) !== last.month) {
    throw conflict(
      'previous-month-not-issued',
      `${previousMonth(month)} has not been issued yet: notifications go in order, and the next to issue is ` +
        `${nextMonth(last.month)} (last issued: ${last.month}, issue ${last.issue})`,
    );
  }
  return issued.length + 1;
}
