import { createHash, randomUUID } from 'node:crypto';
import { Caller, DuplicateQuery, TrackerCommands, upcastEvent } from '@app/application';
import { Zone, ZoneEvent, evolveZone, zoneStreamId } from '@app/domain';
import { EventStore, WrongExpectedRevisionError } from '@app/event-store';
import { ImportIssue, ImportWarning } from './import-issue';
import { parseRows } from './parse-rows';
import { ImportPlan, planImport } from './plan-import';
import { readSpreadsheet } from './read-spreadsheet';

export interface ImportFile {
  /** The file's name as uploaded, kept in every event's `source`. */
  name: string;
  bytes: Buffer;
}

/** What an import runs against: the command path, its store and who is importing. */
export interface ImportEnvironment {
  /** The command path the API's writes take (its clock, today, the programme's start). */
  commands: TrackerCommands;
  /** The store `commands` writes to: where zones are found by name when `zones` is not given. */
  store: EventStore;
  caller: Caller;
  /** Every registered zone, to find a zone by its name; folded from `$all` when not given. */
  zones?: () => Promise<Zone[]>;
  /**
   * The recorded projects a signing may duplicate (the API gives its read model's query); when
   * not given, rows are compared with the file's earlier rows only.
   */
  possibleDuplicatesOf?: DuplicateQuery;
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
  /**
   * What the project endpoints would warn about, for each row that signs a project (a likely
   * unit slip, a possible duplicate of a recorded project or an earlier row): the file is not
   * refused for them.
   */
  warnings: ImportWarning[];
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
 * Reads the file, decides every row's commands on the command path in one batch, and appends
 * the batch in one atomic append — or nothing. A project written concurrently between the
 * check and the append makes the store refuse the append; the import is then checked again
 * on the new state.
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
  const { store, caller } = environment;
  const zones = environment.zones ?? (() => registeredZones(store));
  for (let attempt = 1; ; attempt++) {
    const batch = environment.commands.batch();
    const plan = await planImport(
      parsed.rows,
      batch,
      { caller, importId, file: file.name, sha256 },
      {
        zones,
        possibleDuplicatesOf: environment.possibleDuplicatesOf,
        onRowChecked: (done) => progress('checking', done, parsed.rows.length),
      },
    );
    if (plan.forbidden.length > 0) throw new ImportForbiddenError(plan.forbidden);
    const issues = [...parsed.issues, ...plan.issues].sort((a, b) => a.row - b.row);
    if (issues.length > 0) throw new ImportRejectedError(issues);
    const summary = summarise(plan, batch.eventCount, {
      importId,
      file: file.name,
      sha256,
      dryRun: options.dryRun === true,
    });
    if (options.dryRun || summary.events === 0) {
      progress('done', parsed.rows.length, parsed.rows.length);
      return summary;
    }
    if (!store.appendAtomically) throw new ImportNotSupportedError();
    progress('writing', 0, summary.events);
    try {
      const position = await batch.commit();
      progress('done', parsed.rows.length, parsed.rows.length);
      return { ...summary, position };
    } catch (error) {
      if (!(error instanceof WrongExpectedRevisionError)) throw error;
      if (attempt >= MAX_ATTEMPTS) throw new ImportContentionError();
    }
  }
}

function summarise(
  plan: ImportPlan,
  events: number,
  identity: Pick<ImportSummary, 'importId' | 'file' | 'sha256' | 'dryRun'>,
): ImportSummary {
  return {
    ...identity,
    rows: plan.rows.length,
    projects: new Set(plan.rows.map((row) => row.projectId)).size,
    events,
    position: 0,
    results: plan.rows.map((row) => ({
      row: row.row,
      projectId: row.projectId,
      events: row.events.map((event) => event.type),
    })),
    warnings: plan.warnings,
  };
}

/** Every registered zone, folded from `$all` (when no read model lists them). */
async function registeredZones(store: EventStore): Promise<Zone[]> {
  const zones = new Map<string, Zone>();
  for (const event of await store.readAll()) {
    if (event.streamId.startsWith(zoneStreamId(''))) {
      const zone = evolveZone(zones.get(event.streamId) ?? null, upcastEvent(event) as ZoneEvent);
      if (zone) zones.set(event.streamId, zone);
    }
  }
  return [...zones.values()];
}
