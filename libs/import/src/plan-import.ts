import { createHash } from 'node:crypto';
import {
  Batch,
  DEPENDS_ON,
  DomainError,
  LISTING_NEEDS,
  LocalDate,
  MILESTONE_NAMES_ZH,
  Milestone,
  ProjectCommand,
  ProjectEvent,
  ProjectState,
  Round,
  SignedProject,
  Zone,
  decideProject,
  evolveProject,
  foldProject,
  isIdentifier,
  projectStreamId,
} from '@app/domain';
import { COLUMN_BY_KEY, ColumnKey, IMPORT_COLUMNS, MILESTONE_COLUMNS } from './columns';
import { ImportIssue, bilingual, sortIssues } from './import-issue';
import { ImportRow } from './parse-rows';

/** What the planner reads: always the streams themselves, never a projection that may lag. */
export interface ImportReads {
  /** A project's events, upcast, in order; `[]` when it is unknown. */
  projectHistory(projectId: string): Promise<ProjectEvent[]>;
  zone(zoneId: string): Promise<Zone | null>;
  /** Every registered zone, to find one by its name. */
  zones(): Promise<Zone[]>;
  round(roundId: string): Promise<Round | null>;
}

export interface PlanOptions {
  /** The province's date today: effective dates may not lie after it. */
  today: LocalDate;
  /** Whether the caller may record facts for projects of the zone. */
  mayActFor(zone: Zone): boolean;
  /** Called after each row is checked, with the number checked so far. */
  onRowChecked?(done: number): void;
}

/** The new facts one row adds (none when it repeats what is recorded). */
export interface PlannedRow {
  row: number;
  projectId: string;
  events: ProjectEvent[];
}

/** One stream's share of an import: its revision when read, and the rows' events in order. */
export interface PlannedStream {
  streamId: string;
  /** Revision of the stream's last event when it was read (-1: no stream). */
  revision: number;
  events: { event: ProjectEvent; row: number }[];
}

export interface ImportPlan {
  rows: PlannedRow[];
  streams: PlannedStream[];
  /** Rule and reference problems: any one means nothing is written (400). */
  issues: ImportIssue[];
  /** Rows of zones the caller may not act for (403); not checked further. */
  forbidden: ImportIssue[];
}

const COLUMN_ORDER = IMPORT_COLUMNS.map((column) => column.zh);
const zh = (key: ColumnKey) => COLUMN_BY_KEY[key].zh;

interface ProjectProgress {
  state: ProjectState;
  stream: PlannedStream;
}

/**
 * Checks every row as if the rows before it had been applied, through the domain's own
 * `decideProject` on the project's recorded state: the rules and events are the API's.
 * Collects every problem; plans events only for what is not recorded yet.
 */
export async function planImport(
  rows: ImportRow[],
  reads: ImportReads,
  options: PlanOptions,
): Promise<ImportPlan> {
  const planner = new Planner(reads, options);
  for (const [index, row] of rows.entries()) {
    await planner.plan(row);
    options.onRowChecked?.(index + 1);
  }
  return planner.result();
}

class Planner {
  private readonly issues: ImportIssue[] = [];
  private readonly forbidden: ImportIssue[] = [];
  private readonly planned: PlannedRow[] = [];
  private readonly projects = new Map<string, ProjectProgress>();
  private readonly rounds = new Map<string, Promise<Round | null>>();
  private readonly zonesByText = new Map<string, Promise<Zone | undefined>>();
  private allZones?: Promise<Zone[]>;

  constructor(
    private readonly reads: ImportReads,
    private readonly options: PlanOptions,
  ) {}

  result(): ImportPlan {
    return {
      rows: this.planned,
      streams: [...this.projects.values()].map((p) => p.stream).filter((s) => s.events.length > 0),
      issues: sortIssues(this.issues, COLUMN_ORDER),
      forbidden: sortIssues(this.forbidden, COLUMN_ORDER),
    };
  }

