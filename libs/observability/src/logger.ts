import pino, { DestinationStream, Logger } from 'pino';
import { LogLevel } from '@app/config';

export interface LoggerOptions {
  /** LOG_LEVEL: the least severe level written. */
  level: LogLevel;
  /** Which process writes (api, relay): every line carries it as `service`. */
  service: string;
  /** Where lines go; default stdout. Tests pass a stream to read the lines back. */
  destination?: DestinationStream;
  /**
   * Which standard stream, when no destination is given: the CLI logs to stderr, so its
   * stdout stays the command's answer. Written synchronously there (a short-lived process).
   */
  stream?: 'stdout' | 'stderr';
}

/**
 * The processes' one logger: a JSON object per line with an ISO-8601 `time` and the `level`
 * by name, so files and log shippers read it as is. On a terminal (development) pino-pretty
 * formats it for reading; it is a development dependency, so production images write JSON.
 */
export function createLogger(options: LoggerOptions): Logger {
  const settings = {
    level: options.level,
    base: { service: options.service, pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
  };
  if (options.destination) return pino(settings, options.destination);
  const stderr = options.stream === 'stderr';
  const fd = stderr ? 2 : 1;
  if ((stderr ? process.stderr : process.stdout).isTTY === true && prettyPrinterInstalled()) {
    return pino({
      ...settings,
      transport: {
        target: 'pino-pretty',
        options: { colorize: true, ignore: 'pid,hostname,service', destination: fd },
      },
    });
  }
  // Asynchronous on stdout, so a slow reader does not hold up requests; pino flushes what is
  // buffered synchronously on exit, so the shutdown lines are not lost.
  return pino(settings, pino.destination({ fd, sync: stderr }));
}

function prettyPrinterInstalled(): boolean {
  try {
    require.resolve('pino-pretty');
    return true;
  } catch {
    return false;
  }
}
