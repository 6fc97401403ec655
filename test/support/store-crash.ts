import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { EventStore, RecordedEvent } from '@app/event-store';
import type { CrashTestData } from './store-crash-writer';

/**
 * The parts of the crash tests every store shares: a writer process killed with SIGKILL
 * mid-append (`store-crash-writer.ts`), and what must hold of the store afterwards.
 */
const ROOT = join(__dirname, '..', '..');
const WRITER = join(__dirname, 'store-crash-writer.ts');
const REGISTER_TS = join(__dirname, 'register-ts.js');

export interface Ack {
  streamId: string;
  nextRevision: number;
  position: number;
  ids: string[];
}

/**
 * Starts a writer on `target` (a SQLite file or a postgres:// URL), kills it at a random
 * moment once it acknowledges, and collects its acks.
 */
export function runUntilKilled(
  target: string,
  writer: string,
): Promise<{ acks: Ack[]; signal: NodeJS.Signals | null; stderr: string }> {
  const child: ChildProcess = spawn(process.execPath, ['--require', REGISTER_TS, WRITER, target, writer], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const acks: Ack[] = [];
  let stdout = '';
  let stderr = '';
  const killLater = (delayMs: number) => setTimeout(() => child.kill('SIGKILL'), delayMs);
  // A writer that never acknowledges is killed too, and fails the test by having no acks.
  const watchdog = killLater(20_000);
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout!.on('data', (chunk: Buffer) => {
    if (acks.length === 0) {
      clearTimeout(watchdog);
      killLater(50 + Math.random() * 350);
    }
    stdout += chunk.toString();
    // Only complete lines count: a line cut off by the kill was never fully acknowledged.
    const lines = stdout.split('\n');
    stdout = lines.pop()!;
    for (const line of lines) acks.push(parseAck(line));
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (_code, signal) => {
      clearTimeout(watchdog);
      resolve({ acks, signal, stderr });
    });
  });
}

function parseAck(line: string): Ack {
  const [word, streamId, nextRevision, position, ...ids] = line.split(' ');
  if (word !== 'ack' || ids.length === 0) throw new Error(`unexpected writer output: ${line}`);
  return { streamId, nextRevision: Number(nextRevision), position: Number(position), ids };
}

/**
 * Everything wrong with the store's content after a crash, as readable sentences (none is the
 * goal): duplicates, order, gaps in streams, acknowledged appends missing or moved, and
 * batches written in part.
 */
export async function problemsInStore(store: EventStore, acked: Ack[]): Promise<string[]> {
  const problems: string[] = [];
  const all = (await store.readAll()) as RecordedEvent<CrashTestData>[];
  const byId = new Map(all.map((event) => [event.id, event]));
  if (byId.size !== all.length) problems.push(`${all.length - byId.size} event ids are stored twice`);
  all.forEach((event, i) => {
    if (i > 0 && event.position <= all[i - 1].position)
      problems.push(`position ${event.position} out of order`);
  });

  // No stream has a gap, and readStream agrees with $all.
  const streams = groupBy(all, (event) => event.streamId);
  for (const [streamId, events] of streams) {
    if (events.some((event, revision) => event.revision !== revision)) problems.push(`${streamId} has a gap`);
    const read = await store.readStream(streamId);
    if (read.map((e) => e.id).join() !== events.map((e) => e.id).join()) {
      problems.push(`${streamId}: readStream differs from $all`);
    }
  }

  // Every acknowledged append is there, at the revisions and position it was acknowledged with.
  for (const ack of acked) {
    const stream = streams.get(ack.streamId) ?? [];
    const first = ack.nextRevision - ack.ids.length + 1;
    const found = stream.slice(first, ack.nextRevision + 1);
    if (
      found.map((e) => e.id).join() !== ack.ids.join() ||
      found[found.length - 1]?.position !== ack.position
    ) {
      problems.push(
        `acknowledged append ${ack.streamId}@${ack.nextRevision} (${ack.ids[0]}…) is missing or moved`,
      );
    }
  }

  // Atomicity: each batch is wholly present, as consecutive revisions and positions.
  for (const [batchId, events] of groupBy(all, (event) => event.data.batchId)) {
    const whole = events.length === events[0].data.size && events.every((event, i) => event.data.index === i);
    const contiguous = events.every(
      (event, i) =>
        i === 0 ||
        (event.streamId === events[0].streamId &&
          event.revision === events[0].revision + i &&
          event.position === events[0].position + i),
    );
    if (!whole || !contiguous) problems.push(`batch ${batchId} is partly written (${events.length} events)`);
  }
  return problems;
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const group = groups.get(key(item));
    if (group) group.push(item);
    else groups.set(key(item), [item]);
  }
  return groups;
}
