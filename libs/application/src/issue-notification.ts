import {
  NOTIFICATIONS_STREAM,
  NotificationIssued,
  NotificationIssuedData,
  YearMonth,
  issuedNotifications,
  lastDayOf,
  nextIssueNumber,
} from '@app/domain';
import { EventStore } from '@app/event-store';
import {
  LifecycleReadModel,
  NotificationSettings,
  composeNotification,
  contentHashOf,
  notificationInput,
} from '@app/projections';
import { Clock, todayIn } from './clock';
import { CommandContext, CommandResult } from './command-context';
import { Decider, handleCommand } from './handle-command';

export interface IssueNotificationOptions {
  clock: Clock;
  utcOffsetMinutes: number;
  settings: NotificationSettings;
  /** The read model once it has applied everything the store held when asked. */
  caughtUpModel(): Promise<LifecycleReadModel>;
}

/**
 * Issues month M's notification: numbered in sequence, computed from everything the read
 * model holds once it has caught up with the store (positions up to P), and stored with its
 * content hash as a `NotificationIssued` event on the notifications stream.
 */
export function issueNotification(
  store: EventStore,
  month: YearMonth,
  context: CommandContext,
  options: IssueNotificationOptions,
): Promise<CommandResult> {
  const decider: Decider<YearMonth, NotificationIssued[], NotificationIssued> = {
    initialState: () => [],
    evolve: (history, event) => [...history, event],
    decide: async (month, history) => {
      const issue = nextIssueNumber(
        issuedNotifications(history),
        month,
        todayIn(options.clock, options.utcOffsetMinutes),
      );
      const model = await options.caughtUpModel();
      const knownAt = options.clock.now().toISOString();
      const content = composeNotification(
        model,
        notificationInput(
          history.map((event) => event.data),
          { month, issue, knownAt, knownThroughPosition: model.position, settings: options.settings },
        ),
      );
      const data: NotificationIssuedData = {
        month,
        issue,
        asOf: lastDayOf(month),
        knownAt,
        knownThroughPosition: model.position,
        contentHash: contentHashOf(content),
        content,
      };
      return [{ type: 'NotificationIssued', data }];
    },
  };
  return handleCommand(store, NOTIFICATIONS_STREAM, decider, month, context, options);
}
