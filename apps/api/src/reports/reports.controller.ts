import { Controller, Get, Inject, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
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
  stalledProjects,
  unknownReference,
} from '@app/projections';
import { Roles } from '../auth/auth.decorators';
import { normaliseInstant } from '../http/instant';
import { badRequest, notFoundProblem } from '../http/problem';
import { Clock, todayIn } from '@app/application';
import { TRACKER_CONFIG } from '@app/platform';
import { ProjectionsService } from '../projections/projections.service';
import { CohortQuery, ProjectListQueryDto, StalledQueryDto, ViewQuery } from './report-query.dto';

/** Read models: the five rates, lead times, project lists and stalled projects. */
@ApiTags('reports')
@ApiBearerAuth()
@Controller()
export class ReportsController {
  constructor(
    private readonly projections: ProjectionsService,
    private readonly clock: Clock,
    @Inject(TRACKER_CONFIG) private readonly config: TrackerConfig,
  ) {}

  @Get('rates')
  @ApiOperation({
    summary: 'The five rates (五率) per province, city or zone, both bases, as of D as known at K',
    description:
      'start 签约开工率 and production 开工投产率 are reported by investment; statisticsEntry 项目入统率, ' +
      'attainment 投产达效率 and aboveScale 企业达规入库率 by count. Fractions are 0..1, null for an empty cohort.',
  })
  @ApiOkResponse({ description: '{ asOf, knownAt, rows: [{ scope, id, name, start, production, ... }] }' })
  rates(@Query() query: CohortQuery) {
    const view = this.view(query);
    const table = rateTable(
      this.projections.model,
      { ...this.cohort(query), ...view.query },
      this.projections.aggregates,
    );
    return { ...table, knownAt: view.knownAt };
  }

  @Get('lead-times')
  @ApiOperation({ summary: 'Days between milestones (median, p90, count) per scope, same cohort parameters' })
  leadTimes(@Query() query: CohortQuery) {
    const view = this.view(query);
    return {
      ...leadTimes(this.projections.model, { ...this.cohort(query), ...view.query }),
      knownAt: view.knownAt,
    };
  }

  @Get('large-project-shares')
  @ApiOperation({
    summary:
      '亿元以上 shares per batch: projects of at least 1亿元 among the listed, by count and investment',
  })
  largeProjectShares(@Query() query: CohortQuery) {
    const view = this.view(query);
    return {
      ...largeProjectShares(this.projections.model, { ...this.cohort(query), ...view.query }),
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
  planProgress(@Query() query: CohortQuery) {
    const view = this.view(query);
    return {
      ...planProgress(this.projections.model, { ...this.cohort(query), ...view.query }),
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
  investmentCompletion(@Query() query: CohortQuery) {
    const view = this.view(query);
    return {
      ...investmentCompletion(this.projections.model, { ...this.cohort(query), ...view.query }),
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
  projectLights(@Query() query: CohortQuery) {
    const view = this.view(query);
    const { roundIds, since } = this.cohort(query);
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
  @ApiOperation({
    summary:
      '三未: signed not started (签而未落), started not producing (落而未投), producing not attained (投而未达)',
  })
  stalled(@Query() query: StalledQueryDto) {
    const view = this.view(query);
    const lists = stalledProjects(this.projections.model, {
      ...this.cohort(query),
      ...view.query,
      minDays: {
        signedNotStarted: query.minDaysSignedNotStarted,
        startedNotProducing: query.minDaysStartedNotProducing,
        producingNotAttained: query.minDaysProducingNotAttained,
      },
    });
    return { ...lists, knownAt: view.knownAt };
  }

  @Post('projections/rebuild')
  @Roles('admin')
  @ApiOperation({ summary: 'Drop the read models and replay $all from the start (admin)' })
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

  private cohort(query: CohortQuery) {
    if (query.roundId && query.since) {
      throw badRequest({ zh: 'roundId 与 since 只能给一个', en: 'give roundId or since, not both' }, [
        { field: 'since', text: { zh: '不能与 roundId 同时使用', en: 'cannot be combined with roundId' } },
      ]);
    }
    return { scope: query.scope ?? 'province', roundIds: query.roundId, since: query.since };
  }
}
