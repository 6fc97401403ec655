/**
 * `npm run build`: the API (tsc, then tsc-alias) and the console (vite) side by side, since
 * neither needs the other's output; prints how long each took (bench/README.md "Start-up").
 */
import { spawn } from 'node:child_process';

const children = new Set();

function step(name, command, args) {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const child = spawn(command, args, { stdio: 'inherit', shell: process.platform === 'win32' });
    children.add(child);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      children.delete(child);
      if (code !== 0) return reject(new Error(`build: ${name} failed (${signal ?? `exit ${code}`})`));
      console.log(`build: ${name} ${((Date.now() - started) / 1000).toFixed(1)} s`);
      resolve();
    });
  });
}

const started = Date.now();
Promise.all([
  step('api (tsc)', 'tsc', ['-p', 'tsconfig.build.json']).then(() =>
    step('api (tsc-alias)', 'tsc-alias', ['-p', 'tsconfig.build.json']),
  ),
  step('console (vite)', 'vite', ['build', '--config', 'apps/console/vite.config.ts', '--logLevel', 'warn']),
]).then(
  () => console.log(`build: done in ${((Date.now() - started) / 1000).toFixed(1)} s`),
  (error) => {
    console.error(error.message);
    for (const child of children) child.kill('SIGTERM');
    process.exitCode = 1;
  },
);
