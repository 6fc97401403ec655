import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Response } from 'express';
import { CommandContext } from '@app/application';
import { Roles } from '../auth/auth.decorators';
import { WriteRequest, answerWrite } from '../http/write-request';
import { ProjectionsService } from '../projections/projections.service';
import { CorrectRoundCommand, CorrectZoneCommand } from './correct-reference';
import {
  CorrectRoundDto,
  CorrectZoneDto,
  KnownAtQuery,
  RoundDto,
  RoundIdParam,
  ZoneDto,
  ZoneIdParam,
} from './reference.dto';
import { RegisterRoundCommand } from './register-round.command';
import { RegisterZoneCommand } from './register-zone.command';
import { ROUNDS, ZONES } from '../http/openapi-responses';

const IDEMPOTENCY = { name: 'Idempotency-Key', required: false };

/** The fields sent (the DTO instance declares every field, undefined when not sent). */
const sent = <T extends object>(fields: T): Partial<T> =>
  Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as Partial<T>;

@ApiTags('reference data')
@ApiBearerAuth()
@Controller()
export class ReferenceController {
  constructor(
    private readonly commands: CommandBus,
    private readonly projections: ProjectionsService,
  ) {}

  @Get('zones')
  @ApiOperation({
    summary: 'Development zones (开发区), as known at K: registered by then, as corrected by then',
  })
  @ApiOkResponse({ schema: ZONES })
  zones(@Query() { knownAt }: KnownAtQuery) {
    return this.projections.zones(knownAt === undefined ? undefined : Date.parse(knownAt));
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

  @Post('zones/:zoneId/correction')
  @Roles('admin')
  @ApiOperation({
    summary: "Correct a zone's name, city, category or level, with a reason (admin)",
    description: 'Rows and roll-ups use the corrected zone from then on; the registration stays in the log.',
  })
  @ApiHeader(IDEMPOTENCY)
  @ApiCreatedResponse({ type: ZoneDto })
  @ApiNotFoundResponse({ description: 'zone-not-found' })
  async correctZone(
    @Param() { zoneId }: ZoneIdParam,
    @Body() body: CorrectZoneDto,
    @WriteRequest() context: CommandContext,
    @Res({ passthrough: true }) response: Response,
  ) {
    const { reason, ...changes } = body;
    answerWrite(
      response,
      await this.commands.execute(new CorrectZoneCommand(zoneId, sent(changes), reason, context)),
    );
    await this.projections.caughtUpModel();
    return this.projections.model.zones.get(zoneId);
  }

  @Get('rounds')
  @ApiOperation({
    summary: 'Rounds of the "三个一批" programme, as known at K (registered and corrected by then)',
  })
  @ApiOkResponse({ schema: ROUNDS })
  rounds(@Query() { knownAt }: KnownAtQuery) {
    return this.projections.rounds(knownAt === undefined ? undefined : Date.parse(knownAt));
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

  @Post('rounds/:roundId/correction')
  @Roles('admin')
  @ApiOperation({
    summary: "Correct a round's date, name or main venue, with a reason (admin)",
    description: 'The date may change only while no listing refers to the round (409 round-has-listings).',
  })
  @ApiHeader(IDEMPOTENCY)
  @ApiCreatedResponse({ type: RoundDto })
  @ApiNotFoundResponse({ description: 'round-not-found' })
  @ApiConflictResponse({ description: 'round-has-listings' })
  async correctRound(
    @Param() { roundId }: RoundIdParam,
    @Body() body: CorrectRoundDto,
    @WriteRequest() context: CommandContext,
    @Res({ passthrough: true }) response: Response,
  ) {
    const { reason, ...changes } = body;
    const listings = () => this.projections.listingsInRound(roundId);
    answerWrite(
      response,
      await this.commands.execute(new CorrectRoundCommand(roundId, sent(changes), reason, listings, context)),
    );
    await this.projections.caughtUpModel();
    return this.projections.model.rounds.get(roundId);
  }
}
