import { ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { TrackerConfig, loadConfig } from '@app/config';
import { REPO_DIR } from './bench-deps';

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

/** A port free on 127.0.0.1 now (for an API in a child process, which needs it before it starts). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/**
 * The API in its own process (bench/parts/console-api.child.ts, `npm start`'s bootstrap) on
 * `dataDir` at `port`, in production mode with errors-only logs; `env` adds or overrides.
 */
export function spawnApiChild(dataDir: string, port: number, env: NodeJS.ProcessEnv = {}): ChildProcess {
  const child = spawn(
    process.execPath,
    [
      '--require',
      join(REPO_DIR, 'test/support/register-ts.js'),
      join(REPO_DIR, 'bench/parts/console-api.child.ts'),
    ],
    {
      cwd: REPO_DIR,
      env: {
        ...process.env,
        DATA_DIR: dataDir,
        PORT: String(port),
        AUTH_JWT_SECRET: BENCH_SECRET,
        NODE_ENV: 'production',
        LOG_LEVEL: 'error',
        ...env,
      },
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
  // A bench that dies of an uncaught error must not leave its API running (and loading the
  // machine for the next run, as one did).
  const kill = () => child.kill('SIGKILL');
  process.once('exit', kill);
  child.once('exit', () => process.off('exit', kill));
  return child;
}
