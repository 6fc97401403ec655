import { createHash } from 'node:crypto';
import { DOMAIN_UPCASTERS, ProjectEvent, Round, Zone } from '@app/domain';
import { AllCheckpoint } from '@app/event-store';
import { Definition, LifecycleReadModel, ReadModelCut } from './lifecycle-read-model';
import { ProjectFact } from './project-snapshot';

/**
 * The version of what a projection snapshot stores: bump it whenever the encoding below, a
 * `ProjectFact`, a zone's or round's definition, or anything `ReadModelCut` carries changes
 * shape or meaning. A snapshot of another version is ignored and the model folded from the
 * log. read-model-snapshot.unit.spec.ts fails when the encoding of a fixed history changes
 * while this stays the same, and when a restored model differs from a rebuilt one.
 */
export const PROJECTION_SCHEMA_VERSION = 1;

const FORMAT = 'lifecycle-read-model-snapshot';

/**
 * The upcasters in force: facts are stored as upcast, so a snapshot taken before an event's
 * shape changed holds the old shape and is ignored.
 */
export const EVENT_SHAPES = DOMAIN_UPCASTERS.map((u) => `${u.type}@${u.fromVersion}`)
  .sort()
  .join(',');

/** A snapshot's first line: everything but the projects' facts. */
export interface SnapshotHeader {
  format: typeof FORMAT;
  schemaVersion: number;
  eventShapes: string;
  storeId: string;
  checkpoint: AllCheckpoint;
  events: number;
  eventsByType: [string, number][];
  latestRecordedAt: number | null;
  zoneVersions: [string, [number, Zone][]][];
  roundVersions: [string, [number, Round][]][];
  projects: number;
  writtenAt: string;
}

/** The last line: how many project lines came before and the SHA-256 of every byte before it. */
interface SnapshotTrailer {
  end: true;
  projects: number;
  sha256: string;
}

/** A fact as stored: [recordedAt, position, type, data, recordedBy, reason] (null for absent). */
type StoredFact = [number, number, string, unknown, string | null, string | null];

const encodeDefinitions = <T>(versions: [string, Definition<T>[]][]): [string, [number, T][]][] =>
  versions.map(([id, definitions]) => [id, definitions.map((d) => [d.recordedAt, d.value])]);

const decodeDefinitions = <T>(versions: [string, [number, T][]][]): [string, Definition<T>[]][] =>
  versions.map(([id, definitions]) => [
    id,
    definitions.map(([recordedAt, value]) => ({ recordedAt, value })),
  ]);

/**
 * The snapshot of a cut as text lines (each ends with a newline): a header, one line per
 * project with its facts, and a trailer with a checksum. One project per line keeps every
 * string small, whatever the history's size, and lets a writer yield between lines.
 */
export function* snapshotLines(cut: ReadModelCut, storeId: string, writtenAt: Date): Generator<string> {
  const hash = createHash('sha256');
  const emit = (line: string): string => {
    hash.update(line);
    return line;
  };
  const header: SnapshotHeader = {
    format: FORMAT,
    schemaVersion: PROJECTION_SCHEMA_VERSION,
    eventShapes: EVENT_SHAPES,
    storeId,
    checkpoint: cut.checkpoint,
    events: cut.events,
    eventsByType: cut.eventsByType,
    latestRecordedAt: cut.latestRecordedAt,
    zoneVersions: encodeDefinitions(cut.zoneVersions),
    roundVersions: encodeDefinitions(cut.roundVersions),
    projects: cut.timelines.length,
    writtenAt: writtenAt.toISOString(),
  };
  yield emit(`${JSON.stringify(header)}\n`);
  for (const { projectId, facts, count } of cut.timelines) {
    const stored: StoredFact[] = new Array<StoredFact>(count);
    for (let i = 0; i < count; i++) {
      const { recordedAt, position, event, recordedBy, reason } = facts[i];
      stored[i] = [recordedAt, position, event.type, event.data, recordedBy ?? null, reason ?? null];
    }
    yield emit(`${JSON.stringify([projectId, stored])}\n`);
  }
  const trailer: SnapshotTrailer = { end: true, projects: cut.timelines.length, sha256: hash.digest('hex') };
  yield `${JSON.stringify(trailer)}\n`;
}

/** Why a snapshot was not used (logged, and shown on /health). */
export class SnapshotRejected extends Error {}

