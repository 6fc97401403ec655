import { Logger } from 'pino';

export interface ShutdownSteps {
  /** Stop taking work and wait for the work in flight (HTTP: close the listener, drain requests). */
  drain?(): Promise<void>;
  /** Then release everything else (subscriptions, group commit, the store). */
  close(): Promise<void>;
}

/**
 * On SIGTERM or SIGINT: drain, close, log and exit 0. A second signal, or SHUTDOWN_TIMEOUT_MS
 * passing first, exits 1 at once with a log line saying so. `exit` is process.exit outside
 * tests.
 */
export function exitGracefullyOnSignals(
  logger: Logger,
  timeoutMs: number,
  steps: ShutdownSteps,
  exit: (code: number) => void = (code) => process.exit(code),
): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal during shutdown: exiting now');
      exit(1);
      return;
    }
    stopping = true;
    const started = performance.now();
    logger.info({ signal, timeoutMs }, 'shutting down: draining requests in flight');
    const timer = setTimeout(() => {
      logger.error({ timeoutMs }, 'shutdown timed out: exiting with work still in flight');
      exit(1);
    }, timeoutMs);
    (async () => {
      await steps.drain?.();
      logger.info({ durationMs: Math.round(performance.now() - started) }, 'drained; closing');
      await steps.close();
    })().then(
      () => {
        clearTimeout(timer);
        logger.info({ durationMs: Math.round(performance.now() - started) }, 'stopped');
        exit(0);
      },
      (error: unknown) => {
        clearTimeout(timer);
        logger.error({ err: error }, 'shutdown failed');
        exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
