/**
 * The API for the reads part, in its own process (so its RSS is the API's alone): the same
 * bootstrap as `npm start` on the DATA_DIR it is given, listening on 127.0.0.1. Tells the
 * parent its URL and when it began to build the app; answers `rss` with its resident memory.
 */
import 'reflect-metadata';
import { loadConfig } from '@app/config';
import { createApp } from '../../apps/api/src/bootstrap';

async function main(): Promise<void> {
  const startedAt = Date.now();
  const app = await createApp(loadConfig());
  await app.listen(0, '127.0.0.1');
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  process.on('message', (message: string) => {
    if (message === 'rss') process.send?.({ rss: process.memoryUsage().rss });
    if (message === 'close') void app.close().then(() => process.exit(0));
  });
  process.send?.({ url, startedAt });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
