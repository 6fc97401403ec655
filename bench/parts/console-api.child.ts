/**
 * The API for the console part, in its own process: the same bootstrap as `npm start`
 * (apps/api/src/main.ts), listening on 127.0.0.1 only.
 */
import 'reflect-metadata';
import { loadConfig } from '@app/config';
import { createApp } from '../../apps/api/src/bootstrap';

async function main(): Promise<void> {
  const config = loadConfig();
  const app = await createApp(config);
  await app.listen(config.port, '127.0.0.1');
  process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
