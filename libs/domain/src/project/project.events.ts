import { LocalDate, YearMonth } from '../shared/local-date';
import { Wan } from '../shared/money';
import { DatedFact, Milestone, MilestoneEventType } from './milestones';

export const BATCHES = ['signing', 'construction', 'production'] as const;
/** 签约一批 / 开工一批 / 投产一批 */
export type Batch = (typeof BATCHES)[number];

/** Project details that an amendment may change (the zone may not: it owns the project). */
export interface ProjectDetails {
  name: string;
  enterprise: string;
  totalInvestmentWan: Wan;
  industrial: boolean;
  strategicEmerging: boolean;
  industryChain?: string;
  plannedStartOn?: LocalDate;
  plannedProductionOn?: LocalDate;
}

export type ProjectSigned = {
  type: 'ProjectSigned';
  data: ProjectDetails & { projectId: string; zoneId: string; signedOn: LocalDate };
};

/** A listing in one round's batch; it takes effect on the round's date (`heldOn`). */
export type ProjectListed = {
  type: 'ProjectListed';
  data: { projectId: string; roundId: string; heldOn: LocalDate; batch: Batch };
};

export type MilestoneReached = {
  type: MilestoneEventType;
  data: { projectId: string; occurredOn: LocalDate };
};

export type MilestoneDateCorrected = {
  type: 'MilestoneDateCorrected';
  data: {
    projectId: string;
    milestone: DatedFact;
    occurredOn: LocalDate;
    previousOccurredOn: LocalDate;
    reason: string;
  };
};

export type MilestoneRetracted = {
  type: 'MilestoneRetracted';
  data: { projectId: string; milestone: Milestone; previousOccurredOn: LocalDate; reason: string };
};

/**
 * 完成投资: cumulative completed investment at the end of a month. A `reason` marks a
 * correction: a figure below one already reported (for this month or an earlier one).
 */
export type InvestmentProgressReported = {
  type: 'InvestmentProgressReported';
  data: { projectId: string; month: YearMonth; completedInvestmentWan: Wan; reason?: string };
};

/** Planned start and production dates set after signing, or changed (a change says why). */
export type PlannedDatesSet = {
  type: 'PlannedDatesSet';
  data: { projectId: string; plannedStartOn?: LocalDate; plannedProductionOn?: LocalDate; reason?: string };
};

/** 问题协调: what holds a project up. */
export const OBSTACLE_CATEGORIES = ['land', 'permits', 'funding', 'energy', 'environment', 'other'] as const;
export type ObstacleCategory = (typeof OBSTACLE_CATEGORIES)[number];

/** What an officer records about an obstacle, and may update while it is open. */
export interface ObstacleDetails {
  category: ObstacleCategory;
  description: string;
  /** 责任单位 */
  responsibleUnit: string;
  /** 解决措施 */
  measures?: string;
}

export type ObstacleRecorded = {
  type: 'ObstacleRecorded';
  data: ObstacleDetails & { projectId: string; obstacleId: string; raisedOn: LocalDate };
};

export type ObstacleUpdated = {
  type: 'ObstacleUpdated';
  data: { projectId: string; obstacleId: string; changes: Partial<ObstacleDetails>; reason: string };
};

export type ObstacleResolved = {
  type: 'ObstacleResolved';
  data: { projectId: string; obstacleId: string; resolvedOn: LocalDate; resolution: string };
};

/** 年度计划投资: the investment planned for the project in a calendar year (a change says why). */
export type AnnualInvestmentPlanned = {
  type: 'AnnualInvestmentPlanned';
  data: { projectId: string; year: number; plannedInvestmentWan: Wan; reason?: string };
};

export type ProjectAmended = {
  type: 'ProjectAmended';
  data: { projectId: string; changes: Partial<ProjectDetails>; reason: string };
};

/** 终止 / 退出 */
export type ProjectTerminated = {
  type: 'ProjectTerminated';
  data: { projectId: string; occurredOn: LocalDate; reason: string };
};

/** 作废: the project was recorded in error (e.g. entered twice); it leaves every cohort from now on. */
export type ProjectVoided = {
  type: 'ProjectVoided';
  data: { projectId: string; reason: string };
};

/** A listing recorded in error, withdrawn; the project leaves that round's batch from now on. */
export type ListingWithdrawn = {
  type: 'ListingWithdrawn';
  data: { projectId: string; roundId: string; heldOn: LocalDate; batch: Batch; reason: string };
};

export type ProjectEvent =
  | ProjectSigned
  | ProjectListed
  | MilestoneReached
  | MilestoneDateCorrected
  | MilestoneRetracted
  | InvestmentProgressReported
  | PlannedDatesSet
  | AnnualInvestmentPlanned
  | ObstacleRecorded
  | ObstacleUpdated
  | ObstacleResolved
  | ProjectAmended
  | ProjectTerminated
  | ProjectVoided
  | ListingWithdrawn;

export type ProjectEventType = ProjectEvent['type'];

const PROJECT_EVENT_TYPES: readonly ProjectEventType[] = [
  'ProjectSigned',
  'ProjectListed',
  'ConstructionStarted',
  'StatisticsEntered',
  'ProductionStarted',
  'DesignOutputAttained',
  'EnterpriseEnteredAboveScale',
  'MilestoneDateCorrected',
  'MilestoneRetracted',
  'InvestmentProgressReported',
  'PlannedDatesSet',
  'AnnualInvestmentPlanned',
  'ObstacleRecorded',
  'ObstacleUpdated',
  'ObstacleResolved',
  'ProjectAmended',
  'ProjectTerminated',
  'ProjectVoided',
  'ListingWithdrawn',
];

export const projectStreamId = (projectId: string) => `project-${projectId}`;
export const PROJECT_STREAM_PREFIX = 'project-';

export function isProjectEvent(event: { type: string }): event is ProjectEvent {
  return (PROJECT_EVENT_TYPES as readonly string[]).includes(event.type);
}
