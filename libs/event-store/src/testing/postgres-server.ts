import { execFileSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { chownSync, existsSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';

/**
 * A real PostgreSQL server for the tests. TEST_DATABASE_URL names one to use (databases are
 * created in it); otherwise each test file starts its own cluster from Debian's binaries
 * (`/usr/lib/postgresql/<version>/bin`, or PG_BIN_DIR) in a temp dir on 127.0.0.1 and a free
 * port, as an unprivileged user (initdb refuses root), and stops it afterwards. Without
 * binaries the suites are skipped with a message, except under CI=true, where they fail.
 */
export interface PostgresServer {
  /** URL of the server's `postgres` database (superuser, trust authentication for a local cluster). */
  url: string;
  /** Creates an empty database and returns its URL. */
  createDatabase(name?: string): Promise<string>;
  stop(): Promise<void>;
}

const DEFAULT_BIN_ROOT = '/usr/lib/postgresql';

/** Where the server comes from, or why there is none (under CI=true, no server throws). */
export function postgresForTests(): { url: string } | { binDir: string } | undefined {
  const url = process.env.TEST_DATABASE_URL;
  if (url) return { url };
  const binDir = findBinDir();
  if (binDir) return { binDir };
  const why =
    'no PostgreSQL server binaries (initdb, pg_ctl) in PG_BIN_DIR or /usr/lib/postgresql/*/bin, ' +
    'and TEST_DATABASE_URL is not set';
  if (process.env.CI) throw new Error(`CI=true but ${why}: .ci/run must install postgresql`);
  console.warn(`PostgreSQL tests skipped: ${why}. Install one with \`apt-get install -y postgresql\`.`);
  return undefined;
}

/** `describe` when a server can be had, `describe.skip` (after saying why) otherwise. */
export function describeWithPostgres(name: string, body: (server: () => PostgresServer) => void): void {
  const source = postgresForTests();
  (source ? describe : describe.skip)(name, () => {
    let server: PostgresServer | undefined;
    beforeAll(async () => {
      server = await startPostgres();
    }, 60_000);
    afterAll(() => server?.stop(), 60_000);
    body(() => {
      if (!server) throw new Error('the PostgreSQL server has not started');
      return server;
    });
  });
}

/**
 * Connects to TEST_DATABASE_URL, or starts a throwaway cluster. `durable: false` turns fsync
 * off in that cluster, for suites that test the API's behaviour rather than durability.
 */
export async function startPostgres(options: { durable?: boolean } = {}): Promise<PostgresServer> {
  const source = postgresForTests();
  if (!source) throw new Error('no PostgreSQL server available');
  if ('url' in source)
    return {
      url: source.url,
      createDatabase: (name) => createDatabase(source.url, name),
      stop: async () => undefined,
    };
  return startLocalCluster(source.binDir, options.durable ?? true);
}

function findBinDir(): string | undefined {
  const candidates = process.env.PG_BIN_DIR
    ? [process.env.PG_BIN_DIR]
    : existsSync(DEFAULT_BIN_ROOT)
      ? readdirSync(DEFAULT_BIN_ROOT)
          .filter((version) => /^\d+$/.test(version))
          .sort((a, b) => Number(b) - Number(a))
          .map((version) => join(DEFAULT_BIN_ROOT, version, 'bin'))
      : [];
  return candidates.find((dir) => existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl')));
}

/** When running as root, the user the cluster runs as: `postgres` if it exists, else `nobody`. */
function unprivilegedUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const users = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .map((line) => line.split(':'))
    .filter((fields) => fields.length >= 4);
  const user =
    users.find((fields) => fields[0] === 'postgres') ?? users.find((fields) => fields[0] === 'nobody');
  if (!user)
    throw new Error(
      'running as root, but there is neither a postgres nor a nobody user to run PostgreSQL as',
    );
  return { uid: Number(user[2]), gid: Number(user[3]) };
}

async function startLocalCluster(binDir: string, durable: boolean): Promise<PostgresServer> {
  const user = unprivilegedUser();
  const dir = mkdtempSync(join(tmpdir(), 'plt-postgres-'));
  const dataDir = join(dir, 'data');
  if (user) chownSync(dir, user.uid, user.gid);
  copyTemplate(binDir, dataDir, user);
  const port = await freePort();
  const run = (args: string[]) =>
    execFileSync(join(binDir, 'pg_ctl'), args, { ...user, stdio: ['ignore', 'ignore', 'pipe'] });
  try {
    run([
      'start',
      '--wait',
      '--silent',
      '-D',
      dataDir,
      '-l',
      join(dir, 'server.log'),
      '-o',
      `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c fsync=${durable ? 'on' : 'off'}`,
    ]);
  } catch (error) {
    const log = existsSync(join(dir, 'server.log')) ? readFileSync(join(dir, 'server.log'), 'utf8') : '';
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`pg_ctl start failed: ${String(error)}\n${log}`);
  }
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  let stopped = false;
  return {
    url,
    createDatabase: (name) => createDatabase(url, name),
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await new Promise<void>((resolve) => {
        const child = spawn(
          join(binDir, 'pg_ctl'),
          ['stop', '--wait', '--silent', '-m', 'fast', '-D', dataDir],
          {
            ...user,
            stdio: 'ignore',
          },
        );
        child.on('exit', () => resolve());
        child.on('error', () => resolve());
      });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * initdb takes seconds; its result is the same every time, so it runs once per machine and
 * version into a template that each cluster copies.
 */
function copyTemplate(binDir: string, dataDir: string, user: { uid: number; gid: number } | undefined): void {
  const version = execFileSync(join(binDir, 'pg_ctl'), ['--version'], { encoding: 'utf8' })
    .trim()
    .replace(/\W+/g, '-');
  const template = join(tmpdir(), `plt-postgres-template-${version}-${user?.uid ?? process.getuid?.() ?? 0}`);
  if (!existsSync(join(template, 'PG_VERSION'))) {
    const building = mkdtempSync(join(tmpdir(), 'plt-postgres-initdb-'));
    if (user) chownSync(building, user.uid, user.gid);
    const target = join(building, 'data');
    execFileSync(
      join(binDir, 'initdb'),
      ['-D', target, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8', '--no-instructions'],
      { ...user, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    try {
      // Another test process may have built it meanwhile: the first rename wins.
      renameSync(target, template);
    } catch {
      // The template exists now; ours is discarded.
    }
    rmSync(building, { recursive: true, force: true });
  }
  // cp -a keeps the owner and the 0700 mode PostgreSQL insists on.
  execFileSync('cp', ['-a', template, dataDir]);
}

async function createDatabase(
  url: string,
  name = `plt_${randomUUID().replace(/-/g, '').slice(0, 16)}`,
): Promise<string> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
  } finally {
    await client.end();
  }
  const target = new URL(url);
  target.pathname = `/${name}`;
  return target.toString();
}

/** A port nothing listens on now (the OS picks it), for the server to bind right after. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}
