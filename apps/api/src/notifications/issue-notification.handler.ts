import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { Clock, CommandResult, issueNotification, withdrawNotification } from '@app/application';
import { TrackerConfig } from '@app/config';
import { EventStore } from '@app/event-store';
import { TRACKER_CONFIG } from '@app/platform';
import { NotificationSettings, parseNotificationSettings } from '@app/projections';
import { ProjectionsService } from '../projections/projections.service';
import { IssueNotificationCommand, WithdrawNotificationCommand } from './issue-notification.command';

/** Issues month M's notification from the API's read model (libs/application's issueNotification). */
@CommandHandler(IssueNotificationCommand)
export class IssueNotificationHandler implements ICommandHandler<IssueNotificationCommand, CommandResult> {
  private readonly settings: NotificationSettings;

  constructor(
    private readonly projections: ProjectionsService,
    @Inject(EventStore) private readonly store: EventStore,
    private readonly clock: Clock,
    @Inject(TRACKER_CONFIG) private readonly config: TrackerConfig,
  ) {
    this.settings = parseNotificationSettings(config.notificationSettingsJson);
  }

  execute({ month, context, erratum }: IssueNotificationCommand): Promise<CommandResult> {
    return issueNotification(
      this.store,
      month,
      context,
      {
        clock: this.clock,
        idempotencyRetentionDays: this.config.idempotencyRetentionDays,
        utcOffsetMinutes: this.config.utcOffsetMinutes,
        settings: this.settings,
        caughtUpModel: () => this.projections.caughtUpModel(),
      },
      erratum,
    );
  }
}

@CommandHandler(WithdrawNotificationCommand)
export class WithdrawNotificationHandler implements ICommandHandler<
  WithdrawNotificationCommand,
  CommandResult
> {
  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    private readonly clock: Clock,
    @Inject(TRACKER_CONFIG) private readonly config: TrackerConfig,
  ) {}

  execute({ month, reason, context }: WithdrawNotificationCommand): Promise<CommandResult> {
    return withdrawNotification(this.store, month, reason, context, {
      clock: this.clock,
      idempotencyRetentionDays: this.config.idempotencyRetentionDays,
    });
  }
}
