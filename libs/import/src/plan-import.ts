import { createHash } from 'node:crypto';
import {
  Awaitable,
  Caller,
  CommandContext,
  DuplicateQuery,
  ForbiddenError,
  PendingSignings,
  ProjectCommandBatch,
  ProjectCommandRequest,
  UnknownReferenceError,
  WriteWarning,
  andThen,
  signingWarnings,
} from '@app/application';
import {
  Batch,
  DEPENDS_ON,
  DomainError,
  LISTING_NEEDS,
  MILESTONE_NAMES_ZH,
  Milestone,
  ProjectEvent,
  ProjectState,
  Round,
  SignedProject,
  Zone,
  isIdentifier,
} from '@app/domain';
import { COLUMN_BY_KEY, ColumnKey, IMPORT_COLUMNS, MILESTONE_COLUMNS } from './columns';
import { ImportIssue, ImportWarning, bilingual, sortIssues } from './import-issue';
import { ImportRow } from './parse-rows';

/** Who imports which file: every row's commands carry it as their context. */
export interface ImportIdentity {
  caller: Caller;
  /** Correlates the import's events. */
  importId: string;
  /** The file's name as uploaded and its SHA-256: with the row, each event's `source`. */
  file: string;
  sha256: string;
}

export interface PlanOptions {
  /** Every registered zone, to find one by its name. */
  zones(): Promise<Zone[]>;
  /** The recorded projects a signing may duplicate (the read model's query); none when not given. */
  possibleDuplicatesOf?: DuplicateQuery;
  /** Called after each row is checked, with the number checked so far. */
  onRowChecked?(done: number): void;
}

/** The new facts one row adds (none when it repeats what is recorded). */
export interface PlannedRow {
  row: number;
  projectId: string;
  events: ProjectEvent[];
}

export interface ImportPlan {
  rows: PlannedRow[];
  /** Rule and reference problems: any one means nothing is written (400). */
  issues: ImportIssue[];
  /** Rows of zones the caller may not act for (403); not checked further. */
  forbidden: ImportIssue[];
  /** What the project endpoints warn about, for each row that signs a project: never a refusal. */
  warnings: ImportWarning[];
}

const COLUMN_ORDER = IMPORT_COLUMNS.map((column) => column.zh);
const zh = (key: ColumnKey) => COLUMN_BY_KEY[key].zh;

/**
 * Turns every row into the commands it implies (sign, milestones in order, the listing) and
 * decides them in `batch`: the API's command path, with its checks, rules and events, each
 * command on the state the rows before it leave. Collects every problem, in the file's words;
 * the batch then holds the events of what is not recorded yet.
 */
export async function planImport(
  rows: ImportRow[],
  batch: ProjectCommandBatch,
  identity: ImportIdentity,
  options: PlanOptions,
): Promise<ImportPlan> {
  const planner = new Planner(batch, identity, options);
  // Rows with their own project id: read in one go (generated ids are new projects, read on use).
  await batch.prefetchProjects(rows.flatMap((row) => (row.projectId ? [row.projectId] : [])));
  for (const [index, row] of rows.entries()) {
    await planner.plan(row);
    options.onRowChecked?.(index + 1);
  }
  return planner.result();
}

type Explanation = [ColumnKey | undefined, string];

class Planner {
  private readonly issues: ImportIssue[] = [];
  private readonly forbidden: ImportIssue[] = [];
  private readonly planned: PlannedRow[] = [];
  private readonly warnings: ImportWarning[] = [];
  /** The file's new signings so far: a row may duplicate an earlier row as well as a recorded project. */
  private readonly pending = new PendingSignings();
  private readonly duplicatesOf: DuplicateQuery;
  private readonly zonesByText = new Map<string, Awaitable<Zone | undefined>>();
  private allZones?: Promise<Zone[]>;

  constructor(
    private readonly batch: ProjectCommandBatch,
    private readonly identity: ImportIdentity,
    private readonly options: PlanOptions,
  ) {
    this.duplicatesOf = this.pending.including(options.possibleDuplicatesOf ?? (() => []));
  }

