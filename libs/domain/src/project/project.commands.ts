import { Round } from '../reference/round';
import { LocalDate, YearMonth } from '../shared/local-date';
import { Wan } from '../shared/money';
import { DatedFact, Milestone } from './milestones';
import { Batch, ObstacleDetails, ProjectDetails } from './project.events';

/**
 * Every command carries `today`, the province's current calendar date, because the domain
 * never reads the clock and effective dates may not lie in the future.
 */
interface Command<Type extends string, Data> {
  type: Type;
  data: Data;
  today: LocalDate;
  /** The day the programme began (config): no effective date may precede it. */
  programmeStartOn?: LocalDate;
}

export type SignProject = Command<
  'SignProject',
  Omit<ProjectDetails, 'strategicEmerging'> & {
    projectId: string;
    zoneId: string;
    signedOn: LocalDate;
    strategicEmerging?: boolean;
  }
>;
/** The round is passed in whole: listing rules depend on the date it was held. */
export type ListProject = Command<'ListProject', { projectId: string; round: Round; batch: Batch }>;
export type RecordMilestone = Command<
  'RecordMilestone',
  { projectId: string; milestone: Milestone; occurredOn: LocalDate }
>;
export type CorrectMilestoneDate = Command<
  'CorrectMilestoneDate',
  { projectId: string; milestone: DatedFact; occurredOn: LocalDate; reason: string }
>;
export type RetractMilestone = Command<
  'RetractMilestone',
  { projectId: string; milestone: Milestone; reason: string }
>;
export type ReportInvestmentProgress = Command<
  'ReportInvestmentProgress',
  { projectId: string; month: YearMonth; completedInvestmentWan: Wan; reason?: string }
>;
export type SetPlannedDates = Command<
  'SetPlannedDates',
  { projectId: string; plannedStartOn?: LocalDate; plannedProductionOn?: LocalDate; reason?: string }
>;
export type PlanAnnualInvestment = Command<
  'PlanAnnualInvestment',
  { projectId: string; year: number; plannedInvestmentWan: Wan; reason?: string }
>;
export type RecordObstacle = Command<
  'RecordObstacle',
  ObstacleDetails & { projectId: string; obstacleId: string; raisedOn: LocalDate }
>;
export type UpdateObstacle = Command<
  'UpdateObstacle',
  { projectId: string; obstacleId: string; changes: Partial<ObstacleDetails>; reason: string }
>;
export type ResolveObstacle = Command<
  'ResolveObstacle',
  { projectId: string; obstacleId: string; resolvedOn: LocalDate; resolution: string }
>;
export type AmendProject = Command<
  'AmendProject',
  { projectId: string; changes: Partial<ProjectDetails>; reason: string }
>;
export type TerminateProject = Command<
  'TerminateProject',
  { projectId: string; occurredOn: LocalDate; reason: string }
>;

export type VoidProject = Command<'VoidProject', { projectId: string; reason: string }>;
export type WithdrawListing = Command<
  'WithdrawListing',
  { projectId: string; roundId: string; reason: string }
>;

export type ProjectCommand =
  | SignProject
  | ListProject
  | RecordMilestone
  | CorrectMilestoneDate
  | RetractMilestone
  | ReportInvestmentProgress
  | SetPlannedDates
  | PlanAnnualInvestment
  | RecordObstacle
  | UpdateObstacle
  | ResolveObstacle
  | AmendProject
  | TerminateProject
  | VoidProject
  | WithdrawListing;
