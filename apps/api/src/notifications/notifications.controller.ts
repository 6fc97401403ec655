import { Body, Controller, Get, Inject, Param, Post, Query, Res } from '@nestjs/common';
import { Command, CommandBus, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { Response } from 'express';
import { TrackerConfig } from '@app/config';
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
  NotificationContent,
  NotificationSettings,
  canonicalJson,
  composeNotification,
  contentHashOf,
  notificationCsv,
  notificationXlsx,
  parseNotificationSettings,
  readIssuedNotifications,
  verifyNotification,
} from '@app/projections';
import { Roles } from '../auth/auth.decorators';
import { EventSourcedWriter } from '../commands/event-sourced-writer';
import { WriteContext, WriteResult } from '../commands/write-context';
import { notFoundProblem } from '../http/problem';
import { IsYearMonth } from '../http/validators';
import { WriteRequest } from '../http/write-request';
import { Clock, todayIn } from '../infrastructure/clock';
import { TRACKER_CONFIG } from '../infrastructure/tokens';
import { ProjectionsService } from '../projections/projections.service';

export class IssueNotificationDto {
  @ApiProperty({ example: '2023-10' })
  @IsYearMonth()
  month!: string;
}

class MonthParam {
  @IsYearMonth()
  month!: string;
}

class ExportQuery {
  @ApiPropertyOptional({ enum: ['json', 'xlsx', 'csv'], default: 'json' })
  @IsOptional()
  @IsIn(['json', 'xlsx', 'csv'])
  format?: 'json' | 'xlsx' | 'csv';
}

export class IssueNotificationCommand extends Command<WriteResult> {
  constructor(
    readonly month: YearMonth,
    readonly context: WriteContext,
  ) {
    super();
  }
}

/**
 * Issues month M's notification: numbered in sequence, computed from everything the
 * projections hold once they have caught up with the store (positions up to P), and stored
 * with its content hash as a `NotificationIssued` event on the notifications stream.
 */
@CommandHandler(IssueNotificationCommand)
export class IssueNotificationHandler implements ICommandHandler<IssueNotificationCommand, WriteResult> {
  private readonly settings: NotificationSettings;

  constructor(
    private readonly writer: EventSourcedWriter,
    private readonly projections: ProjectionsService,
    @Inject(EventStore) private readonly store: EventStore,
    private readonly clock: Clock,
    @Inject(TRACKER_CONFIG) private readonly config: TrackerConfig,
  ) {
    this.settings = parseNotificationSettings(config.notificationSettingsJson);
  }

  async execute({ month, context }: IssueNotificationCommand): Promise<WriteResult> {
    return this.writer.write<NotificationIssued>(
      {
        streamId: NOTIFICATIONS_STREAM,
        decide: async (history) => {
          const issued = issuedNotifications(history);
          const issue = nextIssueNumber(issued, month, todayIn(this.clock, this.config.utcOffsetMinutes));
          await this.projections.waitFor(await this.store.headPosition());
          const model = this.projections.model;
          const previous = history.find((event) => event.data.issue === issue - 1)?.data.content as
            NotificationContent | undefined;
          const knownAt = this.clock.now().toISOString();
          const content = composeNotification(model, {
            month,
            issue,
            knownAt,
            knownThroughPosition: model.position,
            settings: this.settings,
            previous,
          });
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
      },
      context,
    );
  }
}

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
    @WriteRequest() context: WriteContext,
    @Res({ passthrough: true }) response: Response,
  ) {
    await this.commands.execute(new IssueNotificationCommand(body.month, context));
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
    if (!issued)
      throw notFoundProblem(`no notification has been issued for ${month}`, 'notification-not-found');
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
    const previous = issued.find((n) => n.issue === issue - 1)?.content as NotificationContent | undefined;
    const model = this.projections.model;
    const content = composeNotification(model, {
      month,
      issue,
      knownAt: this.clock.now().toISOString(),
      knownThroughPosition: model.position,
      settings: parseNotificationSettings(this.config.notificationSettingsJson),
      previous,
    });
    await this.send(response, content, format, `notification-${month}-preview`);
  }

  @Get(':month/verification')
  @ApiOperation({
    summary: 'Recompute the issued notification from the log as known at issue and compare hashes',
  })
  async verify(@Param() { month }: MonthParam) {
    const verification = await verifyNotification(this.store, month);
    if (!verification)
      throw notFoundProblem(`no notification has been issued for ${month}`, 'notification-not-found');
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
