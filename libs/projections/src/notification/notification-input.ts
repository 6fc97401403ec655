import { NotificationIssuedData, YearMonth } from '@app/domain';
import { NotificationContent, NotificationInput } from './compose-notification';
import { NotificationSettings } from './notification-settings';

/**
 * The input of month M's notification, issue N, given what was issued before it: issuing,
 * previewing and verifying all build it here, so a recomputation sees what the issue saw.
 */
export function notificationInput(
  issued: readonly NotificationIssuedData[],
  notification: {
    month: YearMonth;
    issue: number;
    knownAt: string;
    knownThroughPosition: number;
    settings: NotificationSettings;
  },
): NotificationInput {
  const previous = issued.find((n) => n.issue === notification.issue - 1)?.content as
    NotificationContent | undefined;
  return { ...notification, previous };
}
