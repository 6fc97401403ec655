import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { AppendReport, EventStoreObserver } from '@app/event-store';
import { RelayReport, judgeRelayReport } from '@app/messaging';

/** Appends per group commit: 1 when idle, up to the requests of one event-loop tick under load. */
const GROUP_SIZE_BUCKETS = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512];

/** What the scrape reads from the running application (the store, projections, relay file). */
export interface MetricsSources {
  headPosition(): Promise<number>;
  projectionPosition(): number;
  projectionCaughtUp(): boolean;
  eventsByType(): ReadonlyMap<string, number>;
  /** Bytes the store's files take (embedded store), undefined when not known. */
  storeSizeBytes(): Promise<number | undefined>;
  /** The relay's last status file (embedded store), undefined when there is none. */
  relayStatus(): Promise<RelayStatusFile | undefined>;
}

export type RelayStatusFile = RelayReport;

/**
 * The API's Prometheus series (README.md "Metrics"), in a registry of its own so that several
 * applications in one process (tests) do not share counters.
 */
export class TrackerMetrics {
  readonly registry = new Registry();
  private sources?: MetricsSources;

  private readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP requests by method, route pattern and status: rate from _count, latency from the buckets',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  private readonly appendDuration = new Histogram({
    name: 'event_store_append_duration_seconds',
    help: 'From an append call until it is durable (or refused), group-commit wait included',
    labelNames: ['outcome'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
    registers: [this.registry],
  });

  private readonly appendedEvents = new Counter({
    name: 'event_store_appended_events_total',
    help: 'Events appended through this process, by type',
    labelNames: ['type'] as const,
    registers: [this.registry],
  });

  private readonly groupSize = new Histogram({
    name: 'event_store_group_commit_appends',
    help: 'Appends committed together in one transaction and fsync (embedded store)',
    buckets: GROUP_SIZE_BUCKETS,
    registers: [this.registry],
  });

  private readonly groupDuration = new Histogram({
    name: 'event_store_group_commit_duration_seconds',
    help: 'How long one group commit (transaction and fsync) took (embedded store)',
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
    // In collect(), `this` is the gauge: the sources are read through this arrow.
    const sources = () => this.sources;
    new Gauge({
      name: 'event_store_head_position',
      help: 'Global position of the last event in $all',
      registers: [this.registry],
      async collect() {
        const from = sources();
        if (from) this.set(await from.headPosition());
      },
    });
    new Gauge({
      name: 'projection_position',
      help: 'Last $all position the in-memory projections have applied',
      registers: [this.registry],
      collect() {
        const from = sources();
        if (from) this.set(from.projectionPosition());
      },
    });
    new Gauge({
      name: 'projection_lag_positions',
      help: 'Head position minus projection position (events on the embedded store)',
      registers: [this.registry],
      async collect() {
        const from = sources();
        if (!from) return;
        const head = await from.headPosition();
        this.set(Math.max(0, head - from.projectionPosition()));
      },
    });
    new Gauge({
      name: 'projection_caught_up',
      help: '1 once the projections have caught up with the store at start-up',
      registers: [this.registry],
      collect() {
        const from = sources();
        if (from) this.set(from.projectionCaughtUp() ? 1 : 0);
      },
    });
    new Gauge({
      name: 'event_store_events',
      help: 'Events in the store by type, as the projections have applied them',
      labelNames: ['type'] as const,
      registers: [this.registry],
      collect() {
        const from = sources();
        if (!from) return;
        this.reset();
        for (const [type, count] of from.eventsByType()) this.set({ type }, count);
      },
    });
    new Gauge({
      name: 'event_store_size_bytes',
      help: "Bytes the embedded store's files take (database and write-ahead log)",
      registers: [this.registry],
      async collect() {
        const size = await sources()?.storeSizeBytes();
        if (size !== undefined) this.set(size);
      },
    });
    this.relayGauges();
  }

  /** Connects the scrape-time series to the running application. */
  observe(sources: MetricsSources): void {
    this.sources = sources;
  }

  requestFinished(method: string, route: string, status: number, seconds: number): void {
    this.httpDuration.observe({ method, route, status: String(status) }, seconds);
  }

  /** Feeds the append and group-commit series from the store. */
  readonly storeObserver: EventStoreObserver = {
    appendSettled: (report: AppendReport) => {
      const outcome = !report.outcome ? 'refused' : report.outcome.written ? 'written' : 'retry';
      this.appendDuration.observe({ outcome }, report.seconds);
      if (report.outcome?.written) {
        for (const event of report.events) this.appendedEvents.inc({ type: event.type });
      }
    },
    groupCommitted: (group) => {
      this.groupSize.observe(group.appends);
      this.groupDuration.observe(group.seconds);
    },
  };

  /**
   * The relay runs in its own process; on the embedded store it reports through a file. The
   * series carry the reporting relay's `role` (leader or standby) and are absent without a file.
   */
  private relayGauges(): void {
    const sources = () => this.sources;
    const fromStatus = (
      name: string,
      help: string,
      value: (status: RelayStatusFile) => number | null | undefined,
    ) =>
      new Gauge({
        name,
        help,
        labelNames: ['role'] as const,
        registers: [this.registry],
        async collect() {
          this.reset();
          const status = await sources()?.relayStatus();
          const current = status ? value(status) : undefined;
          if (status && current !== null && current !== undefined) {
            this.set({ role: status.leader ? 'leader' : 'standby' }, current);
          }
        },
      });
    fromStatus('relay_position', 'Last $all position the relay has published to Kafka', (s) => s.position);
    fromStatus('relay_lag_positions', 'Head position minus the relay position', (s) => s.lag);
    fromStatus('relay_published_events', 'Events the leading relay has published since it started', (s) =>
      s.leader ? s.published : null,
    );
    fromStatus(
      'relay_dead_lettered_events',
      'Events the relay sent to the dead-letter topic since it started',
      (s) => (s.leader ? (s.deadLettered ?? 0) : null),
    );
    fromStatus('relay_healthy', '1 when the relay is green; 0 when stuck, lagging, refused or silent', (s) =>
      judgeRelayReport(s, new Date()).status === 'ok' ? 1 : 0,
    );
    fromStatus(
      'relay_stuck',
      '1 while the relay has failed for longer than RELAY_STUCK_AFTER_MS, or refused',
      (s) => (['stuck', 'refused'].includes(judgeRelayReport(s, new Date()).status) ? 1 : 0),
    );
    fromStatus(
      'relay_status_age_seconds',
      'Seconds since the relay last wrote its status (it writes every 5 s while running)',
      (s) => (Date.now() - Date.parse(s.at)) / 1000,
    );
  }
}
