import { fork } from 'node:child_process';
import { join } from 'node:path';
import { REPO_DIR } from './bench-deps';

const REGISTER_TS = join(REPO_DIR, 'test', 'support', 'register-ts.js');

/**
 * Runs `module` (a .ts file that calls `serveChild`) in a child Node process, so a load
 * generator or a second writer does not share the measured code's event loop. Sends it `data`
 * and resolves with the one result it sends back.
 */
export function runInChild<T>(module: string, data: object): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const child = fork(module, [], { execArgv: ['--require', REGISTER_TS], stdio: 'inherit' });
    let answered = false;
    child.once('message', (message: { ok: boolean; result?: T; error?: string }) => {
      answered = true;
      if (message.ok) resolve(message.result as T);
      else reject(new Error(`${module}: ${message.error}`));
    });
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (!answered) reject(new Error(`${module} exited (${code ?? signal}) without an answer`));
    });
    child.send(data);
  });
}

/** The child's side of runInChild: receives the data, runs `body`, sends back its result, exits. */
export function serveChild<D, T>(body: (data: D) => Promise<T>): void {
  if (!process.send) return;
  process.once('message', (data: D) => {
    body(data).then(
      (result) => process.send?.({ ok: true, result }, () => process.exit(0)),
      (error: unknown) =>
        process.send?.({ ok: false, error: error instanceof Error ? error.stack : String(error) }, () =>
          process.exit(1),
        ),
    );
  });
}
