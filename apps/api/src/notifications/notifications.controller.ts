import { Body, Controller, Get, Inject, Param, Post, Query, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import { Response } from 'express';
import { Clock, CommandContext } from '@app/application';
import { EventStore } from '@app/event-store';
import { NotificationIssuedData, notificationSeries } from '@app/domain';
import {
  NotificationContent,
  canonicalJson,
  notificationCsv,
  notificationXlsx,
  readNotificationHistory,
  recordFor,
  recordsOf,
} from '@app/projections';
import { Roles } from '../auth/auth.decorators';
import { HeavyReadsService } from '../heavy-reads/heavy-reads.service';
import { Expensive } from '../http/rate-limit';
import {
  NOTIFICATION_CONTENT,
  NOTIFICATION_RECORD,
  NOTIFICATION_SERIES,
  NOTIFICATION_SERIES_ENTRY,
  NOTIFICATION_VERIFICATION,
  SPREADSHEET,
} from '../http/openapi-responses';
import { notFoundProblem } from '../http/problem';
import { markRecorded } from '../http/read-your-writes.interceptor';
import { WriteRequest } from '../http/write-request';
import { ProjectionsService } from '../projections/projections.service';
import { IssueNotificationCommand, WithdrawNotificationCommand } from './issue-notification.command';
import { ExportQuery, IssueNotificationDto, IssueQuery, MonthParam, ReasonBody } from './notification.dto';

/** JSON by default, the documents with ?format=xlsx or csv. */
const NOTIFICATION_DOCUMENTS = {
  'application/json': { schema: NOTIFICATION_CONTENT },
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { schema: SPREADSHEET },
  'text/csv': { schema: { type: 'string', description: 'both header rows, percentages to one decimal' } },
};

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
    private readonly heavyReads: HeavyReadsService,
  ) {}

  @Post()
  @Roles('admin')
  @ApiOperation({ summary: 'Issue the notification (月通报) for a month that has ended (admin)' })
  @ApiCreatedResponse({ schema: NOTIFICATION_RECORD })
  async issue(
    @Body() body: IssueNotificationDto,
    @WriteRequest() context: CommandContext,
    @Res({ passthrough: true }) response: Response,
  ) {
    const result = await this.commands.execute(new IssueNotificationCommand(body.month, context));
    markRecorded(response, result.position);
    response.status(201);
    return this.issuedRecord(body.month);
  }

  @Post(':month/erratum')
  @Roles('admin')
  @ApiOperation({
    summary:
      'Issue an erratum (更正): the corrected content as a new numbered record superseding the issue in force',
    description: 'The superseded record is never changed and stays readable and verifiable (?issue=N).',
  })
  @ApiCreatedResponse({
    description: 'the new record, naming the issue it supersedes',
    schema: NOTIFICATION_RECORD,
  })
  @ApiNotFoundResponse({ description: 'notification-not-found: no issue in force for the month' })
  async erratum(
    @Param() { month }: MonthParam,
    @Body() body: ReasonBody,
    @WriteRequest() context: CommandContext,
    @Res({ passthrough: true }) response: Response,
  ) {
    const result = await this.commands.execute(
      new IssueNotificationCommand(month, context, { reason: body.reason }),
    );
    markRecorded(response, result.position);
    response.status(201);
    return this.issuedRecord(month);
  }

  @Post(':month/withdrawal')
  @Roles('admin')
  @ApiOperation({
    summary: 'Withdraw the latest notification, issued for a month it should not have been (admin)',
    description:
      'The month is free again and earlier months can be issued; the number stays used and the withdrawal ' +
      'is shown in the series. The record itself is kept and stays verifiable.',
  })
  @ApiCreatedResponse({
    description: 'the withdrawn record as the series shows it',
    schema: NOTIFICATION_SERIES_ENTRY,
  })
  @ApiOkResponse({ description: 'already withdrawn with this reason', schema: NOTIFICATION_SERIES_ENTRY })
  @ApiConflictResponse({ description: 'not-latest-issue: only the latest month in force can be withdrawn' })
  @ApiNotFoundResponse({ description: 'notification-not-found: no issue in force for the month' })
  async withdraw(
    @Param() { month }: MonthParam,
    @Body() body: ReasonBody,
    @WriteRequest() context: CommandContext,
    @Res({ passthrough: true }) response: Response,
  ) {
    const result = await this.commands.execute(new WithdrawNotificationCommand(month, body.reason, context));
    markRecorded(response, result.position);
    response.status(result.recorded ? 201 : 200);
    return (await this.series()).find((entry) => entry.month === month && entry.status === 'withdrawn');
  }

  @Get()
  @ApiOperation({
    summary: 'The series in issue order: every record with its status (in-force, superseded, withdrawn)',
  })
  @ApiOkResponse({ schema: NOTIFICATION_SERIES })
  async series() {
    const history = await readNotificationHistory(this.store);
    const records = new Map(recordsOf(history).map((record) => [record.issue, record]));
    return notificationSeries(history).map((entry) => {
      const { asOf, knownAt, contentHash } = records.get(entry.issue) as NotificationIssuedData;
      return { ...entry, asOf, knownAt, contentHash };
    });
  }

  private async issuedRecord(month: string) {
    const issued = recordFor(await readNotificationHistory(this.store), month);
    if (!issued) throw new Error(`notification ${month} was issued but cannot be read back`);
    return {
      month: issued.month,
      issue: issued.issue,
      contentHash: issued.contentHash,
      knownAt: issued.knownAt,
      ...(issued.supersedes ? { supersedes: issued.supersedes } : {}),
    };
  }

  @Get(':month')
  @ApiOperation({
    summary:
      'The notification in force for the month, byte-for-byte as issued (or ?format=xlsx|csv, ?issue=N)',
  })
  @ApiOkResponse({ content: NOTIFICATION_DOCUMENTS })
  async get(
    @Param() { month }: MonthParam,
    @Query() { format, issue }: ExportQuery,
    @Res() response: Response,
  ) {
    const issued = recordFor(await readNotificationHistory(this.store), month, issue);
    if (!issued) throw notIssued(month);
    await this.send(
      response,
      issued.content as NotificationContent,
      format,
      `notification-${month}-issue-${issued.issue}`,
    );
  }

  @Get(':month/preview')
  @Expensive()
  @ApiOperation({
    summary: 'What the notification would say if issued now (not issued, not numbered for good)',
    description:
      'Composed in the worker thread. Rate-limited with the other expensive reads (RATE_LIMIT_EXPENSIVE_PER_MINUTE).',
  })
  @ApiTooManyRequestsResponse({ description: 'rate-limited, with Retry-After' })
  @ApiOkResponse({ content: NOTIFICATION_DOCUMENTS })
  async preview(@Param() { month }: MonthParam, @Query() { format }: ExportQuery, @Res() response: Response) {
    const rendered = await this.heavyReads.run({
      kind: 'preview',
      month,
      format,
      knownAt: this.clock.now().toISOString(),
      position: this.projections.position,
    });
    const name = `notification-${month}-preview`;
    if (rendered.format === 'json') response.type('application/json').send(rendered.body);
    else this.attachment(response, rendered.format, name).send(Buffer.from(rendered.body));
  }

  @Get(':month/verification')
  @Expensive()
  @ApiOperation({
    summary: 'Recompute the issued notification from the log as known at issue and compare hashes',
    description:
      'Recomputed in the worker thread once per issue and log head (cached until the head moves); the stored ' +
      'content is hashed on every request. Rate-limited with the other expensive reads.',
  })
  @ApiTooManyRequestsResponse({ description: 'rate-limited, with Retry-After' })
  @ApiOkResponse({ schema: NOTIFICATION_VERIFICATION })
  async verify(@Param() { month }: MonthParam, @Query() { issue }: IssueQuery) {
    const head = await this.store.headPosition();
    const verification = await this.heavyReads.run({ kind: 'verify', month, issue, head });
    if (!verification) throw notIssued(month);
    return verification;
  }

  private async send(
    response: Response,
    content: NotificationContent,
    format: string | undefined,
    name: string,
  ) {
    if (format === 'xlsx') this.attachment(response, 'xlsx', name).send(await notificationXlsx(content));
    else if (format === 'csv') this.attachment(response, 'csv', name).send(notificationCsv(content));
    else response.type('application/json').send(canonicalJson(content));
  }

  private attachment(response: Response, format: 'xlsx' | 'csv', name: string): Response {
    return response
      .type(
        format === 'xlsx'
          ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
          : 'text/csv; charset=utf-8',
      )
      .setHeader('Content-Disposition', `attachment; filename="${name}.${format}"`);
  }
}
