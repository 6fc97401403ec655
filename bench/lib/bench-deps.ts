import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';

/** bench/ itself: it has its own package.json with the bench-only dependencies. */
export const BENCH_DIR = resolve(__dirname, '..');
export const REPO_DIR = resolve(BENCH_DIR, '..');

const benchRequire = createRequire(join(BENCH_DIR, 'package.json'));
const repoRequire = createRequire(join(REPO_DIR, 'package.json'));

/**
 * Installs bench/package.json's dependencies (Emmett's SQLite store with its sqlite3 peer,
 * autocannon) into bench/node_modules on first run. They never enter the root package.json.
 * sqlite3 is built from source: prebuilt binaries are downloaded from GitHub, which this kind of
 * machine (registries only) cannot reach, so node-gyp compiles it against Node's headers.
 */
export function ensureBenchDependencies(): void {
  const wanted = Object.keys(readPackageJson(join(BENCH_DIR, 'package.json')).dependencies ?? {});
  const missing = wanted.filter((name) => !existsSync(join(BENCH_DIR, 'node_modules', name, 'package.json')));
  if (missing.length === 0) return;
  console.log(
    `bench: installing ${missing.join(', ')} into bench/node_modules (first run; sqlite3 compiles)…`,
  );
  const env: NodeJS.ProcessEnv = { ...process.env, npm_config_build_from_source: 'true' };
  if (!env.npm_config_nodedir && existsSync('/usr/include/node/node.h')) env.npm_config_nodedir = '/usr';
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(npm, ['install', '--prefix', BENCH_DIR, '--no-audit', '--no-fund'], {
    cwd: BENCH_DIR,
    env,
    stdio: 'inherit',
  });
  if (result.status !== 0) {
    throw new Error(`npm install --prefix bench failed (exit ${result.status ?? result.signal})`);
  }
}

/**
 * Loads a bench-only package from bench/node_modules. Not a static import, so that
 * `tsc --noEmit` and ESLint pass where bench/node_modules is absent; callers type what they use.
 */
export function loadBenchModule<T>(name: string): T {
  return benchRequire(name) as T;
}

interface PackageJson {
  version?: string;
  dependencies?: Record<string, string>;
}

function readPackageJson(file: string): PackageJson {
  return JSON.parse(readFileSync(file, 'utf8')) as PackageJson;
}

/** The installed version of a package, from bench/node_modules or the repository's. */
export function installedVersion(name: string, from: 'bench' | 'repo'): string | null {
  const resolver = from === 'bench' ? benchRequire : repoRequire;
  try {
    const entry = resolver.resolve(name);
    // Walk up from the entry point to the package's own package.json.
    let dir = dirname(entry);
    while (dir !== dirname(dir)) {
      const candidate = join(dir, 'package.json');
      if (existsSync(candidate)) {
        const pkg = JSON.parse(readFileSync(candidate, 'utf8')) as PackageJson & { name?: string };
        if (pkg.name === name) return pkg.version ?? null;
      }
      dir = dirname(dir);
    }
  } catch {
    return null;
  }
  return null;
}
