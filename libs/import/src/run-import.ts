import { createHash, randomUUID } from 'node:crypto';
import { Caller, Clock, mayActFor, readRound, readZone, todayIn, upcastEvent } from '@app/application';
import {
  CURRENT_SCHEMA_VERSION,
  ProjectEvent,
  Round,
  Zone,
  ZoneEvent,
  evolveZone,
  projectStreamId,
  zoneStreamId,
} from '@app/domain';
import {
  EventMetadata,
  EventStore,
  NewEvent,
  StreamAppend,
  WrongExpectedRevisionError,
} from '@app/event-store';
import { ImportIssue } from './import-issue';
import { parseRows } from './parse-rows';
import { ImportPlan, ImportReads, planImport } from './plan-import';
import { readSpreadsheet } from './read-spreadsheet';

export interface ImportFile {
  /** The file's name as uploaded, kept in every event's `source`. */
  name: string;
  bytes: Buffer;
}

/** What an import runs against: the store, the clock and who is importing. */
export interface ImportEnvironment {
  store: EventStore;
  caller: Caller;
  clock: Clock;
  /** Where "today" is (TrackerConfig.utcOffsetMinutes): effective dates may not lie after it. */
  utcOffsetMinutes: number;
  /** Every registered zone, to find a zone by its name; folded from `$all` when not given. */
  zones?: () => Promise<Zone[]>;
}

export type ImportPhase = 'checking' | 'writing' | 'done';

export interface ImportOptions {
  /** Check every row, write nothing. */
  dryRun?: boolean;
  /** Correlates the import's events; generated when not given. */
  importId?: string;
  onProgress?(phase: ImportPhase, done: number, total: number): void;
}

export interface ImportRowResult {
  row: number;
  projectId: string;
  /** Types of the events the row records (or would record, in a dry run). */
  events: string[];
}

export interface ImportSummary {
  importId: string;
  file: string;
  sha256: string;
  dryRun: boolean;
  rows: number;
  projects: number;
  /** Events written (in a dry run: that would be written). */
  events: number;
  /** Global position of the last event written (0 when none), for read-your-writes. */
  position: number;
  results: ImportRowResult[];
}

/** Some rows break the rules or cannot be read: nothing was written (400). */
export class ImportRejectedError extends Error {
  readonly code = 'import-rejected';

  constructor(readonly issues: ImportIssue[]) {
    super(
      `导入被拒绝：${issues.length} 处错误，未写入任何记录 / import rejected: ${issues.length} problems, nothing written`,
    );
    this.name = 'ImportRejectedError';
  }
}

/** Some rows are of zones the caller may not act for: nothing was written (403). */
export class ImportForbiddenError extends Error {
  readonly code = 'forbidden';

  constructor(readonly issues: ImportIssue[]) {
    const rows = issues.map((issue) => issue.row).join(', ');
    super(`无权导入第 ${rows} 行 / you may not import rows ${rows}`);
    this.name = 'ImportForbiddenError';
  }
}

/** The store cannot append to several streams atomically, so it cannot promise all or nothing. */
export class ImportNotSupportedError extends Error {
  readonly code = 'import-not-supported';

  constructor() {
    super('该事件存储不支持整表原子写入 / this event store cannot append an import atomically');
    this.name = 'ImportNotSupportedError';
  }
}

/** Other writes to the same projects kept landing between the check and the append. */
export class ImportContentionError extends Error {
  readonly code = 'write-contention';

  constructor() {
    super('导入期间项目被并发修改，请重试 / the projects kept changing during the import; retry it');
    this.name = 'ImportContentionError';
  }
}

const MAX_ATTEMPTS = 5;

/**
 * Reads the file, checks every row, and appends every row's events in one atomic append —
 * or nothing. A project written concurrently between the check and the append makes the
 * store refuse the append; the import is then checked again on the new state.
 */
