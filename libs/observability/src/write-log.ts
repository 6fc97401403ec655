import { Logger } from 'pino';
import { AppendReport, EventMetadata, EventStoreObserver } from '@app/event-store';

const NOTIFICATION_ISSUED = 'NotificationIssued';

/**
 * One log line per write (stream, revision, position, event types) and one per notification
 * issued, with the request and correlation ids and the caller's id taken from the events'
 * metadata: the store knows them for every writer (API request, import, CLI). Nothing of the
 * events' data is logged beyond a notification's month, issue number and content hash.
 */
export function writeLogObserver(logger: Logger): EventStoreObserver {
  const log = logger.child({ context: 'EventStore' });
  return {
    appendSettled(report: AppendReport): void {
      const { streamId, events, outcome, error } = report;
      // An import settles thousands of appends at once: build no fields a quieter level drops.
      if (events.length === 0 || !log.isLevelEnabled('info')) return;
      const fields = {
        ...originOf(events[0].metadata),
        streamId,
        eventTypes: events.map((event) => event.type),
        durationMs: Math.round(report.seconds * 1000 * 100) / 100,
      };
      if (!outcome) {
        // Refusals are expected (a concurrent write, retried by the writer): no stack trace.
        log.info({ ...fields, err: summary(error) }, 'append refused');
        return;
      }
      const stored = { ...fields, revision: outcome.nextRevision, position: outcome.position };
      if (!outcome.written) {
        log.info(stored, 'append already stored (retry)');
        return;
      }
      log.info(stored, 'events appended');
      for (const event of events) {
        if (event.type !== NOTIFICATION_ISSUED) continue;
        const data = event.data as { month?: unknown; issue?: unknown; contentHash?: unknown };
        log.info(
          {
            ...originOf(event.metadata),
            streamId,
            position: outcome.position,
            month: data.month,
            issue: data.issue,
            contentHash: data.contentHash,
          },
          'notification issued',
        );
      }
    },
  };
}

function originOf(metadata: EventMetadata): Record<string, unknown> {
  const source = metadata.source as { kind: string; requestId?: string };
  return {
    requestId: source.requestId ?? metadata.causationId,
    correlationId: metadata.correlationId,
    caller: metadata.recordedBy,
    source: source.kind,
  };
}

function summary(error: unknown): { type: string; message: string } {
  return error instanceof Error
    ? { type: error.name, message: error.message }
    : { type: typeof error, message: String(error) };
}
