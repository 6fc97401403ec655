import { conflict, invalid, notFound } from '../shared/domain-error';
import { LocalDate, YearMonth, isYearMonth, lastDayOf, nextMonth, previousMonth } from '../shared/local-date';

/** All monthly notifications (月通报) live on one stream: its order is the issue numbering. */
export const NOTIFICATIONS_STREAM = 'notifications';

export interface NotificationIssuedData {
  month: YearMonth;
  /** Issue number N (第N期), 1 for the first notification ever issued; never reused. */
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
  /**
   * The issue this one compares with ("changes since the last issue"), null for none.
   * Absent on records issued before errata existed: for them it is issue − 1.
   */
  previousIssue?: number | null;
  /** An erratum (更正): the issue it supersedes and why. */
  supersedes?: { issue: number; reason: string };
}

export type NotificationIssued = { type: 'NotificationIssued'; data: NotificationIssuedData };

/** A month that should not have been issued, withdrawn by an admin: the month is free again. */
export type NotificationWithdrawn = {
  type: 'NotificationWithdrawn';
  data: { month: YearMonth; issue: number; reason: string };
};

export type NotificationEvent = NotificationIssued | NotificationWithdrawn;

export type NotificationStatus = 'in-force' | 'superseded' | 'withdrawn';

export interface IssuedNotification {
  month: YearMonth;
  issue: number;
}

/** One record of the series, as the series shows it: every issue stays, with what became of it. */
export interface SeriesEntry extends IssuedNotification {
  status: NotificationStatus;
  supersedes?: { issue: number; reason: string };
  supersededBy?: number;
  withdrawal?: { reason: string };
}

/** The series in issue order: issues, errata and withdrawals alike. */
export function notificationSeries(history: readonly NotificationEvent[]): SeriesEntry[] {
  const entries: SeriesEntry[] = [];
  for (const event of history) {
    if (event.type === 'NotificationIssued') {
      const { month, issue, supersedes } = event.data;
      entries.push({ month, issue, status: 'in-force', ...(supersedes ? { supersedes } : {}) });
      if (supersedes) {
        const old = entries.find((entry) => entry.issue === supersedes.issue);
        if (old) Object.assign(old, { status: 'superseded', supersededBy: issue });
      }
    } else {
      const entry = entries.find((e) => e.issue === event.data.issue);
      if (entry) Object.assign(entry, { status: 'withdrawn', withdrawal: { reason: event.data.reason } });
    }
  }
  return entries;
}

/** The issue in force for each month (neither superseded nor withdrawn). */
export function issuedNotifications(history: readonly NotificationEvent[]): IssuedNotification[] {
  return notificationSeries(history)
    .filter((entry) => entry.status === 'in-force')
    .map(({ month, issue }) => ({ month, issue }));
}

export interface PlannedIssue {
  issue: number;
  /** The in-force issue of the month before, which "changes since the last issue" compares with. */
  previousIssue: number | null;
}

const nextNumber = (history: readonly NotificationEvent[]) =>
  history.filter((event) => event.type === 'NotificationIssued').length + 1;

const previousOf = (inForce: IssuedNotification[], month: YearMonth) =>
  inForce.find((n) => n.month === previousMonth(month))?.issue ?? null;

/**
 * Which issue number month M gets, or why it cannot be issued now: once sent, a
 * notification is evidence, so each month is issued once, after it has ended, and in order
 * (no month may be skipped after the first notification in force).
 */
export function planIssue(
  history: readonly NotificationEvent[],
  month: YearMonth,
  today: LocalDate,
): PlannedIssue {
  const issued = issuedNotifications(history);
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
      zh: `${month} 的通报已印发（第${same.issue}期）；如内容有误请发更正`,
      en: `the notification for ${month} was already issued (issue ${same.issue}); send an erratum if it was wrong`,
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
  return { issue: nextNumber(history), previousIssue: previousOf(issued, month) };
}

function inForceFor(history: readonly NotificationEvent[], month: YearMonth): IssuedNotification {
  if (!isYearMonth(month)) {
    throw invalid('invalid-month', { zh: '月份格式须为 YYYY-MM', en: 'month must be YYYY-MM' }, 'month');
  }
  const current = issuedNotifications(history).find((n) => n.month === month);
  if (!current) {
    throw notFound('notification-not-found', {
      zh: `${month} 没有现行有效的通报`,
      en: `no notification is in force for ${month}`,
    });
  }
  return current;
}

function requireReason(reason: unknown): asserts reason is string {
  if (typeof reason !== 'string' || reason.trim().length === 0) {
    throw invalid('reason-required', { zh: '须说明原因', en: 'a reason is required' }, 'reason');
  }
}

/**
 * An erratum (更正) for month M: a new numbered record with the corrected content that
 * supersedes the one in force. The old record is never edited.
 */
export function planErratum(
  history: readonly NotificationEvent[],
  month: YearMonth,
  reason: string,
): PlannedIssue & { supersedes: { issue: number; reason: string } } {
  const current = inForceFor(history, month);
  requireReason(reason);
  return {
    issue: nextNumber(history),
    previousIssue: previousOf(issuedNotifications(history), month),
    supersedes: { issue: current.issue, reason },
  };
}

/**
 * Withdraws month M's notification issued in error. Only the latest month in force may be
 * withdrawn, so that the months in force stay an unbroken sequence; its number stays used.
 */
export function decideWithdrawal(
  history: readonly NotificationEvent[],
  month: YearMonth,
  reason: string,
): NotificationWithdrawn[] {
  const current = inForceFor(history, month);
  requireReason(reason);
  const latest = issuedNotifications(history).reduce((a, b) => (b.month > a.month ? b : a));
  if (latest.month !== month) {
    throw conflict('not-latest-issue', {
      zh: `只能撤回最近一期通报（${latest.month}，第${latest.issue}期）；较早月份请发更正`,
      en: `only the latest notification in force (${latest.month}, issue ${latest.issue}) can be withdrawn; send an erratum for an earlier month`,
    });
  }
  return [{ type: 'NotificationWithdrawn', data: { month, issue: current.issue, reason } }];
}
