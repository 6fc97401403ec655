import { randomUUID } from 'node:crypto';
import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Request, Response } from 'express';
import {
  CommandContext,
  ProjectCommandRequest,
  WriteWarning,
  amendmentWarnings,
  deterministicEventId,
  signingWarnings,
} from '@app/application';
import { CORRECTABLE, DatedFact, FACT_WORDS, Milestone, MILESTONES } from '@app/domain';
import { Writers } from '../auth/auth.decorators';
import { conflictProblem, inOrder, notFoundProblem, prefersEnglish } from '../http/problem';
import { ProjectionsService } from '../projections/projections.service';
import { WriteRequest, answerWrite } from '../http/write-request';
import {
  AmendProjectDto,
  CorrectMilestoneDto,
  ListProjectDto,
  ReasonDto,
  RecordMilestoneDto,
  ReportInvestmentProgressDto,
  SignProjectDto,
  StrictQuery,
  TerminateProjectDto,
  WarningDto,
  WriteResponseDto,
} from './dto/project-write.dto';
import {
  ProjectIdParam,
  ProjectListingParams,
  ProjectMilestoneParams,
  ProjectViewQuery,
} from './dto/project-read.dto';
import { ExecuteProjectCommand } from './execute-project.command';
import { GetProjectHistoryQuery } from './get-project-history.query';
import { GetProjectQuery } from './get-project.query';
import { PROJECT_HISTORY, PROJECT_VIEW } from '../http/openapi-responses';

const WRITE_HEADERS = [
  {
    name: 'Idempotency-Key',
    required: false,
    description: 'same key + same body → same result, no new event',
  },
  {
    name: 'If-Match',
    required: false,
    description: 'the revision you last saw; 412 if the project has moved on',
  },
];

