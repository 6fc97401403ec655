import { LocalDate, YearMonth } from '../shared/local-date';
import { Wan } from '../shared/money';
import { MILESTONE_OF_EVENT_TYPE, Milestone } from './milestones';
import { Batch, ObstacleDetails, ProjectDetails, ProjectEvent } from './project.events';

export interface Listing {
  roundId: string;
  heldOn: LocalDate;
  batch: Batch;
}

export interface Obstacle extends ObstacleDetails {
  obstacleId: string;
  raisedOn: LocalDate;
  resolution?: { resolvedOn: LocalDate; resolution: string };
}

export interface SignedProject extends ProjectDetails {
  status: 'signed';
  projectId: string;
  zoneId: string;
  signedOn: LocalDate;
  /** Effective date of each milestone recorded and not retracted. */
  milestones: Partial<Record<Milestone, LocalDate>>;
  listings: Listing[];
  /** Cumulative completed investment (完成投资) by month. */
  investmentProgress: Record<YearMonth, Wan>;
  /** Planned investment (年度计划投资) by calendar year. */
  annualInvestmentPlan: Record<number, Wan>;
  /** 问题协调: obstacles by id, open or resolved. */
  obstacles: Record<string, Obstacle>;
  termination?: { occurredOn: LocalDate; reason: string };
  /** 作废: recorded in error; nothing more may be recorded for it. */
  voided?: { reason: string };
}

export type ProjectState = { status: 'unknown' } | SignedProject;

export const initialProjectState = (): ProjectState => ({ status: 'unknown' });

/** Applies one recorded fact. Pure: the same events always fold to the same state. */
export function evolveProject(state: ProjectState, event: ProjectEvent): ProjectState {
  if (event.type === 'ProjectSigned') {
    const { projectId, zoneId, signedOn, ...details } = event.data;
    return {
      status: 'signed',
      projectId,
      zoneId,
      signedOn,
      ...details,
      milestones: {},
      listings: [],
      investmentProgress: {},
      annualInvestmentPlan: {},
      obstacles: {},
    };
  }
  if (state.status === 'unknown') return state;
  switch (event.type) {
    case 'ProjectListed': {
      const { roundId, heldOn, batch } = event.data;
      return { ...state, listings: [...state.listings, { roundId, heldOn, batch }] };
    }
    case 'ConstructionStarted':
    case 'StatisticsEntered':
    case 'ProductionStarted':
    case 'DesignOutputAttained':
    case 'EnterpriseEnteredAboveScale':
      return {
        ...state,
        milestones: { ...state.milestones, [MILESTONE_OF_EVENT_TYPE[event.type]]: event.data.occurredOn },
      };
    case 'MilestoneDateCorrected': {
      const { milestone, occurredOn } = event.data;
      if (milestone === 'signed') return { ...state, signedOn: occurredOn };
      return { ...state, milestones: { ...state.milestones, [milestone]: occurredOn } };
    }
    case 'MilestoneRetracted': {
      const milestones = { ...state.milestones };
      delete milestones[event.data.milestone];
      return { ...state, milestones };
    }
    case 'InvestmentProgressReported':
      return {
        ...state,
        investmentProgress: {
          ...state.investmentProgress,
          [event.data.month]: event.data.completedInvestmentWan,
        },
      };
    case 'PlannedDatesSet': {
      const { plannedStartOn, plannedProductionOn } = event.data;
      return {
        ...state,
        ...(plannedStartOn !== undefined ? { plannedStartOn } : {}),
        ...(plannedProductionOn !== undefined ? { plannedProductionOn } : {}),
      };
    }
    case 'AnnualInvestmentPlanned':
      return {
        ...state,
        annualInvestmentPlan: {
          ...state.annualInvestmentPlan,
          [event.data.year]: event.data.plannedInvestmentWan,
        },
      };
    case 'ObstacleRecorded': {
      const { projectId: _project, ...obstacle } = event.data;
      return { ...state, obstacles: { ...state.obstacles, [obstacle.obstacleId]: obstacle } };
    }
    case 'ObstacleUpdated': {
      const { obstacleId, changes } = event.data;
      const obstacle = { ...state.obstacles[obstacleId], ...changes };
      return { ...state, obstacles: { ...state.obstacles, [obstacleId]: obstacle } };
    }
    case 'ObstacleResolved': {
      const { obstacleId, resolvedOn, resolution } = event.data;
      const obstacle = { ...state.obstacles[obstacleId], resolution: { resolvedOn, resolution } };
      return { ...state, obstacles: { ...state.obstacles, [obstacleId]: obstacle } };
    }
    case 'ProjectAmended':
      return { ...state, ...event.data.changes };
    case 'ProjectTerminated':
      return { ...state, termination: { occurredOn: event.data.occurredOn, reason: event.data.reason } };
    case 'ProjectVoided':
      return { ...state, voided: { reason: event.data.reason } };
    case 'ListingWithdrawn':
      return { ...state, listings: state.listings.filter((l) => l.roundId !== event.data.roundId) };
    default: {
      const unhandled: never = event;
      return unhandled;
    }
  }
}

export function foldProject(events: Iterable<ProjectEvent>): ProjectState {
  let state = initialProjectState();
  for (const event of events) state = evolveProject(state, event);
  return state;
}
