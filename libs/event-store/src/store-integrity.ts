import { EventHeader, EventStore } from './event-store.port';

/** Something in a store that no reader can interpret faithfully, and where it is. */
export interface StoreFinding {
  position: number;
  streamId: string;
  revision: number;
  problem: string;
}

/** Thrown when a store holds what its readers would silently misread; names the first positions. */
export class CorruptStoreError extends Error {
  constructor(
    readonly findings: readonly StoreFinding[],
    readonly total = findings.length,
  ) {
    super(
      `the event store is corrupt (${total} finding${total === 1 ? '' : 's'}): ` +
        findings
          .slice(0, 5)
          .map((f) => describeFinding(f))
          .join('; ') +
        (total > 5 ? '; …' : ''),
    );
    this.name = 'CorruptStoreError';
  }
}

/** The store file or schema is gone or empty where a store had been. */
export class MissingStoreError extends Error {
  override name = 'MissingStoreError';
}

export function describeFinding(finding: StoreFinding): string {
  return `position ${finding.position} (stream ${finding.streamId}, revision ${finding.revision}): ${finding.problem}`;
}

export interface IntegrityOptions {
  /** The newest schema version of a type the readers understand; undefined for an unknown type. */
  readableSchemaVersion(type: string): number | undefined;
  /** Stop after this many findings (default 100). */
  maxFindings?: number;
  /** Events read at a time (default 2,000). */
  batchSize?: number;
}

/**
 * Reads `$all` once and reports what the projections and the command path would misread:
 * an event type they do not know (its project would vanish), a schema version newer than
 * they read (or below 1), and a stream whose revisions skip or repeat (it could never be
 * written again) or positions that do not increase.
 */
export async function checkStoreIntegrity(
  store: EventStore,
  { readableSchemaVersion, maxFindings = 100, batchSize = 2_000 }: IntegrityOptions,
): Promise<{ events: number; streams: number; findings: StoreFinding[] }> {
  const findings: StoreFinding[] = [];
  const nextRevision = new Map<string, number>();
  let after = 0;
  let events = 0;
  const report = (event: EventHeader, problem: string) =>
    findings.push({ position: event.position, streamId: event.streamId, revision: event.revision, problem });
  for (;;) {
    const batch = await store.readAllHeaders({ after, limit: batchSize });
    for (const event of batch) {
      events++;
      if (event.position <= after) report(event, `position does not increase (after ${after})`);
      after = event.position;
      const readable = readableSchemaVersion(event.type);
      if (readable === undefined) report(event, `unknown event type ${JSON.stringify(event.type)}`);
      else if (
        !Number.isInteger(event.schemaVersion) ||
        event.schemaVersion < 1 ||
        event.schemaVersion > readable
      )
        report(
          event,
          `schema version ${event.schemaVersion} of ${event.type}; this version reads 1 to ${readable}`,
        );
      const expected = nextRevision.get(event.streamId) ?? 0;
      if (event.revision !== expected) {
        report(
          event,
          expected === 0
            ? `the stream starts at revision ${event.revision}, not 0`
            : `revision ${event.revision} follows revision ${expected - 1} (revisions missing or repeated)`,
        );
      }
      nextRevision.set(event.streamId, event.revision + 1);
      if (findings.length >= maxFindings) return { events, streams: nextRevision.size, findings };
    }
    if (batch.length < batchSize) return { events, streams: nextRevision.size, findings };
  }
}