@ApiTags('projects')
@ApiBearerAuth()
@Controller('projects')
export class ProjectsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly projections: ProjectionsService,
  ) {}

  @Post()
  @Writers()
  @ApiOperation({ summary: 'Sign a project (签约)' })
  @ApiHeader(WRITE_HEADERS[0])
  @ApiCreatedResponse({ type: WriteResponseDto })
  @ApiConflictResponse({
    description:
      'project-exists: the id is already signed with other details; possible-duplicate (with ?strict=true): ' +
      'the same zone, name and enterprise, a near-identical name, or an id differing only in typing',
  })
  async sign(
    @Body() body: SignProjectDto,
    @Query() { strict }: StrictQuery,
    @WriteRequest() context: CommandContext,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<WriteResponseDto> {
    // A keyed retry without a projectId must land on the same project as the original.
    const projectId =
      body.projectId ??
      (context.idempotencyKey
        ? deterministicEventId('project', context.caller.sub, context.idempotencyKey)
        : randomUUID());
    const data = { ...body, projectId };
    const warnings = signingWarnings(data, (candidate) => this.projections.possibleDuplicatesOf(candidate));
    // Refused only once the caller is known to act for the zone: a 409 names the other project.
    const refuseDuplicates = () => {
      const duplicate = warnings.find((warning) => warning.code === 'possible-duplicate');
      if (strict && duplicate) throw conflictProblem(duplicate.text, 'possible-duplicate');
    };
    return this.run(
      { type: 'SignProject', data },
      context,
      response,
      warningsFor(warnings, request),
      refuseDuplicates,
    );
  }

  @Post(':projectId/listings')
  @Writers()
  @ApiOperation({ summary: "List the project in a round's batch (签约/开工/投产一批)" })
  @ApiHeader(WRITE_HEADERS[0])
  @ApiHeader(WRITE_HEADERS[1])
  @ApiCreatedResponse({ type: WriteResponseDto })
  list(
    @Param() { projectId }: ProjectIdParam,
    @Body() body: ListProjectDto,
    @WriteRequest() context: CommandContext,
    @Res({ passthrough: true }) response: Response,
  ): Promise<WriteResponseDto> {
    return this.run({ type: 'ListProject', data: { projectId, ...body } }, context, response);
  }

  @Post(':projectId/milestones')
  @Writers()
  @ApiOperation({ summary: 'Record a milestone: 开工, 入统, 投产, 达效, 企业达规入库' })
  @ApiHeader(WRITE_HEADERS[0])
  @ApiHeader(WRITE_HEADERS[1])
  @ApiCreatedResponse({ type: WriteResponseDto })
  recordMilestone(
    @Param() { projectId }: ProjectIdParam,
    @Body() body: RecordMilestoneDto,
    @WriteRequest() context: CommandContext,
    @Res({ passthrough: true }) response: Response,
  ): Promise<WriteResponseDto> {
    return this.run({ type: 'RecordMilestone', data: { projectId, ...body } }, context, response);
  }

  @Post(':projectId/milestones/:milestone/correction')
  @Writers()
  @ApiOperation({ summary: "Correct a milestone's effective date (signed included)" })
  @ApiHeader(WRITE_HEADERS[0])
  @ApiHeader(WRITE_HEADERS[1])
  @ApiCreatedResponse({ type: WriteResponseDto })
  correct(
    @Param() { projectId, milestone }: ProjectMilestoneParams,
    @Body() body: CorrectMilestoneDto,
    @WriteRequest() context: CommandContext,
    @Res({ passthrough: true }) response: Response,
  ): Promise<WriteResponseDto> {
    const fact = knownFact<DatedFact>(milestone, CORRECTABLE);
    return this.run(
      { type: 'CorrectMilestoneDate', data: { projectId, milestone: fact, ...body } },
      context,
      response,
    );
  }

  @Post(':projectId/milestones/:milestone/retraction')
  @Writers()
  @ApiOperation({ summary: 'Retract a milestone recorded in error (only if nothing later depends on it)' })
  @ApiHeader(WRITE_HEADERS[0])
  @ApiHeader(WRITE_HEADERS[1])
  @ApiCreatedResponse({ type: WriteResponseDto })
  retract(
    @Param() { projectId, milestone }: ProjectMilestoneParams,
    @Body() body: ReasonDto,
    @WriteRequest() context: CommandContext,
    @Res({ passthrough: true }) response: Response,
  ): Promise<WriteResponseDto> {
    const fact = knownFact<Milestone>(milestone, MILESTONES);
    return this.run(
      { type: 'RetractMilestone', data: { projectId, milestone: fact, ...body } },
      context,
      response,
    );
  }

  @Post(':projectId/investment-progress')
  @Writers()
  @ApiOperation({ summary: 'Report cumulative completed investment (完成投资) for a month' })
  @ApiHeader(WRITE_HEADERS[0])
  @ApiHeader(WRITE_HEADERS[1])
  @ApiCreatedResponse({ type: WriteResponseDto })
  reportProgress(
    @Param() { projectId }: ProjectIdParam,
    @Body() body: ReportInvestmentProgressDto,
    @WriteRequest() context: CommandContext,
    @Res({ passthrough: true }) response: Response,
  ): Promise<WriteResponseDto> {
    const { reason, ...figures } = body;
    const data = { projectId, ...figures, ...(reason !== undefined ? { reason } : {}) };
    return this.run({ type: 'ReportInvestmentProgress', data }, context, response);
  }

  @Post(':projectId/amendments')
  @Writers()
  @ApiOperation({ summary: "Amend the project's details (the zone cannot change)" })
  @ApiHeader(WRITE_HEADERS[0])
  @ApiHeader(WRITE_HEADERS[1])
  @ApiCreatedResponse({ type: WriteResponseDto })
  amend(
    @Param() { projectId }: ProjectIdParam,
    @Body() body: AmendProjectDto,
    @WriteRequest() context: CommandContext,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<WriteResponseDto> {
    const { reason, ...fields } = body;
    // The DTO instance declares every field (undefined when not sent): only the sent ones change.
    const changes = Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
    const warnings = amendmentWarnings(body);
    return this.run(
      { type: 'AmendProject', data: { projectId, changes, reason } },
      context,
      response,
      warningsFor(warnings, request),
    );
  }

  @Post(':projectId/termination')
  @Writers()
  @ApiOperation({ summary: 'Terminate the project (终止/退出)' })
  @ApiHeader(WRITE_HEADERS[0])
  @ApiHeader(WRITE_HEADERS[1])
  @ApiCreatedResponse({ type: WriteResponseDto })
  terminate(
    @Param() { projectId }: ProjectIdParam,
    @Body() body: TerminateProjectDto,
    @WriteRequest() context: CommandContext,
    @Res({ passthrough: true }) response: Response,
  ): Promise<WriteResponseDto> {
    return this.run({ type: 'TerminateProject', data: { projectId, ...body } }, context, response);
  }

  @Post(':projectId/void')
  @Writers()
  @ApiOperation({
    summary: 'Void a project recorded in error (作废, e.g. entered twice)',
    description:
      'As known from now on it is in no cohort, list or rate; as known before, it was. Its history stays, ' +
      'and nothing more can be recorded for it.',
  })
  @ApiHeader(WRITE_HEADERS[0])
  @ApiHeader(WRITE_HEADERS[1])
  @ApiCreatedResponse({ type: WriteResponseDto })
  @ApiConflictResponse({ description: 'project-voided: already voided for another reason' })
  voidProject(
    @Param() { projectId }: ProjectIdParam,
    @Body() body: ReasonDto,
    @WriteRequest() context: CommandContext,
    @Res({ passthrough: true }) response: Response,
  ): Promise<WriteResponseDto> {
    return this.run({ type: 'VoidProject', data: { projectId, reason: body.reason } }, context, response);
  }

  @Post(':projectId/listings/:roundId/withdrawal')
  @Writers()
  @ApiOperation({
    summary: 'Withdraw a listing recorded in error; the project leaves that batch from now on',
  })
  @ApiHeader(WRITE_HEADERS[0])
  @ApiHeader(WRITE_HEADERS[1])
  @ApiCreatedResponse({ type: WriteResponseDto })
  @ApiConflictResponse({ description: 'listing-not-recorded: the project is not listed in that round' })
  withdrawListing(
    @Param() { projectId, roundId }: ProjectListingParams,
    @Body() body: ReasonDto,
    @WriteRequest() context: CommandContext,
    @Res({ passthrough: true }) response: Response,
  ): Promise<WriteResponseDto> {
    return this.run(
      { type: 'WithdrawListing', data: { projectId, roundId, reason: body.reason } },
      context,
      response,
    );
  }

  @Get(':projectId')
  @ApiOperation({ summary: 'The project now, or as of a date as known at a time' })
  @ApiOkResponse({ description: 'the project view with its revision (also the ETag)', schema: PROJECT_VIEW })
  async get(
    @Param() { projectId }: ProjectIdParam,
    @Query() query: ProjectViewQuery,
    @Res({ passthrough: true }) response: Response,
  ) {
    const view = await this.queries.execute(new GetProjectQuery(projectId, query.asOf, query.knownAt));
    response.setHeader('ETag', `"${view.revision}"`);
    return view;
  }

  @Get(':projectId/history')
  @ApiOperation({ summary: 'Every recorded fact with who recorded it, when, from where and why' })
  @ApiOkResponse({ schema: PROJECT_HISTORY })
  history(@Param() { projectId }: ProjectIdParam) {
    return this.queries.execute(new GetProjectHistoryQuery(projectId));
  }

  private async run(
    request: ProjectCommandRequest,
    context: CommandContext,
    response: Response,
    warnings: WarningDto[] = [],
    beforeDecide?: () => void,
  ): Promise<WriteResponseDto> {
    const result = await this.commands.execute(new ExecuteProjectCommand(request, context, beforeDecide));
    answerWrite(response, result);
    return {
      projectId: request.data.projectId,
      revision: result.revision,
      ...(warnings.length > 0 ? { warnings } : {}),
    };
  }
}

function warningsFor(warnings: WriteWarning[], request: Request): WarningDto[] {
  const englishFirst = prefersEnglish(request);
  return warnings.map(({ code, text, field, projectId }) => ({
    code,
    message: inOrder(text, englishFirst),
    ...(field ? { field } : {}),
    ...(projectId ? { projectId } : {}),
  }));
}

function knownFact<T extends string>(value: string, known: readonly T[]): T {
  if (!(known as readonly string[]).includes(value)) {
    throw notFoundProblem(
      {
        zh: `未知节点“${value}”；可选：${known.map((fact) => FACT_WORDS[fact as DatedFact].zh).join('、')}（${known.join(', ')}）`,
        en: `unknown milestone "${value}"; one of ${known.join(', ')}`,
      },
      'unknown-milestone',
    );
  }
  return value as T;
}
