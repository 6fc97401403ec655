import 'reflect-metadata';
import { Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { Logger } from 'pino';
import { ConfigError, loadConfig } from '@app/config';
import { CorruptStoreError, MissingStoreError } from '@app/event-store';
import { exitGracefullyOnSignals } from '@app/observability';
import { API_PREFIX, createApp } from './bootstrap';
import { ROOT_LOGGER } from './observability/observability.options';

async function main(): Promise<void> {
  const config = loadConfig();
  const app = await createApp(config);
  const logger = app.get<Logger>(ROOT_LOGGER);
  const server = app.getHttpServer() as Server;
  exitGracefullyOnSignals(logger, config.shutdownTimeoutMs, {
    // Stop accepting connections, close idle keep-alive ones, and wait for every request in
    // flight to be answered: each acknowledged write has been committed by then.
    drain: () => new Promise((resolve) => server.close(() => resolve())),
    // Then the projections' subscription stops and the store flushes its group and closes.
    close: () => app.close(),
  });
  await app.listen(config.port);
  const { port } = server.address() as AddressInfo;
  logger.info(
    { port, store: config.eventStore, dataDir: config.dataDir },
    `listening on http://localhost:${port}/${API_PREFIX} (docs: /api/docs, metrics: /metrics)`,
  );
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(`configuration error: ${error.message}`);
  } else if (error instanceof CorruptStoreError || error instanceof MissingStoreError) {
    console.error(`refusing to start: ${error.message}\n(\`npm run cli -- check\` lists every finding)`);
  } else {
    console.error(error);
  }
  process.exit(1);
});