  result(): ImportPlan {
    return {
      rows: this.planned,
      issues: sortIssues(this.issues, COLUMN_ORDER),
      forbidden: sortIssues(this.forbidden, COLUMN_ORDER),
      warnings: sortIssues(this.warnings, COLUMN_ORDER),
    };
  }

  /**
   * Awaits only what is not read yet (the row's project, a zone or round the first time): the
   * batch answers the rest at once, and a turn of the microtask queue per command would cost
   * more than deciding it.
   */
  async plan(row: ImportRow): Promise<void> {
    const issue = (key: ColumnKey, message: string) =>
      this.issues.push({ row: row.row, column: zh(key), message });
    const found = this.findZone(row.zone);
    const zone = found instanceof Promise ? await found : found;
    if (!zone) {
      issue('zone', bilingual(`未登记的开发区“${row.zone}”`, `the zone "${row.zone}" is not registered`));
      return;
    }
    const projectId = row.projectId ?? generatedProjectId(zone.id, row);
    const context = this.contextOf(row);
    const before = this.issues.length;
    const events: ProjectEvent[] = [];
    /** Decides one command of the row; a refusal becomes the row's issue on the column it is about. */
    const apply = (
      request: ProjectCommandRequest,
      key: ColumnKey,
      explain: (error: DomainError, state: ProjectState) => Awaitable<Explanation>,
    ): Awaitable<boolean> => {
      const refused = (error: unknown): Awaitable<boolean> => {
        if (error instanceof UnknownReferenceError) {
          issue('roundId', bilingual(`未登记的活动轮次“${row.roundId}”`, `unknown round "${row.roundId}"`));
          return false;
        }
        if (!(error instanceof DomainError)) throw error;
        const explained = andThen(this.batch.project(projectId), (state) => explain(error, state));
        return andThen(explained, ([column, message]) => {
          issue(column ?? key, message);
          return false;
        });
      };
      const record = (decided: ProjectEvent[]) => {
        events.push(...decided);
        return true;
      };
      try {
        const decided = this.batch.decide(request, context);
        return decided instanceof Promise ? decided.then(record, refused) : record(decided);
      } catch (error) {
        return refused(error);
      }
    };

    const recorded = await this.batch.project(projectId);
    try {
      const signed = apply(signingOf(row, projectId, zone, recorded), 'signedOn', (error, state) =>
        state.status === 'signed' && error.code === 'project-exists'
          ? explainDifference(row, zone, state, issue)
          : explainSigning(error),
      );
      if (signed instanceof Promise) await signed;
    } catch (error) {
      if (!(error instanceof ForbiddenError)) throw error;
      const zoneId = recorded.status === 'signed' ? recorded.zoneId : zone.id;
      this.forbidden.push({
        row: row.row,
        column: zh('zone'),
        message: bilingual(
          `无权导入开发区“${zoneId}”的项目`,
          `you may not import projects of zone ${zoneId}`,
        ),
      });
      return;
    }
    if (events.length > 0) this.warnAboutSigning(row, { projectId, zoneId: zone.id });
    const afterSigning = this.batch.project(projectId);
    if ((afterSigning instanceof Promise ? await afterSigning : afterSigning).status !== 'signed') {
      this.planned.push({ row: row.row, projectId, events: [] });
      return;
    }

    const failed = new Set<Milestone>();
    for (const { milestone, key } of MILESTONE_COLUMNS) {
      const occurredOn = row.milestones[milestone];
      if (occurredOn === undefined || dependsOnFailed(milestone, failed)) continue;
      const outcome = apply(
        { type: 'RecordMilestone', data: { projectId, milestone, occurredOn } },
        key,
        (error, state) => explainMilestone(error, milestone, state as SignedProject),
      );
      if (!(outcome instanceof Promise ? await outcome : outcome)) failed.add(milestone);
    }
    const needs = LISTING_NEEDS[row.batch];
    if (!(needs !== 'signed' && failed.has(needs))) {
      const listed = apply(
        { type: 'ListProject', data: { projectId, roundId: row.roundId, batch: row.batch } },
        'batch',
        (error, state) =>
          andThen(this.batch.round(row.roundId), (round) =>
            explainListing(error, round, row.batch, state as SignedProject),
          ),
      );
      if (listed instanceof Promise) await listed;
    }
    this.planned.push({ row: row.row, projectId, events: this.issues.length > before ? [] : events });
  }

