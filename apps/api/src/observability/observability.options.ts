import { DestinationStream } from 'pino';
import { LogLevel, TrackerConfig } from '@app/config';

export const OBSERVABILITY_OPTIONS = Symbol('OBSERVABILITY_OPTIONS');
/** The process's root pino logger (request-independent lines: start, shutdown, writes). */
export const ROOT_LOGGER = Symbol('ROOT_LOGGER');

export interface ObservabilityOptions {
  logLevel: LogLevel;
  dataDir: string;
  eventStore: TrackerConfig['eventStore'];
  metricsToken?: string;
  /** Where log lines go instead of stdout (tests read them back). */
  logDestination?: DestinationStream;
}
