import { createHash, timingSafeEqual } from 'node:crypto';
import { Controller, Get, Header, Inject, Req } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import { Request } from 'express';
import { Public } from '../auth/auth.decorators';
import { PROMETHEUS_TEXT } from '../http/openapi-responses';
import { unauthorized } from '../http/problem';
import { TrackerMetrics } from './metrics';
import { OBSERVABILITY_OPTIONS, ObservabilityOptions } from './observability.options';

/**
 * `GET /metrics` (at the root, not under /api/v1) in Prometheus' text format. Open unless
 * METRICS_TOKEN is set; then only `Authorization: Bearer <METRICS_TOKEN>` may scrape.
 */
@ApiTags('operations')
@Controller()
@SkipThrottle()
export class MetricsController {
  constructor(
    private readonly metrics: TrackerMetrics,
    @Inject(OBSERVABILITY_OPTIONS) private readonly options: ObservabilityOptions,
  ) {}

  @Get('metrics')
  @Public()
  @ApiOperation({
    summary: 'Prometheus metrics (README.md "Logs, metrics and shutdown"); Bearer METRICS_TOKEN when set',
  })
  @ApiProduces('text/plain')
  @ApiOkResponse({ schema: PROMETHEUS_TEXT })
  @Header('Cache-Control', 'no-store')
  async scrape(@Req() request: Request): Promise<string> {
    const token = this.options.metricsToken;
    if (token !== undefined && !sameSecret(request.headers.authorization ?? '', `Bearer ${token}`)) {
      throw unauthorized({
        zh: '读取 /metrics 需要 Authorization: Bearer <METRICS_TOKEN>',
        en: 'GET /metrics needs Authorization: Bearer <METRICS_TOKEN>',
      });
    }
    request.res?.setHeader('Content-Type', this.metrics.registry.contentType);
    return this.metrics.registry.metrics();
  }
}

/** Compares hashes, so the time taken tells nothing about the token. */
function sameSecret(given: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}