  /**
   * A new signing is warned about as the project endpoints warn (libs/application's
   * `signingWarnings`), against the recorded projects and the file's earlier rows; a row
   * already recorded was warned about when it was first imported.
   */
  private warnAboutSigning(
    row: ImportRow,
    { projectId, zoneId }: { projectId: string; zoneId: string },
  ): void {
    const signing = {
      projectId,
      zoneId,
      name: row.name,
      enterprise: row.enterprise,
      totalInvestmentWan: row.totalInvestmentWan,
    };
    for (const warning of signingWarnings(signing, this.duplicatesOf)) {
      this.warnings.push({
        row: row.row,
        column: zh(warningColumn(warning)),
        message: bilingual(warning.text.zh, warning.text.en),
        code: warning.code,
        ...(warning.projectId ? { projectId: warning.projectId } : {}),
      });
    }
    this.pending.add(signing);
  }

  /** The row's commands are the importer's, from the file's row: `source` names both. */
  private contextOf(row: ImportRow): CommandContext {
    const { caller, importId, file, sha256 } = this.identity;
    return {
      caller,
      requestId: importId,
      correlationId: importId,
      requestHash: sha256,
      source: { kind: 'import', file, sha256, row: row.row },
    };
  }

  /**
   * By id first, then by name (spaces and full-width forms ignored). The zone itself is always
   * read from its stream, as the command path reads it to authorise; the list of every zone
   * only serves to find an id by name.
   */
  private findZone(idOrName: string): Awaitable<Zone | undefined> {
    const known = this.zonesByText.get(idOrName);
    if (known || this.zonesByText.has(idOrName)) return known;
    const resolving = this.resolveZone(idOrName).then((zone) => {
      this.zonesByText.set(idOrName, zone);
      return zone;
    });
    this.zonesByText.set(idOrName, resolving);
    return resolving;
  }

  private async resolveZone(idOrName: string): Promise<Zone | undefined> {
    const id = idOrName.normalize('NFKC').trim();
    const byId = isIdentifier(id) ? await this.batch.zone(id) : null;
    if (byId) return byId;
    this.allZones ??= this.options.zones();
    const wanted = comparable(idOrName);
    const named = (await this.allZones).filter((zone) => comparable(zone.name) === wanted);
    if (named.length !== 1) return undefined;
    return (await this.batch.zone(named[0].id)) ?? undefined;
  }
}

/**
 * The signing a row states. For a project already signed, a blank optional cell states
 * nothing, so it keeps the recorded value: the command path then finds the signing repeated
 * (no new fact) unless a stated detail differs.
 */
function signingOf(
  row: ImportRow,
  projectId: string,
  zone: Zone,
  recorded: ProjectState,
): ProjectCommandRequest {
  const kept = recorded.status === 'signed' ? recorded : undefined;
  const optional = {
    strategicEmerging: row.strategicEmerging ?? kept?.strategicEmerging,
    industryChain: row.industryChain ?? kept?.industryChain,
    plannedStartOn: row.plannedStartOn ?? kept?.plannedStartOn,
    plannedProductionOn: row.plannedProductionOn ?? kept?.plannedProductionOn,
  };
  return {
    type: 'SignProject',
    data: {
      projectId,
      zoneId: zone.id,
      name: row.name,
      enterprise: row.enterprise,
      totalInvestmentWan: row.totalInvestmentWan,
      industrial: row.industrial,
      ...(Object.fromEntries(Object.entries(optional).filter(([, value]) => value !== undefined)) as Partial<
        typeof optional
      >),
      signedOn: row.signedOn,
    },
  };
}

