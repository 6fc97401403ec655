import { NotificationIssuedData, YearMonth } from '@app/domain';
import { NotificationContent, NotificationInput } from './compose-notification';
import { NotificationSettings } from './notification-settings';

/**
 * The input of month M's notification, issue N, given what was issued before it: issuing,
 * previewing and verifying all build it here, so a recomputation sees what the issue saw.
 * `previousIssue` is the record it compares with (null: none); records issued before it was
 * stored compare with issue N − 1.
 */
export function notificationInput(
  issued: readonly NotificationIssuedData[],
  notification: {
    month: YearMonth;
    issue: number;
    knownAt: string;
    knownThroughPosition: number;
    settings: NotificationSettings;
    previousIssue?: number | null;
  },
): NotificationInput {
  const { previousIssue, ...input } = notification;
  const compareWith = previousIssue === undefined ? notification.issue - 1 : previousIssue;
  const previous = issued.find((n) => n.issue === compareWith)?.content as NotificationContent | undefined;
  return { ...input, previous };
}
