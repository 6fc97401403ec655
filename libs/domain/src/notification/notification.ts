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
  if (!isYearMonth(month)) {
    throw invalid('invalid-month', { zh: '月份格式须为 YYYY-MM', en: 'month must be YYYY-MM' }, 'month');
  }
  if (lastDayOf(month) >= today) {
    throw conflict('month-not-ended', {
      zh: `${month} 尚未结束（今天是 ${today}），下月1日起方可通报`,
      en: `${month} has not ended yet (today is ${today}); it can be issued from the 1st of the next month`,
    });
  }
  const same = issued.find((notification) => notification.month === month);
  if (same) {
    throw conflict('already-issued', {
      zh: `${month} 的通报已印发（第${same.issue}期）`,
      en: `the notification for ${month} was already issued (issue ${same.issue})`,
    });
  }
  const last = issued.reduce<IssuedNotification | undefined>(
    (latest, n) => (!latest || n.month > latest.month ? n : latest),
    undefined,
  );
  if (last && month < last.month) {
    throw conflict('out-of-order', {
      zh: `通报须按月依次印发；${last.month}（第${last.issue}期）已印发`,
      en: `notifications are issued in order; ${last.month} (issue ${last.issue}) is already out`,
    });
  }
  if (last && previousMonth(month) !== last.month) {
    throw conflict('previous-month-not-issued', {
      zh:
        `${previousMonth(month)} 尚未通报：通报须按月依次印发，下一期应为 ${nextMonth(last.month)}` +
        `（最近一期：${last.month}，第${last.issue}期）`,
      en:
        `${previousMonth(month)} has not been issued yet: notifications go in order, and the next to issue is ` +
        `${nextMonth(last.month)} (last issued: ${last.month}, issue ${last.issue})`,
    });
  }
  return issued.length + 1;
}
