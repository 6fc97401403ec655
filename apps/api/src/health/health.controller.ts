import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Controller, Get, Inject, Req, Res } from '@nestjs/common';
import { Response } from 'express';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { TrackerConfig } from '@app/config';
import { EventStore } from '@app/event-store';
import { RELAY_STATUS_FILE } from '@app/messaging';
import { AuthenticatedRequest, OptionalAuth } from '../auth/auth.decorators';
import { TRACKER_CONFIG } from '@app/platform';
import { ProjectionsService } from '../projections/projections.service';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(TRACKER_CONFIG) private readonly config: TrackerConfig,
    private readonly projections: ProjectionsService,
  ) {}

  @Get()
  @OptionalAuth()
  @ApiOperation({
    summary:
      'Up or down for anyone; with a token, how far the projections have caught up, the store and the relay',
  })
  async health(@Req() request: AuthenticatedRequest, @Res({ passthrough: true }) response: Response) {
    let head: number;
    try {
      head = await this.store.headPosition();
    } catch (error) {
      if (request.caller) throw error;
      // Without a token the answer says up or down and nothing about the store.
      response.status(503);
      return { status: 'down' };
    }
    if (!request.caller) return { status: 'up' };
    const projected = this.projections.position;
    return {
      status: 'ok',
      store: this.config.eventStore,
      headPosition: head,
      projections: {
        position: projected,
        caughtUp: this.projections.isCaughtUp,
        lag: Math.max(0, head - projected),
      },
      relay: await this.relayStatus(),
    };
  }

  /** The relay writes its progress and lag next to the embedded store every few seconds. */
  private async relayStatus(): Promise<unknown> {
    if (this.config.eventStore !== 'embedded') return null;
    try {
      return JSON.parse(await readFile(join(this.config.dataDir, RELAY_STATUS_FILE), 'utf8'));
    } catch {
      return null;
    }
  }
}
