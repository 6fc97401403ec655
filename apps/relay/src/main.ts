import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { ConfigError, loadConfig } from '@app/config';
import { exitGracefullyOnSignals } from '@app/observability';
import { RELAY_LOGGER, RelayModule } from './relay.module';

async function main(): Promise<void> {
  const config = loadConfig();
  const app = await NestFactory.createApplicationContext(RelayModule.register(config), { bufferLogs: true });
  app.useLogger(app.get(Logger));
  // On SIGTERM the relay steps down (its last send lands, the lock is released) and closes the store.
  exitGracefullyOnSignals(app.get(RELAY_LOGGER), config.shutdownTimeoutMs, { close: () => app.close() });
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? `configuration error: ${error.message}` : error);
  process.exit(1);
});
