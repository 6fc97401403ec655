import { Server, createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Counter, Gauge, Registry } from 'prom-client';
import { TrackerConfig } from '@app/config';
import { RelayReport } from '@app/messaging';
import { TRACKER_CONFIG } from '@app/platform';
import { RelayService } from './relay.service';

/**
 * The relay's own `/health` (200 when green, 503 when stuck, lagging or refused) and
 * `/metrics` on RELAY_HTTP_PORT, for every store (the API reads the status file only beside
 * the embedded one).
 */
@Injectable()
export class RelayHttpServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('RelayHttp');
  private readonly registry = new Registry();
  private server?: Server;

  constructor(
    @Inject(TRACKER_CONFIG) private readonly config: TrackerConfig,
    private readonly relay: RelayService,
  ) {
    const report = () => this.relay.report;
    const gauge = (name: string, help: string, value: (r: RelayReport) => number | null) =>
      new Gauge({
        name,
        help,
        registers: [this.registry],
        collect() {
          this.reset();
          const current = report();
          const measured = current ? value(current) : null;
          if (measured !== null) this.set(measured);
        },
      });
    gauge('relay_leader', '1 while this relay holds the publishing lock', (r) => (r.leader ? 1 : 0));
    gauge('relay_position', 'Last $all position the relay has published to Kafka', (r) => r.position);
    gauge('relay_lag_positions', 'Head position minus the relay position', (r) => r.lag);
    gauge('relay_healthy', '1 when green; 0 when stuck, lagging or refused', (r) =>
      r.health.status === 'ok' ? 1 : 0,
    );
    gauge('relay_stuck', '1 while failing for longer than RELAY_STUCK_AFTER_MS, or refused', (r) =>
      r.health.status === 'stuck' || r.health.status === 'refused' ? 1 : 0,
    );
    gauge('relay_consecutive_failures', 'Failed relay runs in a row', (r) => r.consecutiveFailures);
    const counter = (name: string, help: string, value: (r: RelayReport) => number) =>
      new Counter({
        name,
        help,
        registers: [this.registry],
        collect() {
          const current = report();
          if (!current) return;
          this.reset();
          this.inc(value(current));
        },
      });
    counter('relay_published_events_total', 'Events published since the process started', (r) => r.published);
    counter(
      'relay_dead_lettered_events_total',
      'Events sent to the dead-letter topic since the process started',
      (r) => r.deadLettered,
    );
  }

  /** The port it listens on (RELAY_HTTP_PORT=0 picks one). */
  get port(): number | undefined {
    return (this.server?.address() as AddressInfo | null)?.port;
  }

  async onApplicationBootstrap(): Promise<void> {
    const port = this.config.relay.httpPort;
    if (port === undefined) return;
    this.server = createServer((request, response) => {
      void this.answer(request.url ?? '/', response).catch(() => {
        response.statusCode = 500;
        response.end();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(port, this.config.relay.httpHost, resolve));
    this.logger.log(`/health and /metrics on ${this.config.relay.httpHost}:${this.port}`);
  }

  async onApplicationShutdown(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => (this.server ? this.server.close(resolve) : resolve(undefined)));
  }

  private async answer(url: string, response: import('node:http').ServerResponse): Promise<void> {
    const path = url.split('?')[0];
    if (path === '/health') {
      const report = this.relay.report;
      response.statusCode = !report || report.health.status === 'ok' ? 200 : 503;
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify(report ?? { state: 'starting' }));
      return;
    }
    if (path === '/metrics') {
      response.setHeader('content-type', this.registry.contentType);
      response.end(await this.registry.metrics());
      return;
    }
    response.statusCode = 404;
    response.end();
  }
}
