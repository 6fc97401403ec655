/**
 * Given/when/then for the deciders (Emmett style), for specs only: not exported
 * from the library's index.
 *
 *   given([signed()]).when(recordMilestone('construction-started', '2023-03-01')).then([...])
 *
 * `specFor` makes the same for any decider; `given` (projects), `givenZone` and
 * `givenRound` are ready-made.
 */
import { Round, RoundCommand, RoundEvent, RoundState, decideRound, evolveRound } from '../reference/round';
import { ZoneCommand, ZoneEvent, ZoneState, decideZone, evolveZone } from '../reference/zone';
import { DomainError, DomainErrorKind } from '../shared/domain-error';
import { LocalDate, YearMonth } from '../shared/local-date';
import { Wan } from '../shared/money';
import { DatedFact, MILESTONE_EVENT_TYPES, Milestone } from '../project/milestones';
import {
  AmendProject,
  CorrectMilestoneDate,
  ListProject,
  PlanAnnualInvestment,
  ProjectCommand,
  RecordMilestone,
  RecordObstacle,
  ReportInvestmentProgress,
  ResolveObstacle,
  RetractMilestone,
  SetPlannedDates,
  SignProject,
  TerminateProject,
  UpdateObstacle,
  VoidProject,
  WithdrawListing,
} from '../project/project.commands';
import { decideProject } from '../project/project.decide';
import { Batch, ObstacleDetails, ProjectDetails, ProjectEvent } from '../project/project.events';
import { ProjectState, evolveProject, initialProjectState } from '../project/project.state';

export interface Decider<Command, Event, State> {
  decide(command: Command, state: State): Event[];
  evolve(state: State, event: Event): State;
  initialState(): State;
}

export interface Then<Event> {
  then(expected: Event[]): void;
  /** The command repeats what is already recorded: a harmless retry, no new facts. */
  thenNothing(): void;
  thenThrows(kind: DomainErrorKind, code: string): DomainError;
}

export function specFor<Command, Event, State>(decider: Decider<Command, Event, State>) {
  return (events: readonly Event[]): { when(command: Command): Then<Event> } => {
    const state = events.reduce(decider.evolve, decider.initialState());
    return {
      when(command) {
        const run = () => decider.decide(command, state);
        return {
          then(expected) {
            expect(run()).toEqual(expected);
          },
          thenNothing() {
            expect(run()).toEqual([]);
          },
          thenThrows(kind, code) {
            let decided: Event[];
            try {
              decided = run();
            } catch (error) {
              if (!(error instanceof DomainError)) throw error;
              expect({ kind: error.kind, code: error.code }).toEqual({ kind, code });
              return error;
            }
            throw new Error(
              `expected a ${kind} ${code} DomainError, decide returned ${JSON.stringify(decided)}`,
            );
          },
        };
      },
    };
  };
}

export const given = specFor<ProjectCommand, ProjectEvent, ProjectState>({
  decide: decideProject,
  evolve: evolveProject,
  initialState: initialProjectState,
});

export const givenZone = specFor<ZoneCommand, ZoneEvent, ZoneState>({
  decide: decideZone,
  evolve: evolveZone,
  initialState: () => null,
});

export const givenRound = specFor<RoundCommand, RoundEvent, RoundState>({
  decide: decideRound,
  evolve: evolveRound,
  initialState: () => null,
});

// ---------------------------------------------------------------------------------------
// Builders. One project, `P1` in zone `Z1`; "today" is fixed so future dates are explicit.

export const PROJECT_ID = 'P1';
export const ZONE_ID = 'Z1';
export const TODAY: LocalDate = '2023-12-15';

export const details = (overrides: Partial<ProjectDetails> = {}): ProjectDetails => ({
  name: '年产10万吨新材料项目',
  enterprise: '晋中新材料有限公司',
  totalInvestmentWan: 470_300,
  industrial: true,
  strategicEmerging: false,
  ...overrides,
});

export const round = (heldOn: LocalDate, id = `R-${heldOn}`): Round => ({ id, heldOn });

// -- events ---------------------------------------------------------------------------