/**
 * The command path refused a signing that differs from the recorded one (`project-exists`):
 * each differing column is named (no silent amendment). Returns the last as the refusal's own.
 */
function explainDifference(
  row: ImportRow,
  zone: Zone,
  state: SignedProject,
  issue: (key: ColumnKey, message: string) => void,
): Explanation {
  const differences: [ColumnKey, string][] = [];
  if (state.zoneId !== zone.id) {
    differences.push([
      'zone',
      bilingual(`与已登记的开发区“${state.zoneId}”不一致`, `differs from the recorded zone ${state.zoneId}`),
    ]);
  }
  const stated: [ColumnKey, string | number | boolean | undefined, string | number | boolean | undefined][] =
    [
      ['name', row.name, state.name],
      ['enterprise', row.enterprise, state.enterprise],
      ['totalInvestmentWan', row.totalInvestmentWan, state.totalInvestmentWan],
      ['industrial', row.industrial, state.industrial],
      ['strategicEmerging', row.strategicEmerging, state.strategicEmerging],
      ['industryChain', row.industryChain, state.industryChain],
      ['plannedStartOn', row.plannedStartOn, state.plannedStartOn],
      ['plannedProductionOn', row.plannedProductionOn, state.plannedProductionOn],
    ];
  for (const [key, value, recorded] of stated) {
    if (value === undefined || value === recorded) continue;
    const shown = typeof recorded === 'boolean' ? (recorded ? '是' : '否') : (recorded ?? '空');
    differences.push([
      key,
      bilingual(
        `与已登记的“${shown}”不一致，修改请走变更`,
        `differs from the recorded value "${shown}": change it with an amendment`,
      ),
    ]);
  }
  if (row.signedOn !== state.signedOn) {
    differences.push([
      'signedOn',
      bilingual(
        `已登记的签约日期为 ${state.signedOn}，更正请用更正接口`,
        `signing is recorded on ${state.signedOn}: use a correction to change it`,
      ),
    ]);
  }
  const last = differences.pop() ?? [
    'projectId',
    bilingual(
      `项目 ${state.projectId} 已以不同信息签约`,
      `project ${state.projectId} is already signed with other details`,
    ),
  ];
  for (const [key, message] of differences) issue(key, message);
  return last;
}

/** The column a warning is about: the field it names (the amount, the id or the name). */
function warningColumn(warning: WriteWarning): ColumnKey {
  return warning.field === 'projectId' || warning.field === 'totalInvestmentWan' ? warning.field : 'name';
}

const comparable = (text: string) => text.normalize('NFKC').replace(/\s+/g, '');

/** A milestone after one that failed is not checked: its error would only repeat the first. */
function dependsOnFailed(milestone: Milestone, failed: Set<Milestone>): boolean {
  for (let fact = DEPENDS_ON[milestone]; fact !== 'signed'; fact = DEPENDS_ON[fact]) {
    if (failed.has(fact)) return true;
  }
  return false;
}

/**
 * A project id for a row that has none, from what identifies the project in the file: the
 * same row imported again gets the same id, so re-importing adds nothing.
 */
export function generatedProjectId(
  zoneId: string,
  row: Pick<ImportRow, 'name' | 'enterprise' | 'signedOn'>,
): string {
  const hash = createHash('sha256')
    .update([zoneId, row.name, row.enterprise, row.signedOn].join('\u0000'))
    .digest('hex');
  return `p-${hash.slice(0, 20)}`;
}

const EN_NAMES: Record<Milestone | 'signed', string> = {
  signed: 'signing',
  'construction-started': 'construction start',
  'statistics-entered': 'statistics entry',
  'production-started': 'production start',
  attained: 'attainment',
  'enterprise-above-scale': 'entry above scale',
};

const FIELD_COLUMNS: Record<string, ColumnKey> = {
  projectId: 'projectId',
  name: 'name',
  enterprise: 'enterprise',
  totalInvestmentWan: 'totalInvestmentWan',
  signedOn: 'signedOn',
  plannedStartOn: 'plannedStartOn',
  plannedProductionOn: 'plannedProductionOn',
};

