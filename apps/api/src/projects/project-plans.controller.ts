import { Body, Controller, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Response } from 'express';
import { Writers } from '../auth/auth.decorators';
import { CommandContext, ProjectCommandRequest } from '@app/application';
import { WriteRequest, answerWrite } from '../http/write-request';
import { ProjectIdParam } from './dto/project-read.dto';
import { ExecuteProjectCommand } from './execute-project.command';
import {
  ObstacleParams,
  PlanAnnualInvestmentDto,
  RecordObstacleDto,
  ResolveObstacleDto,
  SetPlannedDatesDto,
  UpdateObstacleDto,
} from './dto/project-plan.dto';
import { WriteResponseDto } from './dto/project-write.dto';

/** The dispatch practice's facts on a project: planned dates, annual investment plans, obstacles (问题协调). */
@ApiTags('projects')
@ApiBearerAuth()
@Controller('projects')
export class ProjectPlansController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':projectId/planned-dates')
  @Writers()
  @ApiOperation({ summary: 'Set or change the planned start and production dates (a change needs a reason)' })
  @ApiCreatedResponse({ type: WriteResponseDto })
  setPlannedDates(
    @Param() { projectId }: ProjectIdParam,
    @Body() body: SetPlannedDatesDto,
    @WriteRequest() context: CommandContext,
    @Res({ passthrough: true }) response: Response,
  ): Promise<WriteResponseDto> {
    return this.run({ type: 'SetPlannedDates', data: { projectId, ...definedOf(body) } }, context, response);
  }

  @Post(':projectId/annual-investment-plans')
  @Writers()
  @ApiOperation({ summary: "Plan the year's investment (年度计划投资); a change needs a reason" })
  @ApiCreatedResponse({ type: WriteResponseDto })
  planInvestment(
    @Param() { projectId }: ProjectIdParam,
    @Body() body: PlanAnnualInvestmentDto,
    @WriteRequest() context: CommandContext,
    @Res({ passthrough: true }) response: Response,
  ): Promise<WriteResponseDto> {
    return this.run(
      { type: 'PlanAnnualInvestment', data: { projectId, ...definedOf(body) } },
      context,
      response,
    );
  }

  @Post(':projectId/obstacles')
  @Writers()
  @ApiOperation({
    summary: 'Record an obstacle (问题协调): land, permits, funding, energy, environment or other',
  })
  @ApiCreatedResponse({ type: WriteResponseDto })
  @ApiConflictResponse({ description: 'the obstacle id is already recorded with other details' })
  recordObstacle(
    @Param() { projectId }: ProjectIdParam,
    @Body() body: RecordObstacleDto,
    @WriteRequest() context: CommandContext,
    @Res({ passthrough: true }) response: Response,
  ): Promise<WriteResponseDto> {
    return this.run({ type: 'RecordObstacle', data: { projectId, ...definedOf(body) } }, context, response);
  }

  @Post(':projectId/obstacles/:obstacleId/updates')
  @Writers()
  @ApiOperation({
    summary: 'Update an open obstacle (category, description, responsible unit, measures), with a reason',
  })
  @ApiCreatedResponse({ type: WriteResponseDto })
  @ApiConflictResponse({ description: 'the obstacle is resolved' })
  updateObstacle(
    @Param() { projectId, obstacleId }: ObstacleParams,
    @Body() body: UpdateObstacleDto,
    @WriteRequest() context: CommandContext,
    @Res({ passthrough: true }) response: Response,
  ): Promise<WriteResponseDto> {
    const { reason, ...changes } = definedOf(body);
    return this.run(
      { type: 'UpdateObstacle', data: { projectId, obstacleId, changes, reason } },
      context,
      response,
    );
  }

  @Post(':projectId/obstacles/:obstacleId/resolution')
  @Writers()
  @ApiOperation({ summary: 'Resolve an obstacle (once)' })
  @ApiCreatedResponse({ type: WriteResponseDto })
  @ApiConflictResponse({ description: 'the obstacle was already resolved' })
  resolveObstacle(
    @Param() { projectId, obstacleId }: ObstacleParams,
    @Body() body: ResolveObstacleDto,
    @WriteRequest() context: CommandContext,
    @Res({ passthrough: true }) response: Response,
  ): Promise<WriteResponseDto> {
    return this.run({ type: 'ResolveObstacle', data: { projectId, obstacleId, ...body } }, context, response);
  }

  private async run(
    request: ProjectCommandRequest,
    context: CommandContext,
    response: Response,
  ): Promise<WriteResponseDto> {
    const result = await this.commands.execute(new ExecuteProjectCommand(request, context));
    answerWrite(response, result);
    return { projectId: request.data.projectId, revision: result.revision };
  }
}

/** The DTO instance declares every field (undefined when not sent): only the sent ones count. */
function definedOf<T extends object>(body: T): T {
  return Object.fromEntries(Object.entries(body).filter(([, value]) => value !== undefined)) as T;
}
