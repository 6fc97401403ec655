import { Controller, Get, Inject, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import { TrackerConfig } from '@app/config';
import { LocalDate } from '@app/domain';
import {
  References,
  investmentCompletion,
  largeProjectShares,
  leadTimes,
  listProjects,
  parseNotificationSettings,
  planProgress,
  projectLights,
  projectsWithLight,
  rateTable,
  unknownReference,
} from '@app/projections';
import { Roles } from '../auth/auth.decorators';
import { HeavyReadsService } from '../heavy-reads/heavy-reads.service';
import { Expensive } from '../http/rate-limit';
import { normaliseInstant } from '../http/instant';
import { badRequest, notFoundProblem } from '../http/problem';
import { Clock, todayIn } from '@app/application';
import { TRACKER_CONFIG } from '@app/platform';
import { ProjectionsService } from '../projections/projections.service';
import { CohortQuery, ProjectListQueryDto, StalledQueryDto, ViewQuery } from './report-query.dto';
import {
  INVESTMENT_COMPLETION,
  LARGE_PROJECT_SHARES,
  LEAD_TIME_TABLE,
  PLAN_PROGRESS,
  PROJECT_LIGHTS,
  PROJECT_LIST,
  RATE_TABLE,
  REBUILD_REPORT,
  STALLED_LISTS,
} from '../http/openapi-responses';

/** The stalled lists' page size when the request gives none. */
const STALLED_PAGE_SIZE = 100;

/** Read models: the five rates, lead times, project lists and stalled projects. */
@ApiTags('reports')
@ApiBearerAuth()
@Controller()
export class ReportsController {
  constructor(
    private readonly projections: ProjectionsService,
    private readonly clock: Clock,
    @Inject(TRACKER_CONFIG) private readonly config: TrackerConfig,
    private readonly heavyReads: HeavyReadsService,
  ) {}

  @Get('rates')
  @ApiOperation({
    summary: 'The five rates (五率) per province, city or zone, both bases, as of D as known at K',
    description:
      'start 签约开工率 and production 开工投产率 are reported by investment; statisticsEntry 项目入统率, ' +
      'attainment 投产达效率 and aboveScale 企业达规入库率 by count. Fractions are 0..1, null for an empty cohort.',
  })
  @ApiOkResponse({ schema: RATE_TABLE })
  rates(@Query() query: CohortQuery) {
    const view = this.view(query);
    const table = rateTable(
      this.projections.model,
      { ...this.cohort(query, view.query.asOf), ...view.query },
      this.projections.aggregates,
    );
    return { ...table, knownAt: view.knownAt };
  }

  @Get('lead-times')
  @ApiOperation({ summary: 'Days between milestones (median, p90, count) per scope, same cohort parameters' })
  @ApiOkResponse({ schema: LEAD_TIME_TABLE })
  leadTimes(@Query() query: CohortQuery) {
    const view = this.view(query);
    return {
      ...leadTimes(this.projections.model, { ...this.cohort(query, view.query.asOf), ...view.query }),
      knownAt: view.knownAt,
    };
  }

  @Get('large-project-shares')
  @ApiOperation({
    summary:
      '亿元以上 shares per batch: projects of at least 1亿元 among the listed, by count and investment',
  })
  @ApiOkResponse({ schema: LARGE_PROJECT_SHARES })
  largeProjectShares(@Query() query: CohortQuery) {
    const view = this.view(query);
    return {
      ...largeProjectShares(this.projections.model, {
        ...this.cohort(query, view.query.asOf),
        ...view.query,
      }),
      knownAt: view.knownAt,
    };
  }

  @Get('plan-progress')
  @ApiOperation({
    summary:
      '应开工 / 应投产: projects due by D that started / produced (and on plan), overdue lists, expected by year end',
    description:
      'Over the projects listed by D in the chosen rounds (all rounds by default). due = planned date on or before D; ' +
      'rate = reached by D / due; onPlanRate = reached by the planned date / due; overdue: planned before D, not ' +
      'reached, not terminated, with daysOverdue and open obstacles; expectedByYearEnd: not producing, planned to ' +
      "produce after D within D's year.",
  })
  @ApiOkResponse({ schema: PLAN_PROGRESS })
  planProgress(@Query() query: CohortQuery) {
    const view = this.view(query);
    return {
      ...planProgress(this.projections.model, { ...this.cohort(query, view.query.asOf), ...view.query }),
      knownAt: view.knownAt,
    };
  }

  @Get('investment-completion')
  @ApiOperation({
    summary: "投资完成率: completed this year / planned for D's year, against 序时进度, per month, by scope",
    description:
      'completedWan: cumulative 完成投资 of the last month ended by D minus that of the previous December, for the ' +
      'projects with a plan for the year; completedAllWan: the same for every project; elapsedShare: 序时进度.',
  })
  @ApiOkResponse({ schema: INVESTMENT_COMPLETION })
  investmentCompletion(@Query() query: CohortQuery) {
    const view = this.view(query);
    return {
      ...investmentCompletion(this.projections.model, {
        ...this.cohort(query, view.query.asOf),
        ...view.query,
      }),
      knownAt: view.knownAt,
    };
  }

  @Get('project-lights')
  @ApiOperation({
    summary: 'Red/amber/green lights (红黄绿灯) per project, each naming its rule, as of D as known at K',
    description:
      'Rules from NOTIFICATION_SETTINGS.lights (default after 银川): start, progress (投资完成率 vs 序时进度), ' +
      'statistics entry. A late start or lagging investment with an open obstacle is `justified`.',
  })
  @ApiOkResponse({ schema: PROJECT_LIGHTS })
  projectLights(@Query() query: CohortQuery) {
    const view = this.view(query);
    const { roundIds, since } = this.cohort(query, view.query.asOf);
    const rules = parseNotificationSettings(this.config.notificationSettingsJson).lights;
    return {
      asOf: view.query.asOf,
      knownAt: view.knownAt,
      projects: projectLights(this.projections.model, { roundIds, since, ...view.query, rules }),
    };
  }

  @Get('projects')
  @ApiOperation({
    summary: 'Projects as of D as known at K, by zone, city, stage, batch, round, light or a search text',
  })
  @ApiOkResponse({ schema: PROJECT_LIST })
  projects(@Query() query: ProjectListQueryDto) {
    const view = this.view(query);
    const { stage, batch, roundId, q, light, limit, offset } = query;
    const rules = parseNotificationSettings(this.config.notificationSettingsJson).lights;
    const projectIds = light
      ? projectsWithLight(this.projections.model, { ...view.query, rules }, light)
      : undefined;
    const list = listProjects(this.projections.model, {
      ...view.query,
      stage,
      batch,
      roundId,
      q,
      projectIds,
      limit,
      offset,
    });
    return { ...list, knownAt: view.knownAt };
  }

  @Get('stalled-projects')
  @Expensive()
  @ApiOperation({
    summary:
      '三未: signed not started (签而未落), started not producing (落而未投), producing not attained (投而未达)',
    description:
      'Paged: each list holds at most `limit` projects (default 100) from `offset` on, longest stalled first; ' +
      '`page.totals` counts each whole list and `page.nextOffset` is the offset of the next page (null on the ' +
      'last). Computed in the worker thread; rate-limited with the other expensive reads.',
  })
  @ApiOkResponse({ schema: STALLED_LISTS })
  @ApiTooManyRequestsResponse({ description: 'rate-limited, with Retry-After' })
  async stalled(@Query() query: StalledQueryDto) {
    const view = this.view(query);
    const limit = query.limit ?? STALLED_PAGE_SIZE;
    const offset = query.offset ?? 0;
    const { lists, totals } = await this.heavyReads.run({
      kind: 'stalled',
      query: {
        ...this.cohort(query, view.query.asOf),
        ...view.query,
        // the rates' cohort: projects listed by D in one of its rounds
        listedOnly: true,
        minDays: {
          signedNotStarted: query.minDaysSignedNotStarted,
          startedNotProducing: query.minDaysStartedNotProducing,
          producingNotAttained: query.minDaysProducingNotAttained,
        },
      },
      position: this.projections.position,
      limit,
      offset,
    });
    const more = Object.values(totals).some((total) => total > offset + limit);
    return {
      asOf: view.query.asOf,
      ...lists,
      knownAt: view.knownAt,
      page: { limit, offset, totals, nextOffset: more ? offset + limit : null },
    };
  }

  @Post('projections/rebuild')
  @Roles('admin')
  @Expensive()
  @ApiOperation({
    summary: 'Drop the read models and replay $all from the start (admin)',
    description: 'One at a time: a request while a rebuild runs waits for that one and gets its report.',
  })
  @ApiCreatedResponse({ schema: REBUILD_REPORT })
  rebuild() {
    return this.projections.rebuild();
  }

  /** A mistyped zone, city or round id is a 404 naming it, never an empty 200. */
  private requireKnown(references: References): void {
    const unknown = unknownReference(this.projections.model, references);
    if (!unknown) return;
    const words = { zone: ['开发区', 'zone'], city: ['地市', 'city'], round: ['活动', 'round'] }[
      unknown.kind
    ];
    throw notFoundProblem(
      { zh: `未登记${words[0]} ${unknown.id}`, en: `unknown ${words[1]} ${unknown.id}` },
      `unknown-${unknown.kind}`,
    );
  }

  /** D defaults to today; K to now (everything recorded so far). */
  private view(query: ViewQuery & { roundId?: string | string[] }) {
    const roundIds = query.roundId === undefined ? [] : [query.roundId].flat();
    this.requireKnown({ zoneId: query.zoneId, cityId: query.cityId, roundIds });
    const asOf: LocalDate = query.asOf ?? todayIn(this.clock, this.config.utcOffsetMinutes);
    const knownAt = query.knownAt ? normaliseInstant(query.knownAt) : undefined;
    const { zoneId, cityId, zoneCategory, minTotalInvestmentWan, industrialOnly } = query;
    return {
      query: { asOf, knownAt, zoneId, cityId, zoneCategory, minTotalInvestmentWan, industrialOnly },
      knownAt: knownAt ?? this.clock.now().toISOString(),
    };
  }

  /** The programme's cohort unless the caller chose the year's, some rounds or a date. */
  private cohort(query: CohortQuery, asOf: LocalDate) {
    if (query.roundId && query.since) {
      throw badRequest({ zh: 'roundId 与 since 只能给一个', en: 'give roundId or since, not both' }, [
        { field: 'since', text: { zh: '不能与 roundId 同时使用', en: 'cannot be combined with roundId' } },
      ]);
    }
    if (query.cohort && (query.roundId || query.since)) {
      throw badRequest(
        { zh: 'cohort 与 roundId、since 只能给一个', en: 'give cohort, roundId or since, not several' },
        [
          {
            field: 'cohort',
            text: { zh: '不能与 roundId 或 since 同时使用', en: 'cannot be combined with roundId or since' },
          },
        ],
      );
    }
    const since = query.cohort === 'year' ? `${asOf.slice(0, 4)}-01-01` : query.since;
    return { scope: query.scope ?? 'province', roundIds: query.roundId, since };
  }
}