function explainSigning(error: DomainError): Explanation {
  const column = error.field ? FIELD_COLUMNS[error.field] : undefined;
  switch (error.code) {
    case 'future-date':
      return [column, bilingual('日期晚于今天', 'the date is in the future')];
    case 'invalid-amount':
      return [
        column,
        bilingual('总投资须为大于 0 的整数万元', 'total investment must be a whole number of 万元 above 0'),
      ];
    case 'required':
      return [column, bilingual('必填', 'required')];
    case 'planned-production-before-start':
      return [column, bilingual('计划投产日期早于计划开工日期', 'planned production before planned start')];
    default:
      return [column, fallback(error)];
  }
}

function explainMilestone(error: DomainError, milestone: Milestone, state: SignedProject): Explanation {
  const name = MILESTONE_NAMES_ZH[milestone];
  const en = EN_NAMES[milestone];
  switch (error.code) {
    case 'future-date':
      return [undefined, bilingual(`${name}日期晚于今天`, `${en} is in the future`)];
    case 'milestone-already-recorded':
      return [
        undefined,
        bilingual(
          `${name}已登记为 ${state.milestones[milestone]}，更正请用更正接口`,
          `${en} is already recorded on ${state.milestones[milestone]}: use a correction to change it`,
        ),
      ];
    case 'milestone-out-of-order': {
      const dependency = DEPENDS_ON[milestone];
      const recorded = dependency === 'signed' || state.milestones[dependency] !== undefined;
      return recorded
        ? [
            undefined,
            bilingual(
              `${name}日期早于${MILESTONE_NAMES_ZH[dependency]}日期`,
              `${en} before ${EN_NAMES[dependency]}`,
            ),
          ]
        : [
            undefined,
            bilingual(
              `填写了${name}日期，但没有${MILESTONE_NAMES_ZH[dependency]}日期`,
              `${en} given without ${EN_NAMES[dependency]}`,
            ),
          ];
    }
    case 'project-terminated':
      return [
        undefined,
        bilingual(
          `项目已于 ${state.termination?.occurredOn} 终止，之后不能再有${name}`,
          `the project was terminated on ${state.termination?.occurredOn}: no ${en} after that`,
        ),
      ];
    default:
      return [undefined, fallback(error)];
  }
}

function explainListing(
  error: DomainError,
  round: Round | null,
  batch: Batch,
  state: SignedProject,
): Explanation {
  if (!round) return ['batch', fallback(error)];
  switch (error.code) {
    case 'future-date':
      return [
        'roundId',
        bilingual(
          `活动轮次于 ${round.heldOn} 举行，晚于今天`,
          `the round is held on ${round.heldOn}, after today`,
        ),
      ];
    case 'listing-before-signing':
      return [
        'signedOn',
        bilingual(
          `签约日期晚于活动日期 ${round.heldOn}`,
          `signed after the round was held (${round.heldOn})`,
        ),
      ];
    case 'listed-in-round': {
      const listed = state.listings.find((listing) => listing.roundId === round.id)?.batch ?? batch;
      return [
        'batch',
        bilingual(`已列入该轮次的${BATCH_ZH[listed]}一批`, `already listed in this round's ${listed} batch`),
      ];
    }
    case 'listing-needs-milestone': {
      const milestone = LISTING_NEEDS[batch] as Milestone;
      const name = MILESTONE_NAMES_ZH[milestone];
      return [
        'batch',
        bilingual(
          `${name}一批需要在活动日期 ${round.heldOn} 前${name}`,
          `a ${batch} batch listing needs ${EN_NAMES[milestone]} on or before the round's date ${round.heldOn}`,
        ),
      ];
    }
    case 'project-terminated':
      return [
        'batch',
        bilingual('项目已终止，不能再列入活动轮次', 'the project was terminated and cannot be listed'),
      ];
    default:
      return ['batch', fallback(error)];
  }
}

const BATCH_ZH = { signing: '签约', construction: '开工', production: '投产' } as const;

function fallback(error: DomainError): string {
  return bilingual(error.text.zh, error.text.en);
}
