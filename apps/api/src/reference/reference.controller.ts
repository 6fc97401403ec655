import { Body, Controller, Get, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Response } from 'express';
import { CommandContext } from '@app/application';
import { Roles } from '../auth/auth.decorators';
import { WriteRequest, answerWrite } from '../http/write-request';
import { ProjectionsService } from '../projections/projections.service';
import { RoundDto, ZoneDto } from './reference.dto';
import { RegisterRoundCommand } from './register-round.command';
import { RegisterZoneCommand } from './register-zone.command';

const IDEMPOTENCY = { name: 'Idempotency-Key', required: false };

@ApiTags('reference data')
@ApiBearerAuth()
@Controller()
export class ReferenceController {
  constructor(
    private readonly commands: CommandBus,
    private readonly projections: ProjectionsService,
  ) {}

  @Get('zones')
  @ApiOperation({ summary: 'Development zones (开发区)' })
  zones() {
    return this.projections.zones();
  }

  @Post('zones')
  @Roles('admin')
  @ApiOperation({ summary: 'Register a zone (admin)' })
  @ApiHeader(IDEMPOTENCY)
  @ApiCreatedResponse({ type: ZoneDto })
  async registerZone(
    @Body() zone: ZoneDto,
    @WriteRequest() context: CommandContext,
    @Res({ passthrough: true }) response: Response,
  ): Promise<ZoneDto> {
    answerWrite(response, await this.commands.execute(new RegisterZoneCommand({ ...zone }, context)));
    return zone;
  }

  @Get('rounds')
  @ApiOperation({ summary: 'Rounds of the "三个一批" programme' })
  rounds() {
    return this.projections.rounds();
  }

  @Post('rounds')
  @Roles('admin')
  @ApiOperation({ summary: 'Register a round (admin)' })
  @ApiHeader(IDEMPOTENCY)
  @ApiCreatedResponse({ type: RoundDto })
  async registerRound(
    @Body() round: RoundDto,
    @WriteRequest() context: CommandContext,
    @Res({ passthrough: true }) response: Response,
  ): Promise<RoundDto> {
    answerWrite(response, await this.commands.execute(new RegisterRoundCommand({ ...round }, context)));
    return round;
  }
}
