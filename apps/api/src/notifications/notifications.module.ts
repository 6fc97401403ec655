import { Module } from '@nestjs/common';
import { HeavyReadsModule } from '../heavy-reads/heavy-reads.module';
import { ProjectionsModule } from '../projections/projections.module';
import { IssueNotificationHandler, WithdrawNotificationHandler } from './issue-notification.handler';
import { NotificationsController } from './notifications.controller';

/** The monthly notification: issue, read back, preview, export and verify. */
@Module({
  imports: [ProjectionsModule, HeavyReadsModule],
  controllers: [NotificationsController],
  providers: [IssueNotificationHandler, WithdrawNotificationHandler],
})
export class NotificationsModule {}
