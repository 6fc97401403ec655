import { constants } from 'node:fs';
import { access, readFile, statfs } from 'node:fs/promises';
import { join } from 'node:path';
import { Controller, Get, Inject, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import { Response } from 'express';
import { TrackerConfig } from '@app/config';
import { EventStore } from '@app/event-store';
import { RELAY_STATUS_FILE, RelayReport, judgeRelayReport } from '@app/messaging';
import { TRACKER_CONFIG } from '@app/platform';
import { AuthenticatedRequest, OptionalAuth } from '../auth/auth.decorators';
import { HeavyReadsService } from '../heavy-reads/heavy-reads.service';
import { HEALTH, HEALTH_READY } from '../http/openapi-responses';
import { ProjectionsService } from '../projections/projections.service';
import { StoreWriteHealth } from './store-write-health';

/** A lag beyond this many events makes /health say degraded. */
const MAX_LAG_EVENTS = 1_000;
/** What a 503 from /health or /health/ready tells a probe to wait before asking again. */
const HEALTH_RETRY_AFTER_SECONDS = 5;

/**
 * What is wrong, by code: `down` ones stop the instance from serving (503), the others make
 * it degraded.
 */
const DOWN = ['store-unreachable', 'store-not-writable', 'subscription-failed'] as const;
type Problem =
  | (typeof DOWN)[number]
  | 'subscription-catching-up'
  | 'subscription-interrupted'
  | 'projections-lagging'
  | 'disk-low'
  | 'relay-unhealthy';

@ApiTags('health')
@Controller('health')
@SkipThrottle()
export class HealthController {
  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(TRACKER_CONFIG) private readonly config: TrackerConfig,
    private readonly projections: ProjectionsService,
    private readonly writes: StoreWriteHealth,
    private readonly heavyReads: HeavyReadsService,
  ) {}

  @Get()
  @OptionalAuth()
  @ApiOperation({
    summary:
      'Up or down for anyone; with a token, the truth about the parts: store, read-model subscription, relay, disk',
    description:
      'Without a token: { status: up } or 503 { status: down }. With one: status ok, degraded (catching up, ' +
      'interrupted, lagging, disk low, relay unhealthy) or down (store unreachable or not writable, subscription ' +
      'failed; answered 503 with Retry-After). problems names each one.',
  })
  @ApiOkResponse({ schema: HEALTH })
  @ApiServiceUnavailableResponse({ description: 'the same report, status down', schema: HEALTH })
  async health(@Req() request: AuthenticatedRequest, @Res({ passthrough: true }) response: Response) {
    const report = await this.report();
    if (report.status === 'down') this.unavailable(response);
    // Without a token the answer says up or down and nothing about the store.
    if (!request.caller) return { status: report.status === 'down' ? 'down' : 'up' };
    return report;
  }

  @Get('ready')
  @OptionalAuth()
  @ApiOperation({
    summary: 'Readiness: caught up, subscription live, store writable (503 with Retry-After otherwise)',
    description: 'Without a token: { ready } only.',
  })
  @ApiOkResponse({ schema: HEALTH_READY })
  @ApiServiceUnavailableResponse({ description: 'not ready', schema: HEALTH_READY })
  async ready(@Req() request: AuthenticatedRequest, @Res({ passthrough: true }) response: Response) {
    const { status, problems, projections } = await this.report();
    const ready = status !== 'down' && projections.subscription.state === 'live';
    if (!ready) this.unavailable(response);
    return request.caller ? { ready, status, problems } : { ready };
  }

  private unavailable(response: Response): void {
    response.status(503).setHeader('Retry-After', String(HEALTH_RETRY_AFTER_SECONDS));
  }

  private async report() {
    const problems: Problem[] = [];
    const head = await this.store.headPosition().catch(() => undefined);
    if (head === undefined) problems.push('store-unreachable');
    const projected = this.projections.position;
    const subscription = this.projections.subscription;
    if (subscription.state !== 'live') problems.push(`subscription-${subscription.state}`);
    const lag = head === undefined ? null : Math.max(0, head - projected);
    if (lag !== null && lag > MAX_LAG_EVENTS) problems.push('projections-lagging');
    const writable = await this.writable();
    if (!writable) problems.push('store-not-writable');
    const disk = await this.disk();
    if (disk?.low) problems.push('disk-low');
    const relay = await this.relayStatus();
    // the API still serves without its relay; downstream consumers fall behind
    if (relay && relay.health.status !== 'ok') problems.push('relay-unhealthy');
    const down = problems.some((problem) => (DOWN as readonly string[]).includes(problem));
    return {
      status: down ? 'down' : problems.length > 0 ? 'degraded' : 'ok',
      problems,
      store: this.config.eventStore,
      headPosition: head ?? null,
      storage: {
        writable,
        ...(this.writes.lastFailure ? { lastWriteFailure: this.writes.lastFailure } : {}),
      },
      projections: {
        position: projected,
        caughtUp: this.projections.isCaughtUp && subscription.state === 'live',
        lag,
        subscription,
        snapshot: this.projections.snapshot,
      },
      relay,
      disk,
      // a failed worker is replaced: reported, but the instance keeps serving
      heavyReads: this.heavyReads.status,
    };
  }

  /** No append refused for lack of space since the last one stored, and DATA_DIR writable. */
  private async writable(): Promise<boolean> {
    if (this.writes.lastFailure) return false;
    if (this.config.eventStore !== 'embedded') return true;
    return access(this.config.dataDir, constants.W_OK).then(
      () => true,
      () => false,
    );
  }

  /** Free space where the embedded store (and the relay's status) lives. */
  private async disk() {
    if (this.config.eventStore !== 'embedded') return null;
    try {
      const stats = await statfs(this.config.dataDir);
      const freeBytes = stats.bavail * stats.bsize;
      return {
        path: this.config.dataDir,
        freeBytes,
        totalBytes: stats.blocks * stats.bsize,
        minFreeBytes: this.config.minFreeDiskBytes,
        low: freeBytes < this.config.minFreeDiskBytes,
      };
    } catch {
      return null;
    }
  }

  /**
   * The relay writes its progress, lag and health next to the embedded store every few
   * seconds; a relay that stopped writing is red (`silent`).
   */
  private async relayStatus() {
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
