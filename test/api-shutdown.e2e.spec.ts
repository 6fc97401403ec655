import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@app/event-store';
import { ADMIN, TEST_SECRET, mintToken } from './support/api-harness';

/**
 * The API as `npm start` runs it (apps/api/src/main.ts, a real SQLite file), stopped with
 * SIGTERM while writes are in flight: every acknowledged write is in the store, and no request
 * is cut once accepted (each got its response, or its connection was refused or reset before
 * the server read it, leaving no trace in the log or the store).
 */
const ROOT = join(__dirname, '..');
const REGISTER_TS = join(__dirname, 'support', 'register-ts.js');
const API_MAIN = join(ROOT, 'apps', 'api', 'src', 'main.ts');
const WRITERS = 12;
const ACKS_BEFORE_SIGTERM = 60;

type LogLine = Record<string, unknown>;

interface RunningProcess {
  child: ChildProcess;
  port: number;
  lines: LogLine[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

async function startApiProcess(dataDir: string, env: NodeJS.ProcessEnv = {}): Promise<RunningProcess> {
  const child = spawn('node', ['--require', REGISTER_TS, API_MAIN], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      PORT: '0',
      AUTH_JWT_SECRET: TEST_SECRET,
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: LogLine[] = [];
  let stderr = '';
  let partial = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const port = await new Promise<number>((resolve, reject) => {
    child.stderr!.on('data', (chunk) => (stderr += chunk));
    child.stdout!.on('data', (chunk: Buffer) => {
      const text = partial + chunk.toString('utf8');
      const complete = text.split('\n');
      partial = complete.pop() ?? '';
      for (const raw of complete.filter(Boolean)) {
        const line = JSON.parse(raw) as LogLine;
        lines.push(line);
        if (typeof line.msg === 'string' && line.msg.startsWith('listening')) resolve(line.port as number);
      }
    });
    void exited.then(({ code }) =>
      reject(new Error(`the API exited with ${code} before listening: ${stderr}`)),
    );
  });
  return { child, port, lines, exited };
}

/** Resolves once the process has written a line with this message. */
async function logged(api: RunningProcess, msg: string): Promise<void> {
  while (!api.lines.some((line) => line.msg === msg)) {
    if (api.child.exitCode !== null) throw new Error(`exited before logging "${msg}"`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A request whose body never finishes arriving: in flight until the server gives up on it. */
function stalledRequest(port: number): { sent: Promise<void>; abort(): void } {
  const request = httpRequest({
    host: '127.0.0.1',
    port,
    path: '/api/v1/zones',
    method: 'POST',
    agent: false,
    headers: { 'Content-Type': 'application/json', 'Content-Length': 1000 },
  });
  request.on('error', () => undefined);
  request.flushHeaders();
  const sent = new Promise<void>((resolve) => request.write('{"id":', () => resolve()));
  return { sent, abort: () => request.destroy() };
}

type Outcome =
  | { kind: 'answered'; status: number; requestId: string; projectId: string }
  | { kind: 'refused' | 'reset'; code: string; requestId: string; projectId: string };

/** One POST on a connection of its own (no keep-alive), so each request is accepted or not on its own. */
function post(port: number, path: string, body: unknown, requestId: string): Promise<Outcome> {
  const projectId = (body as { projectId?: string }).projectId ?? '';
  const payload = JSON.stringify(body);
  return new Promise((resolve) => {
    const request = httpRequest(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        agent: false,
        headers: {
          'Content-Type': 'application/json',
          'Content-Length': Buffer.byteLength(payload),
          Authorization: `Bearer ${mintToken(ADMIN)}`,
          'X-Request-Id': requestId,
        },
      },
      (response) => {
        response.resume();
        response.on('end', () =>
          resolve({ kind: 'answered', status: response.statusCode ?? 0, requestId, projectId }),
        );
      },
    );
    request.on('error', (error: NodeJS.ErrnoException) =>
      resolve({
        kind: error.code === 'ECONNREFUSED' ? 'refused' : 'reset',
        code: error.code ?? error.message,
        requestId,
        projectId,
      }),
    );
    request.end(payload);
  });
}

const zone = { id: 'z-1', name: '开发区', cityId: 'c-1', category: 'industrial', level: 'provincial' };
const signing = (projectId: string) => ({
  projectId,
  name: `项目${projectId}`,
  enterprise: 'e',
  zoneId: zone.id,
  totalInvestmentWan: 100_000,
  industrial: true,
  signedOn: '2023-02-22',
});

describe('API: SIGTERM', () => {
  const dirs: string[] = [];
  const children: ChildProcess[] = [];
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'plt-shutdown-'));
    dirs.push(dir);
    return dir;
  };

  afterAll(() => {
    for (const child of children)
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('under load: drains, keeps every acknowledged write, cuts no accepted request, logs it', async () => {
    // given an API taking writes from concurrent clients
    const dataDir = tempDir();
    const api = await startApiProcess(dataDir);
    children.push(api.child);
    expect(await post(api.port, '/api/v1/zones', zone, 'zone')).toMatchObject({ status: 201 });
    const outcomes: Outcome[] = [];
    let acknowledged = 0;
    let signalled!: () => void;
    const enoughAcks = new Promise<void>((resolve) => (signalled = resolve));
    const writer = async (w: number) => {
      for (let i = 0; ; i++) {
        const outcome = await post(api.port, '/api/v1/projects', signing(`p-${w}-${i}`), `w${w}-${i}`);
        outcomes.push(outcome);
        if (outcome.kind === 'answered' && outcome.status === 201 && ++acknowledged >= ACKS_BEFORE_SIGTERM)
          signalled();
        if (outcome.kind === 'refused') return;
      }
    };
    const writers = Array.from({ length: WRITERS }, (_, w) => writer(w));

    // when SIGTERM arrives with writes in flight
    await enoughAcks;
    api.child.kill('SIGTERM');
    const exit = await api.exited;
    await Promise.all(writers);

    // then the process exited cleanly after saying so
    expect(exit).toEqual({ code: 0, signal: null });
    const messages = api.lines.map((line) => line.msg);
    expect(messages).toEqual(
      expect.arrayContaining(['shutting down: draining requests in flight', 'drained; closing', 'stopped']),
    );
    // every answer was a success (nothing failed half-way), and the writers went on until refused
    const answered = outcomes.filter((outcome) => outcome.kind === 'answered');
    expect(answered.filter((outcome) => outcome.status !== 201)).toEqual([]);
    expect(outcomes.filter((outcome) => outcome.kind === 'refused')).toHaveLength(WRITERS);
    // every acknowledged write is in the store
    const store = SqliteEventStore.open({ file: join(dataDir, 'events.sqlite') });
    try {
      const stored = new Set((await store.readAll()).map((event) => event.streamId));
      const missing = answered.filter((outcome) => !stored.has(`project-${outcome.projectId}`));
      expect(missing).toEqual([]);
      // a request without an answer left no trace: the server never read it
      const unanswered = outcomes.filter((outcome) => outcome.kind !== 'answered');
      const handled = new Set(api.lines.map((line) => line.requestId));
      expect(unanswered.filter((outcome) => handled.has(outcome.requestId))).toEqual([]);
      expect(unanswered.filter((outcome) => stored.has(`project-${outcome.projectId}`))).toEqual([]);
    } finally {
      await store.close();
    }
    // requests were in flight when the signal came: some were answered after it
    const signalAt = messages.indexOf('shutting down: draining requests in flight');
    const completedAfter = api.lines
      .slice(signalAt)
      .filter((line) => line.msg === 'request completed' && line.status === 201);
    expect(completedAfter.length).toBeGreaterThan(0);
  }, 60_000);

  it('exits at once, with 1, on a second SIGTERM while a request is still in flight', async () => {
    // given a request that keeps the drain waiting
    const api = await startApiProcess(tempDir(), { SHUTDOWN_TIMEOUT_MS: '60000' });
    children.push(api.child);
    const stalled = stalledRequest(api.port);
    await stalled.sent;
    try {
      api.child.kill('SIGTERM');
      await logged(api, 'shutting down: draining requests in flight');
      // when
      api.child.kill('SIGTERM');
      // then
      expect(await api.exited).toEqual({ code: 1, signal: null });
      expect(api.lines.map((line) => line.msg)).toContain('second signal during shutdown: exiting now');
      expect(api.lines.map((line) => line.msg)).not.toContain('stopped');
    } finally {
      stalled.abort();
    }
  }, 60_000);

  it('exits with 1 when draining takes longer than SHUTDOWN_TIMEOUT_MS', async () => {
    // given
    const api = await startApiProcess(tempDir(), { SHUTDOWN_TIMEOUT_MS: '500' });
    children.push(api.child);
    const stalled = stalledRequest(api.port);
    await stalled.sent;
    try {
      // when
      api.child.kill('SIGTERM');
      // then
      expect(await api.exited).toEqual({ code: 1, signal: null });
      const messages = api.lines.map((line) => line.msg);
      expect(messages).toContain('shutdown timed out: exiting with work still in flight');
      expect(messages).not.toContain('drained; closing');
    } finally {
      stalled.abort();
    }
  }, 60_000);
});
