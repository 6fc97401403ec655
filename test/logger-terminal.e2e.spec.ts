import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Logs are JSON lines unless the stream is a terminal, where pino-pretty formats them. A
 * terminal comes from util-linux's `script` (a pseudo-terminal); without it the terminal case
 * is skipped with a message.
 */
const ROOT = join(__dirname, '..');
const SCRIPT = '/usr/bin/script';
const LOG_ONE_LINE =
  "require('./libs/observability/src/logger')" +
  ".createLogger({ level: 'info', service: 'api', stream: process.env.LOG_STREAM })" +
  ".info({ probe: 1 }, 'hello')";
const NODE = `${process.execPath} --require ./test/support/register-ts.js -e "${LOG_ONE_LINE}"`;
/** The escape that starts an ANSI colour sequence. */
const ANSI = `${String.fromCharCode(27)}[`;

function run(command: string, stream: 'stdout' | 'stderr'): string {
  const result = spawnSync('bash', ['-c', command], {
    cwd: ROOT,
    env: { ...process.env, LOG_STREAM: stream },
    encoding: 'utf8',
  });
  expect(result.status).toBe(0);
  return result.stdout;
}

describe('log output', () => {
  it.each(['stdout', 'stderr'] as const)('is one JSON line on a piped %s', (stream) => {
    const output = run(stream === 'stdout' ? NODE : `${NODE} 2>&1 >/dev/null`, stream);

    const lines = output.trim().split('\n');
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0]) as Record<string, unknown>;
    expect(line).toMatchObject({ level: 'info', service: 'api', msg: 'hello', probe: 1 });
    expect(new Date(line.time as string).toISOString()).toBe(line.time);
    expect(output).not.toContain(ANSI);
  });

  const onTerminal = existsSync(SCRIPT) ? it.each : it.skip.each;
  if (!existsSync(SCRIPT))
    console.warn(`terminal log test skipped: no ${SCRIPT} (util-linux) for a pseudo-terminal`);
  onTerminal(['stdout', 'stderr'] as const)('is pretty-printed when %s is a terminal', (stream) => {
    const inner = stream === 'stdout' ? NODE : `${NODE} 2>&1 >/dev/null`;
    const output = run(`${SCRIPT} -qec '${inner.replace(/'/g, "'\\''")}' /dev/null`, stream);

    expect(output).toContain(ANSI);
    expect(output).toContain('hello');
    expect(output).not.toContain('"level"');
  });
});
