import {
  NOTIFICATIONS_STREAM,
  NotificationEvent,
  NotificationIssuedData,
  PlannedIssue,
  YearMonth,
  decideWithdrawal,
  lastDayOf,
  planErratum,
  planIssue,
} from '@app/domain';
import { EventStore } from '@app/event-store';
import {
  LifecycleReadModel,
  NotificationSettings,
  composeNotification,
  contentHashOf,
  notificationInput,
  recordsOf,
} from '@app/projections';
import { todayIn } from './clock';
import { CommandContext, CommandResult } from './command-context';
import { Decider, HandleCommandOptions, handleCommand } from './handle-command';

export interface IssueNotificationOptions extends HandleCommandOptions {
  utcOffsetMinutes: number;
  settings: NotificationSettings;
  /** The read model once it has applied everything the store held when asked. */
  caughtUpModel(): Promise<LifecycleReadModel>;
}

const HISTORY = {
  initialState: (): NotificationEvent[] => [],
  evolve: (h: NotificationEvent[], e: NotificationEvent) => [...h, e],
};

/**
 * Issues month M's notification: numbered in sequence, computed from everything the read
 * model holds once it has caught up with the store (positions up to P), and stored with its
 * content hash as a `NotificationIssued` event on the notifications stream. With `erratum`,
 * the corrected content of a month in force, as a new record that supersedes it (更正).
 */
export function issueNotification(
  store: EventStore,
  month: YearMonth,
  context: CommandContext,
  options: IssueNotificationOptions,
  erratum?: { reason: string },
): Promise<CommandResult> {
  const decider: Decider<YearMonth, NotificationEvent[], NotificationEvent> = {
    ...HISTORY,
    reasonOf: () => erratum?.reason,
    decide: async (month, history) => {
      const plan: PlannedIssue & { supersedes?: { issue: number; reason: string } } = erratum
        ? planErratum(history, month, erratum.reason)
        : planIssue(history, month, todayIn(options.clock, options.utcOffsetMinutes));
      const { issue, previousIssue } = plan;
      const model = await options.caughtUpModel();
      const knownAt = options.clock.now().toISOString();
      const content = composeNotification(
        model,
        notificationInput(recordsOf(history), {
          month,
          issue,
          knownAt,
          knownThroughPosition: model.position,
          settings: options.settings,
          previousIssue,
        }),
      );
      const data: NotificationIssuedData = {
        month,
        issue,
        asOf: lastDayOf(month),
        knownAt,
        knownThroughPosition: model.position,
        contentHash: contentHashOf(content),
        content,
        previousIssue,
        ...(plan.supersedes ? { supersedes: plan.supersedes } : {}),
      };
      return [{ type: 'NotificationIssued', data }];
    },
  };
  return handleCommand(store, NOTIFICATIONS_STREAM, decider, month, context, options);
}

/** Withdraws the latest month, issued when it should not have been (admin, with a reason). */
export function withdrawNotification(
  store: EventStore,
  month: YearMonth,
  reason: string,
  context: CommandContext,
  options: HandleCommandOptions,
): Promise<CommandResult> {
  const decider: Decider<YearMonth, NotificationEvent[], NotificationEvent> = {
    ...HISTORY,
    reasonOf: () => reason,
    decide: (month, history) => decideWithdrawal(history, month, reason),
  };
  return handleCommand(store, NOTIFICATIONS_STREAM, decider, month, context, options);
}
