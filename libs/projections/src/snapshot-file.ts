import { open, readFile, readdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { ReadModelCut } from './lifecycle-read-model';
import {
  LoadedSnapshot,
  SnapshotExpectation,
  SnapshotRejected,
  readSnapshot,
  snapshotLines,
} from './read-model-snapshot';

/** The read model's snapshot in DATA_DIR. */
export const SNAPSHOT_FILE = 'read-model.snapshot';

/** Bytes gathered before each write: the event loop runs between writes. */
const CHUNK_BYTES = 1 << 20;

export interface WrittenSnapshot {
  path: string;
  position: number;
  events: number;
  bytes: number;
  milliseconds: number;
}

/**
 * Writes a cut atomically: to a temporary file in the same directory, fsync'd, then renamed
 * over the previous snapshot and the directory fsync'd, so a crash leaves the old snapshot or
 * the new one, never half of one. Written in chunks with the event loop free in between; the
 * cut stays consistent meanwhile (LifecycleReadModel.cut).
 */
export async function writeSnapshotFile(
  path: string,
  cut: ReadModelCut,
  storeId: string,
  now = new Date(),
): Promise<WrittenSnapshot> {
  const started = performance.now();
  const prefix = `.${basename(path)}.`;
  // A process stopped mid-write (killed, or past its shutdown timeout) leaves its temporary file.
  for (const name of await readdir(dirname(path)))
    if (name.startsWith(prefix) && name.endsWith('.tmp'))
      await rm(join(dirname(path), name), { force: true });
  const temporary = join(dirname(path), `${prefix}${process.pid}.tmp`);
  const file = await open(temporary, 'w');
  let bytes = 0;
  try {
    let chunk: string[] = [];
    let size = 0;
    for (const line of snapshotLines(cut, storeId, now)) {
      chunk.push(line);
      size += line.length;
      if (size >= CHUNK_BYTES) {
        bytes += (await file.write(chunk.join(''))).bytesWritten;
        chunk = [];
        size = 0;
      }
    }
    bytes += (await file.write(chunk.join(''))).bytesWritten;
    await file.sync();
  } catch (error) {
    await file.close();
    await rm(temporary, { force: true });
    throw error;
  }
  await file.close();
  await rename(temporary, path);
  const directory = await open(dirname(path), 'r');
  try {
    await directory.sync();
  } finally {
    await directory.close();
  }
  return {
    path,
    position: cut.checkpoint.after,
    events: cut.events,
    bytes,
    milliseconds: Math.round(performance.now() - started),
  };
}

export type SnapshotLoad =
  | { outcome: 'loaded'; snapshot: LoadedSnapshot; milliseconds: number }
  | { outcome: 'none' }
  | { outcome: 'ignored'; reason: string };

/** The snapshot at `path` if there is one and it may be trusted (readSnapshot says when not). */
export async function loadSnapshotFile(path: string, expected: SnapshotExpectation): Promise<SnapshotLoad> {
  const started = performance.now();
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { outcome: 'none' };
    return { outcome: 'ignored', reason: `unreadable: ${String(error)}` };
  }
  try {
    const snapshot = readSnapshot(bytes, expected);
    return { outcome: 'loaded', snapshot, milliseconds: Math.round(performance.now() - started) };
  } catch (error) {
    if (error instanceof SnapshotRejected) return { outcome: 'ignored', reason: error.message };
    return { outcome: 'ignored', reason: `unreadable: ${String(error)}` };
  }
}