/** What the caller expects a usable snapshot to match. */
export interface SnapshotExpectation {
  storeId: string;
  /** The store's head: a snapshot beyond it belongs to another history. */
  headPosition: number;
}

export interface LoadedSnapshot {
  model: LifecycleReadModel;
  header: SnapshotHeader;
}

const NEWLINE = 0x0a;

/**
 * The model a snapshot file's bytes hold, or SnapshotRejected saying why not: torn (no
 * trailer), corrupt (checksum, count or JSON), of another projection version or event
 * shapes, of another store, or ahead of the store. Nothing of a rejected file is used.
 */
export function readSnapshot(bytes: Buffer, expected: SnapshotExpectation): LoadedSnapshot {
  const body = bytes.length > 0 && bytes[bytes.length - 1] === NEWLINE ? bytes.length - 1 : -1;
  const trailerStart = body < 0 ? -1 : bytes.lastIndexOf(NEWLINE, body - 1) + 1;
  if (trailerStart <= 0) throw new SnapshotRejected('torn: no trailer line');
  const trailer = parseLine<Partial<SnapshotTrailer>>(bytes, trailerStart, body, 'trailer');
  if (trailer.end !== true || typeof trailer.sha256 !== 'string')
    throw new SnapshotRejected('torn: the last line is not a trailer');
  const sha256 = createHash('sha256').update(bytes.subarray(0, trailerStart)).digest('hex');
  if (sha256 !== trailer.sha256) throw new SnapshotRejected('corrupt: checksum mismatch');
  let start = 0;
  const nextLine = (what: string): [number, number] => {
    const end = bytes.indexOf(NEWLINE, start);
    if (end < 0 || end >= trailerStart) throw new SnapshotRejected(`corrupt: ${what} missing`);
    const line: [number, number] = [start, end];
    start = end + 1;
    return line;
  };
  const header = parseLine<SnapshotHeader>(bytes, ...nextLine('header'), 'header');
  if (header.format !== FORMAT)
    throw new SnapshotRejected(`not a read-model snapshot (${String(header.format)})`);
  if (header.schemaVersion !== PROJECTION_SCHEMA_VERSION)
    throw new SnapshotRejected(
      `projection schema version ${header.schemaVersion}, this code is at ${PROJECTION_SCHEMA_VERSION}`,
    );
  if (header.eventShapes !== EVENT_SHAPES) throw new SnapshotRejected('taken under other event upcasters');
  if (header.storeId !== expected.storeId)
    throw new SnapshotRejected(`of another store (${header.storeId}, this one is ${expected.storeId})`);
  if (header.checkpoint.after > expected.headPosition)
    throw new SnapshotRejected(
      `at position ${header.checkpoint.after}, beyond the store's head ${expected.headPosition}`,
    );
  if (trailer.projects !== header.projects) throw new SnapshotRejected('corrupt: project count mismatch');
  const timelines: ReadModelCut['timelines'] = new Array<ReadModelCut['timelines'][number]>(header.projects);
  for (let p = 0; p < header.projects; p++) {
    const [projectId, stored] = parseLine<[string, StoredFact[]]>(
      bytes,
      ...nextLine('a project'),
      'a project',
    );
    const facts: ProjectFact[] = new Array<ProjectFact>(stored.length);
    for (let i = 0; i < stored.length; i++) {
      const [recordedAt, position, type, data, recordedBy, reason] = stored[i];
      facts[i] = {
        recordedAt,
        position,
        event: { type, data } as ProjectEvent,
        recordedBy: recordedBy ?? undefined,
        reason: reason ?? undefined,
      };
    }
    timelines[p] = { projectId, facts, count: facts.length };
  }
  if (start !== trailerStart) throw new SnapshotRejected('corrupt: lines after the last project');
  const model = LifecycleReadModel.fromCut({
    checkpoint: header.checkpoint,
    events: header.events,
    eventsByType: header.eventsByType,
    latestRecordedAt: header.latestRecordedAt,
    zoneVersions: decodeDefinitions(header.zoneVersions),
    roundVersions: decodeDefinitions(header.roundVersions),
    timelines,
  });
  return { model, header };
}

function parseLine<T>(bytes: Buffer, start: number, end: number, what: string): T {
  try {
    return JSON.parse(bytes.toString('utf8', start, end)) as T;
  } catch {
    throw new SnapshotRejected(`corrupt: ${what} is not JSON`);
  }
}
