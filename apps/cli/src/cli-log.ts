import { Logger } from 'pino';
import { TrackerConfig } from '@app/config';
import { EventStore, openEventStore } from '@app/event-store';
import { createLogger, writeLogObserver } from '@app/observability';

/**
 * The CLI's log: JSON lines on stderr at LOG_LEVEL, as the API's on stdout, so a write made at
 * the server's console is logged as one made through the API (stdout keeps the command's answer).
 */
export function cliLogger(config: Pick<TrackerConfig, 'logLevel'>): Logger {
  return createLogger({ level: config.logLevel, service: 'cli', stream: 'stderr' });
}

/** Opens the configured store with the API's write log: one line per append. */
export function openLoggedStore(config: TrackerConfig): Promise<EventStore> {
  return openEventStore(config, writeLogObserver(cliLogger(config)));
}