export async function runImport(
  file: ImportFile,
  environment: ImportEnvironment,
  options: ImportOptions = {},
): Promise<ImportSummary> {
  const sha256 = createHash('sha256').update(file.bytes).digest('hex');
  const importId = options.importId ?? randomUUID();
  const parsed = parseRows(await readSpreadsheet(file.bytes));
  const progress = options.onProgress ?? (() => undefined);
  for (let attempt = 1; ; attempt++) {
    const plan = await planImport(
      parsed.rows,
      new EventStoreImportReads(environment.store, environment.zones),
      {
        today: todayIn(environment.clock, environment.utcOffsetMinutes),
        mayActFor: (zone) => mayActFor(environment.caller, zone),
        onRowChecked: (done) => progress('checking', done, parsed.rows.length),
      },
    );
    if (plan.forbidden.length > 0) throw new ImportForbiddenError(plan.forbidden);
    const issues = [...parsed.issues, ...plan.issues].sort((a, b) => a.row - b.row);
    if (issues.length > 0) throw new ImportRejectedError(issues);
    const summary = summarise(plan, { importId, file: file.name, sha256, dryRun: options.dryRun === true });
    if (options.dryRun || summary.events === 0) {
      progress('done', parsed.rows.length, parsed.rows.length);
      return summary;
    }
    if (!environment.store.appendAtomically) throw new ImportNotSupportedError();
    progress('writing', 0, summary.events);
    try {
      const results = await environment.store.appendAtomically(
        toAppends(plan, { importId, file: file.name, sha256 }, environment),
      );
      progress('done', parsed.rows.length, parsed.rows.length);
      return { ...summary, position: Math.max(...results.map((result) => result.position)) };
    } catch (error) {
      if (!(error instanceof WrongExpectedRevisionError)) throw error;
      if (attempt >= MAX_ATTEMPTS) throw new ImportContentionError();
    }
  }
}

function summarise(
  plan: ImportPlan,
  identity: Pick<ImportSummary, 'importId' | 'file' | 'sha256' | 'dryRun'>,
): ImportSummary {
  return {
    ...identity,
    rows: plan.rows.length,
    projects: new Set(plan.rows.map((row) => row.projectId)).size,
    events: plan.streams.reduce((sum, stream) => sum + stream.events.length, 0),
    position: 0,
    results: plan.rows.map((row) => ({
      row: row.row,
      projectId: row.projectId,
      events: row.events.map((event) => event.type),
    })),
  };
}

function toAppends(
  plan: ImportPlan,
  identity: { importId: string; file: string; sha256: string },
  environment: ImportEnvironment,
): StreamAppend[] {
  const recordedAt = environment.clock.now().toISOString();
  return plan.streams.map((stream) => ({
    streamId: stream.streamId,
    expected: stream.revision < 0 ? 'no_stream' : stream.revision,
    events: stream.events.map(({ event, row }): NewEvent => {
      const metadata: EventMetadata = {
        recordedAt,
        recordedBy: environment.caller.sub,
        // a console account's name, as the other writes record it (the history says who)
        ...(environment.caller.name ? { recordedByName: environment.caller.name } : {}),
        role: environment.caller.role,
        source: { kind: 'import', file: identity.file, sha256: identity.sha256, row },
        correlationId: identity.importId,
        causationId: identity.importId,
      };
      return {
        id: randomUUID(),
        type: event.type,
        schemaVersion: CURRENT_SCHEMA_VERSION,
        data: event.data,
        metadata,
      };
    }),
  }));
}

/**
 * The planner's reads straight from the streams. Zones by name need every zone: the API
 * passes its read model's list; without one they are folded from `$all`.
 */
class EventStoreImportReads implements ImportReads {
  constructor(
    private readonly store: EventStore,
    private readonly allZones?: () => Promise<Zone[]>,
  ) {}

  async projectHistory(projectId: string): Promise<ProjectEvent[]> {
    return (await this.store.readStream(projectStreamId(projectId))).map(
      (event) => upcastEvent(event) as ProjectEvent,
    );
  }

  zone(zoneId: string): Promise<Zone | null> {
    return readZone(this.store, zoneId);
  }

  round(roundId: string): Promise<Round | null> {
    return readRound(this.store, roundId);
  }

  async zones(): Promise<Zone[]> {
    if (this.allZones) return this.allZones();
    const zones = new Map<string, Zone>();
    for (const event of await this.store.readAll()) {
      if (event.streamId.startsWith(zoneStreamId(''))) {
        const zone = evolveZone(zones.get(event.streamId) ?? null, upcastEvent(event) as ZoneEvent);
        if (zone) zones.set(event.streamId, zone);
      }
    }
    return [...zones.values()];
  }
}
