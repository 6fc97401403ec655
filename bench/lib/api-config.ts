import { TrackerConfig, loadConfig } from '@app/config';

/** The secret the bench's in-process APIs sign their tokens with. */
export const BENCH_SECRET = 'bench-secret-that-is-long-enough-0123456789abcdef';

/**
 * An API in this process on `dataDir`: LOG_LEVEL as given (default errors only, comparable with
 * the figures before JSON logs) and no per-caller rate limit, since the parts measure the API's
 * paths, not its throttler.
 */
export function benchApiConfig(dataDir: string): TrackerConfig {
  return loadConfig({
    DATA_DIR: dataDir,
    PORT: '0',
    AUTH_JWT_SECRET: BENCH_SECRET,
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'error',
    RATE_LIMIT_PER_MINUTE: '0',
    RATE_LIMIT_EXPENSIVE_PER_MINUTE: '0',
  });
}