  async plan(row: ImportRow): Promise<void> {
    const issue = (key: ColumnKey, message: string) =>
      this.issues.push({ row: row.row, column: zh(key), message });
    const zone = await this.findZone(row.zone);
    if (!zone) {
      issue('zone', bilingual(`未登记的开发区“${row.zone}”`, `the zone "${row.zone}" is not registered`));
      return;
    }
    if (row.projectId !== undefined && !isIdentifier(row.projectId)) {
      issue(
        'projectId',
        bilingual(
          '项目编号只能由字母、数字和 . _ - 组成，最长 80 位',
          'projectId must be 1-80 letters, digits, ".", "_" or "-"',
        ),
      );
      return;
    }
    const projectId = row.projectId ?? generatedProjectId(zone.id, row);
    const project = await this.project(projectId);
    const recordedZoneId = project.state.status === 'signed' ? project.state.zoneId : zone.id;
    const owner = recordedZoneId === zone.id ? zone : await this.reads.zone(recordedZoneId);
    if (!owner || !this.options.mayActFor(owner)) {
      this.forbidden.push({
        row: row.row,
        column: zh('zone'),
        message: bilingual(
          `无权导入开发区“${recordedZoneId}”的项目`,
          `you may not import projects of zone ${recordedZoneId}`,
        ),
      });
      return;
    }
    const round = await this.round(row.roundId);
    if (!round)
      issue('roundId', bilingual(`未登记的活动轮次“${row.roundId}”`, `unknown round "${row.roundId}"`));

    const before = this.issues.length;
    const events: ProjectEvent[] = [];
    const apply = (command: ProjectCommand, key: ColumnKey, explain: Explain): boolean => {
      try {
        for (const event of decideProject(command, project.state)) {
          project.state = evolveProject(project.state, event);
          project.stream.events.push({ event, row: row.row });
          events.push(event);
        }
        return true;
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        const [column, message] = explain(error);
        issue(column ?? key, message);
        return false;
      }
    };
    const today = this.options.today;

    if (project.state.status === 'signed') this.compareSigned(row, zone, project.state, issue);
    else
      apply(
        {
          type: 'SignProject',
          data: {
            projectId,
            zoneId: zone.id,
            name: row.name,
            enterprise: row.enterprise,
            totalInvestmentWan: row.totalInvestmentWan,
            industrial: row.industrial,
            strategicEmerging: row.strategicEmerging,
            ...(row.industryChain !== undefined ? { industryChain: row.industryChain } : {}),
            ...(row.plannedStartOn !== undefined ? { plannedStartOn: row.plannedStartOn } : {}),
            ...(row.plannedProductionOn !== undefined
              ? { plannedProductionOn: row.plannedProductionOn }
              : {}),
            signedOn: row.signedOn,
          },
          today,
        },
        'signedOn',
        explainSigning,
      );
    if (project.state.status !== 'signed') {
      this.planned.push({ row: row.row, projectId, events: [] });
      return;
    }

    const failed = new Set<Milestone>();
    for (const { milestone, key } of MILESTONE_COLUMNS) {
      const occurredOn = row.milestones[milestone];
      if (occurredOn === undefined || dependsOnFailed(milestone, failed)) continue;
      const recorded = apply(
        { type: 'RecordMilestone', data: { projectId, milestone, occurredOn }, today },
        key,
        (error) => explainMilestone(error, milestone, project.state as SignedProject),
      );
      if (!recorded) failed.add(milestone);
    }
    const needs = LISTING_NEEDS[row.batch];
    if (round && !(needs !== 'signed' && failed.has(needs))) {
      apply({ type: 'ListProject', data: { projectId, round, batch: row.batch }, today }, 'batch', (error) =>
        explainListing(error, round, row.batch, project.state as SignedProject),
      );
    }
    this.planned.push({ row: row.row, projectId, events: this.issues.length > before ? [] : events });
  }

  /** A project already signed: every stated detail must be the recorded one (no silent amendment). */
  private compareSigned(
    row: ImportRow,
    zone: Zone,
    state: SignedProject,
    issue: (key: ColumnKey, message: string) => void,
  ): void {
    if (state.zoneId !== zone.id) {
      issue(
        'zone',
        bilingual(
          `与已登记的开发区“${state.zoneId}”不一致`,
          `differs from the recorded zone ${state.zoneId}`,
        ),
      );
    }
    const stated: [
      ColumnKey,
      string | number | boolean | undefined,
      string | number | boolean | undefined,
    ][] = [
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
      issue(
        key,
        bilingual(
          `与已登记的“${shown}”不一致，修改请走变更`,
          `differs from the recorded value "${shown}": change it with an amendment`,
        ),
      );
    }
    if (row.signedOn !== state.signedOn) {
      issue(
        'signedOn',
        bilingual(
          `已登记的签约日期为 ${state.signedOn}，更正请用更正接口`,
          `signing is recorded on ${state.signedOn}: use a correction to change it`,
        ),
      );
    }
  }

  private async project(projectId: string): Promise<ProjectProgress> {
    let project = this.projects.get(projectId);
    if (!project) {
      const history = await this.reads.projectHistory(projectId);
      project = {
        state: foldProject(history),
        stream: { streamId: projectStreamId(projectId), revision: history.length - 1, events: [] },
      };
      this.projects.set(projectId, project);
    }
    return project;
  }

  private round(roundId: string): Promise<Round | null> {
    let round = this.rounds.get(roundId);
    if (!round) {
      round = this.reads.round(roundId);
      this.rounds.set(roundId, round);
    }
    return round;
  }

  /**
   * By id first, then by name (spaces and full-width forms ignored). The zone itself is always
   * read from its stream, as the command path reads it to authorise; the list of every zone
   * only serves to find an id by name.
   */
  private findZone(idOrName: string): Promise<Zone | undefined> {
    let zone = this.zonesByText.get(idOrName);
    if (!zone) {
      zone = this.resolveZone(idOrName);
      this.zonesByText.set(idOrName, zone);
    }
    return zone;
  }

  private async resolveZone(idOrName: string): Promise<Zone | undefined> {
    const id = idOrName.normalize('NFKC').trim();
    const byId = isIdentifier(id) ? await this.reads.zone(id) : null;
    if (byId) return byId;
    this.allZones ??= this.reads.zones();
    const wanted = comparable(idOrName);
    const named = (await this.allZones).filter((zone) => comparable(zone.name) === wanted);
    if (named.length !== 1) return undefined;
    return (await this.reads.zone(named[0].id)) ?? undefined;
  }
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

type Explain = (error: DomainError) => [ColumnKey | undefined, string];

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

function explainSigning(error: DomainError): [ColumnKey | undefined, string] {
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

function explainMilestone(
  error: DomainError,
  milestone: Milestone,
  state: SignedProject,
): [ColumnKey | undefined, string] {
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
  round: Round,
  batch: Batch,
  state: SignedProject,
): [ColumnKey | undefined, string] {
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