export const signed = (
  signedOn: LocalDate = '2023-02-22',
  overrides: Partial<ProjectDetails> = {},
): ProjectEvent => ({
  type: 'ProjectSigned',
  data: { projectId: PROJECT_ID, zoneId: ZONE_ID, signedOn, ...details(overrides) },
});

export const reached = (milestone: Milestone, occurredOn: LocalDate): ProjectEvent => ({
  type: MILESTONE_EVENT_TYPES[milestone],
  data: { projectId: PROJECT_ID, occurredOn },
});

export const listed = (batch: Batch, heldOn: LocalDate, roundId = `R-${heldOn}`): ProjectEvent => ({
  type: 'ProjectListed',
  data: { projectId: PROJECT_ID, roundId, heldOn, batch },
});

export const corrected = (
  milestone: DatedFact,
  previousOccurredOn: LocalDate,
  occurredOn: LocalDate,
  reason = '台账录入错误',
): ProjectEvent => ({
  type: 'MilestoneDateCorrected',
  data: { projectId: PROJECT_ID, milestone, occurredOn, previousOccurredOn, reason },
});

export const retracted = (
  milestone: Milestone,
  previousOccurredOn: LocalDate,
  reason = '误报',
): ProjectEvent => ({
  type: 'MilestoneRetracted',
  data: { projectId: PROJECT_ID, milestone, previousOccurredOn, reason },
});

export const progressReported = (month: YearMonth, completedInvestmentWan: Wan): ProjectEvent => ({
  type: 'InvestmentProgressReported',
  data: { projectId: PROJECT_ID, month, completedInvestmentWan },
});

export const amended = (changes: Partial<ProjectDetails>, reason = '企业变更'): ProjectEvent => ({
  type: 'ProjectAmended',
  data: { projectId: PROJECT_ID, changes, reason },
});

export const terminated = (occurredOn: LocalDate, reason = '企业退出'): ProjectEvent => ({
  type: 'ProjectTerminated',
  data: { projectId: PROJECT_ID, occurredOn, reason },
});

// -- commands -------------------------------------------------------------------------

export const sign = (
  signedOn: LocalDate = '2023-02-22',
  overrides: Partial<SignProject['data']> = {},
  today: LocalDate = TODAY,
): SignProject => ({
  type: 'SignProject',
  data: { projectId: PROJECT_ID, zoneId: ZONE_ID, signedOn, ...details(), ...overrides },
  today,
});

export const list = (
  batch: Batch,
  heldOn: LocalDate,
  roundId = `R-${heldOn}`,
  today = TODAY,
): ListProject => ({
  type: 'ListProject',
  data: { projectId: PROJECT_ID, round: round(heldOn, roundId), batch },
  today,
});

export const recordMilestone = (
  milestone: Milestone,
  occurredOn: LocalDate,
  today = TODAY,
): RecordMilestone => ({
  type: 'RecordMilestone',
  data: { projectId: PROJECT_ID, milestone, occurredOn },
  today,
});

export const correctDate = (
  milestone: DatedFact,
  occurredOn: LocalDate,
  reason = '台账录入错误',
  today = TODAY,
): CorrectMilestoneDate => ({
  type: 'CorrectMilestoneDate',
  data: { projectId: PROJECT_ID, milestone, occurredOn, reason },
  today,
});

export const retract = (milestone: Milestone, reason = '误报', today = TODAY): RetractMilestone => ({
  type: 'RetractMilestone',
  data: { projectId: PROJECT_ID, milestone, reason },
  today,
});

export const reportProgress = (
  month: YearMonth,
  completedInvestmentWan: Wan,
  today = TODAY,
): ReportInvestmentProgress => ({
  type: 'ReportInvestmentProgress',
  data: { projectId: PROJECT_ID, month, completedInvestmentWan },
  today,
});

export const amend = (
  changes: Partial<ProjectDetails>,
  reason = '企业变更',
  today = TODAY,
): AmendProject => ({
  type: 'AmendProject',
  data: { projectId: PROJECT_ID, changes, reason },
  today,
});

export const terminate = (occurredOn: LocalDate, reason = '企业退出', today = TODAY): TerminateProject => ({
  type: 'TerminateProject',
  data: { projectId: PROJECT_ID, occurredOn, reason },
  today,
});

