import { Module } from '@nestjs/common';
import { ProjectionsModule } from '../projections/projections.module';
import { IssueNotificationHandler, WithdrawNotificationHandler } from './issue-notification.handler';
import { NotificationsController } from './notifications.controller';

/** The monthly notification: issue, read back, preview, export and verify. */
@Module({
  imports: [ProjectionsModule],
  controllers: [NotificationsController],
  providers: [IssueNotificationHandler, WithdrawNotificationHandler],
})
export class NotificationsModule {}
