import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { TrackerConfig } from '@app/config';
import { EventStore } from '@app/event-store';
import { RELAY_STATUS_FILE, RelayReport, judgeRelayReport } from '@app/messaging';
import { Public } from '../auth/auth.decorators';
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
  @Public()
  @ApiOperation({ summary: 'Liveness and how far the projections have caught up' })
  async health() {
    const head = await this.store.headPosition();
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

  /**
   * The relay writes its progress, lag and health next to the embedded store every few
   * seconds; a relay that stopped writing is red (`silent`).
   */
  private async relayStatus(): Promise<unknown> {
    if (this.config.eventStore !== 'embedded') return null;
    let report: RelayReport;
    try {
      report = JSON.parse(
        await readFile(join(this.config.dataDir, RELAY_STATUS_FILE), 'utf8'),
      ) as RelayReport;
    } catch {
      return null;
    }
    return { ...report, health: judgeRelayReport(report, new Date()) };
  }
}
