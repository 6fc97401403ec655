import { execFileSync } from 'node:child_process';
import { statfsSync } from 'node:fs';
import os from 'node:os';
import Database from 'better-sqlite3';
import { REPO_DIR, installedVersion, loadBenchModule } from './bench-deps';

/** Filesystem magic numbers (statfs f_type) worth naming: fsync cost depends on them. */
const FILESYSTEMS: Record<number, string> = {
  0xef53: 'ext2/3/4',
  0x58465342: 'xfs',
  0x9123683e: 'btrfs',
  0x01021994: 'tmpfs',
  0x794c7630: 'overlayfs',
  0x2fc12fc1: 'zfs',
};

export interface MachineInfo {
  hostname: string;
  platform: string;
  release: string;
  arch: string;
  cpus: { count: number; model: string; speedMHz: number };
  memory: { totalGiB: number; freeGiB: number };
  loadAverage: number[];
  node: string;
  v8: string;
  sqlite: { betterSqlite3: string; nodeSqlite3ForEmmett: string | null };
  scratchFilesystem: string;
  git: { commit: string | null; dirty: boolean | null };
}

export function machineInfo(scratchDir: string): MachineInfo {
  const cpus = os.cpus();
  const memory = new Database(':memory:');
  const sqliteVersion = (memory.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v;
  memory.close();
  let emmettSqlite: string | null = null;
  try {
    emmettSqlite = loadBenchModule<{ VERSION: string }>('sqlite3').VERSION;
  } catch {
    emmettSqlite = null;
  }
  let filesystem = 'unknown';
  try {
    const type = Number(statfsSync(scratchDir).type);
    filesystem = FILESYSTEMS[type] ?? `0x${type.toString(16)}`;
  } catch {
    // statfs is not available everywhere; the type is informative only.
  }
  return {
    hostname: os.hostname(),
    platform: os.platform(),
    release: os.release(),
    arch: os.arch(),
    cpus: { count: cpus.length, model: cpus[0]?.model.trim() ?? 'unknown', speedMHz: cpus[0]?.speed ?? 0 },
    memory: {
      totalGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
      freeGiB: Math.round((os.freemem() / 2 ** 30) * 10) / 10,
    },
    loadAverage: os.loadavg().map((load) => Math.round(load * 100) / 100),
    node: process.version,
    v8: process.versions.v8,
    sqlite: { betterSqlite3: sqliteVersion, nodeSqlite3ForEmmett: emmettSqlite },
    scratchFilesystem: filesystem,
    git: gitState(),
  };
}

function gitState(): MachineInfo['git'] {
  try {
    const commit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: REPO_DIR, encoding: 'utf8' }).trim();
    const status = execFileSync('git', ['status', '--porcelain'], { cwd: REPO_DIR, encoding: 'utf8' });
    return { commit, dirty: status.trim().length > 0 };
  } catch {
    return { commit: null, dirty: null };
  }
}

export function packageVersions(): Record<string, string | null> {
  const repo = ['better-sqlite3', 'kafkajs', '@nestjs/core', '@nestjs/platform-express', 'typescript'];
  const bench = ['@event-driven-io/emmett', '@event-driven-io/emmett-sqlite', 'sqlite3', 'autocannon'];
  const versions: Record<string, string | null> = {};
  for (const name of repo) versions[name] = installedVersion(name, 'repo');
  for (const name of bench) versions[name] = installedVersion(name, 'bench');
  return versions;
}
