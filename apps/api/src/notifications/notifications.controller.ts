import { Body, Controller, Get, Inject, Param, Post, Query, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Response } from 'express';
import { Clock, CommandContext } from '@app/application';
import { TrackerConfig } from '@app/config';
import { EventStore } from '@app/event-store';
import { TRACKER_CONFIG } from '@app/platform';
import {
  NotificationContent,
  canonicalJson,
  composeNotification,
  notificationCsv,
  notificationInput,
  notificationXlsx,
  parseNotificationSettings,
  readIssuedNotifications,
  verifyNotification,
} from '@app/projections';
import { Roles } from '../auth/auth.decorators';
import { notFoundProblem } from '../http/problem';
import { markRecorded } from '../http/read-your-writes.interceptor';
import { WriteRequest } from '../http/write-request';
import { ProjectionsService } from '../projections/projections.service';
import { IssueNotificationCommand } from './issue-notification.command';
import { ExportQuery, IssueNotificationDto, MonthParam } from './notification.dto';

const notIssued = (month: string) =>
  notFoundProblem(
    { zh: `${month} 尚未印发通报`, en: `no notification has been issued for ${month}` },
    'notification-not-found',
  );

@ApiTags('monthly notification')
@ApiBearerAuth()
@Controller('notifications')
export class NotificationsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly projections: ProjectionsService,
    @Inject(EventStore) private readonly store: EventStore,
    private readonly clock: Clock,
    @Inject(TRACKER_CONFIG) private readonly config: TrackerConfig,
  ) {}

  @Post()
  @Roles('admin')
  @ApiOperation({ summary: 'Issue the notification (月通报) for a month that has ended (admin)' })
  async issue(
    @Body() body: IssueNotificationDto,
    @WriteRequest() context: CommandContext,
    @Res({ passthrough: true }) response: Response,
  ) {
    const result = await this.commands.execute(new IssueNotificationCommand(body.month, context));
    markRecorded(response, result.position);
    const issued = (await readIssuedNotifications(this.store)).find((n) => n.month === body.month);
    if (!issued) throw new Error(`notification ${body.month} was issued but cannot be read back`);
    response.status(201);
    return {
      month: issued.month,
      issue: issued.issue,
      contentHash: issued.contentHash,
      knownAt: issued.knownAt,
    };
  }

  @Get()
  @ApiOperation({ summary: 'Issued notifications, in issue order' })
  async list() {
    return (await readIssuedNotifications(this.store)).map(
      ({ month, issue, asOf, knownAt, contentHash }) => ({
        month,
        issue,
        asOf,
        knownAt,
        contentHash,
      }),
    );
  }

  @Get(':month')
  @ApiOperation({ summary: 'The issued notification, byte-for-byte as issued (or ?format=xlsx|csv)' })
  async get(@Param() { month }: MonthParam, @Query() { format }: ExportQuery, @Res() response: Response) {
    const issued = (await readIssuedNotifications(this.store)).find((n) => n.month === month);
    if (!issued) throw notIssued(month);
    await this.send(
      response,
      issued.content as NotificationContent,
      format,
      `notification-${month}-issue-${issued.issue}`,
    );
  }

  @Get(':month/preview')
  @ApiOperation({
    summary: 'What the notification would say if issued now (not issued, not numbered for good)',
  })
  async preview(@Param() { month }: MonthParam, @Query() { format }: ExportQuery, @Res() response: Response) {
    const issued = await readIssuedNotifications(this.store);
    const already = issued.find((n) => n.month === month);
    const issue = already?.issue ?? issued.length + 1;
    const model = this.projections.model;
    const content = composeNotification(
      model,
      notificationInput(issued, {
        month,
        issue,
        knownAt: this.clock.now().toISOString(),
        knownThroughPosition: model.position,
        settings: parseNotificationSettings(this.config.notificationSettingsJson),
      }),
    );
    await this.send(response, content, format, `notification-${month}-preview`);
  }

  @Get(':month/verification')
  @ApiOperation({
    summary: 'Recompute the issued notification from the log as known at issue and compare hashes',
  })
  async verify(@Param() { month }: MonthParam) {
    const verification = await verifyNotification(this.store, month);
    if (!verification) throw notIssued(month);
    return verification;
  }

  private async send(
    response: Response,
    content: NotificationContent,
    format: string | undefined,
    name: string,
  ) {
    if (format === 'xlsx') {
      response
        .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .setHeader('Content-Disposition', `attachment; filename="${name}.xlsx"`)
        .send(await notificationXlsx(content));
    } else if (format === 'csv') {
      response
        .type('text/csv; charset=utf-8')
        .setHeader('Content-Disposition', `attachment; filename="${name}.csv"`)
        .send(notificationCsv(content));
    } else {
      response.type('application/json').send(canonicalJson(content));
    }
  }
}