export const plannedDatesSet = (
  dates: { plannedStartOn?: LocalDate; plannedProductionOn?: LocalDate },
  reason?: string,
): ProjectEvent => ({
  type: 'PlannedDatesSet',
  data: { projectId: PROJECT_ID, ...dates, ...(reason !== undefined ? { reason } : {}) },
});

export const annualInvestmentPlanned = (
  year: number,
  plannedInvestmentWan: Wan,
  reason?: string,
): ProjectEvent => ({
  type: 'AnnualInvestmentPlanned',
  data: { projectId: PROJECT_ID, year, plannedInvestmentWan, ...(reason !== undefined ? { reason } : {}) },
});

export const setPlannedDates = (
  dates: { plannedStartOn?: LocalDate; plannedProductionOn?: LocalDate },
  reason?: string,
  today = TODAY,
): SetPlannedDates => ({
  type: 'SetPlannedDates',
  data: { projectId: PROJECT_ID, ...dates, ...(reason !== undefined ? { reason } : {}) },
  today,
});

export const planAnnualInvestment = (
  year: number,
  plannedInvestmentWan: Wan,
  reason?: string,
  today = TODAY,
): PlanAnnualInvestment => ({
  type: 'PlanAnnualInvestment',
  data: { projectId: PROJECT_ID, year, plannedInvestmentWan, ...(reason !== undefined ? { reason } : {}) },
  today,
});

export const correctProgress = (
  month: YearMonth,
  completedInvestmentWan: Wan,
  reason: string,
  today = TODAY,
): ReportInvestmentProgress => ({
  type: 'ReportInvestmentProgress',
  data: { projectId: PROJECT_ID, month, completedInvestmentWan, reason },
  today,
});

const OBSTACLE = {
  obstacleId: 'O1',
  category: 'land' as const,
  description: '用地指标未落实',
  responsibleUnit: '自然资源局',
};

export const obstacleRecorded = (
  raisedOn: LocalDate,
  overrides: Partial<ObstacleDetails> = {},
): ProjectEvent => ({
  type: 'ObstacleRecorded',
  data: { projectId: PROJECT_ID, ...OBSTACLE, raisedOn, ...overrides },
});

export const obstacleResolved = (resolvedOn: LocalDate, resolution = '已落实用地'): ProjectEvent => ({
  type: 'ObstacleResolved',
  data: { projectId: PROJECT_ID, obstacleId: OBSTACLE.obstacleId, resolvedOn, resolution },
});

export const recordObstacle = (
  raisedOn: LocalDate,
  overrides: Partial<RecordObstacle['data']> = {},
  today = TODAY,
): RecordObstacle => ({
  type: 'RecordObstacle',
  data: { projectId: PROJECT_ID, ...OBSTACLE, raisedOn, ...overrides },
  today,
});

export const updateObstacle = (
  changes: Partial<ObstacleDetails>,
  reason = '协调进展',
  today = TODAY,
): UpdateObstacle => ({
  type: 'UpdateObstacle',
  data: { projectId: PROJECT_ID, obstacleId: OBSTACLE.obstacleId, changes, reason },
  today,
});

export const resolveObstacle = (
  resolvedOn: LocalDate,
  resolution = '已落实用地',
  today = TODAY,
): ResolveObstacle => ({
  type: 'ResolveObstacle',
  data: { projectId: PROJECT_ID, obstacleId: OBSTACLE.obstacleId, resolvedOn, resolution },
  today,
});

export const voided = (reason = '重复录入'): ProjectEvent => ({
  type: 'ProjectVoided',
  data: { projectId: PROJECT_ID, reason },
});

export const withdrawn = (
  batch: Batch,
  heldOn: LocalDate,
  roundId = `R-${heldOn}`,
  reason = '误列',
): ProjectEvent => ({
  type: 'ListingWithdrawn',
  data: { projectId: PROJECT_ID, roundId, heldOn, batch, reason },
});

export const voidProject = (reason = '重复录入', today = TODAY): VoidProject => ({
  type: 'VoidProject',
  data: { projectId: PROJECT_ID, reason },
  today,
});

export const withdrawListing = (roundId: string, reason = '误列', today = TODAY): WithdrawListing => ({
  type: 'WithdrawListing',
  data: { projectId: PROJECT_ID, roundId, reason },
  today,
});
