import { DestinationStream } from 'pino';
import { LogLevel } from '@app/config';

export const OBSERVABILITY_OPTIONS = Symbol('OBSERVABILITY_OPTIONS');
/** The process's root pino logger (request-independent lines: start, shutdown, writes). */
export const ROOT_LOGGER = Symbol('ROOT_LOGGER');

export interface ObservabilityOptions {
  logLevel: LogLevel;
  dataDir: string;
  eventStore: 'embedded' | 'eventstoredb';
  metricsToken?: string;
  /** Where log lines go instead of stdout (tests read them back). */
  logDestination?: DestinationStream;
}
