import {
  Batch,
  DatedFact,
  Listing,
  LocalDate,
  MILESTONE_OF_EVENT_TYPE,
  Milestone,
  ObstacleDetails,
  ProjectEvent,
  ProjectSigned,
  YearMonth,
} from '@app/domain';

/**
 * What the read models need of a project, folded from its facts. Mutable and lean on
 * purpose: historical views fold every project's facts again for each (asOf, knownAt), and
 * this fold must stay cheap at a million events. The domain's `evolveProject` is the
 * reference; a property test checks the two agree.
 */
export interface ProjectSnapshot {
  projectId: string;
  zoneId: string;
  name: string;
  enterprise: string;
  totalInvestmentWan: number;
  industrial: boolean;
  strategicEmerging: boolean;
  industryChain?: string;
  signedOn: LocalDate;
  milestones: Partial<Record<Milestone, LocalDate>>;
  listings: Listing[];
  plannedStartOn?: LocalDate;
  plannedProductionOn?: LocalDate;
  /** Planned investment (年度计划投资) per calendar year. */
  annualInvestmentPlan: Record<number, number>;
  obstacles: ProjectObstacle[];
  /** Cumulative completed investment (完成投资) reported per month, in month order. */
  investmentProgress: { month: YearMonth; completedInvestmentWan: number }[];
  terminatedOn?: LocalDate;
  terminationReason?: string;
}

/** An obstacle (问题协调) as recorded and updated; `resolvedOn` once resolved. */
export interface ProjectObstacle extends ObstacleDetails {
  obstacleId: string;
  raisedOn: LocalDate;
  resolvedOn?: LocalDate;
}

/** One recorded fact of a project: the event and when it became known (epoch ms). */
export interface ProjectFact {
  recordedAt: number;
  position: number;
  event: ProjectEvent;
  recordedBy?: string;
  reason?: string;
}

function signedSnapshot({ data }: ProjectSigned): ProjectSnapshot {
  return {
    projectId: data.projectId,
    zoneId: data.zoneId,
    name: data.name,
    enterprise: data.enterprise,
    totalInvestmentWan: data.totalInvestmentWan,
    industrial: data.industrial,
    strategicEmerging: data.strategicEmerging,
    industryChain: data.industryChain,
    signedOn: data.signedOn,
    plannedStartOn: data.plannedStartOn,
    plannedProductionOn: data.plannedProductionOn,
    milestones: {},
    listings: [],
    annualInvestmentPlan: {},
    obstacles: [],
    investmentProgress: [],
  };
}

/**
 * Applies one fact in place; returns the snapshot (a new one for a signing, none once the
 * project is voided: as known from then on it is in no cohort, list or rate).
 */
export function applyFact(
  snapshot: ProjectSnapshot | undefined,
  event: ProjectEvent,
): ProjectSnapshot | undefined {
  if (event.type === 'ProjectSigned') return signedSnapshot(event);
  if (!snapshot) return undefined;
  switch (event.type) {
    case 'ProjectListed':
      snapshot.listings.push({
        roundId: event.data.roundId,
        heldOn: event.data.heldOn,
        batch: event.data.batch,
      });
      break;
    case 'MilestoneDateCorrected':
      if (event.data.milestone === 'signed') snapshot.signedOn = event.data.occurredOn;
      else snapshot.milestones[event.data.milestone] = event.data.occurredOn;
      break;
    case 'MilestoneRetracted':
      delete snapshot.milestones[event.data.milestone];
      break;
    case 'ProjectAmended': {
      const { changes } = event.data;
      if (changes.name !== undefined) snapshot.name = changes.name;
      if (changes.enterprise !== undefined) snapshot.enterprise = changes.enterprise;
      if (changes.totalInvestmentWan !== undefined) snapshot.totalInvestmentWan = changes.totalInvestmentWan;
      if (changes.industrial !== undefined) snapshot.industrial = changes.industrial;
      if (changes.strategicEmerging !== undefined) snapshot.strategicEmerging = changes.strategicEmerging;
      if (changes.industryChain !== undefined) snapshot.industryChain = changes.industryChain;
      if (changes.plannedStartOn !== undefined) snapshot.plannedStartOn = changes.plannedStartOn;
      if (changes.plannedProductionOn !== undefined)
        snapshot.plannedProductionOn = changes.plannedProductionOn;
      break;
    }
    case 'PlannedDatesSet':
      if (event.data.plannedStartOn !== undefined) snapshot.plannedStartOn = event.data.plannedStartOn;
      if (event.data.plannedProductionOn !== undefined)
        snapshot.plannedProductionOn = event.data.plannedProductionOn;
      break;
    case 'ObstacleRecorded': {
      const { projectId: _project, ...obstacle } = event.data;
      snapshot.obstacles.push(obstacle);
      break;
    }
    case 'ObstacleUpdated': {
      const obstacle = snapshot.obstacles.find((o) => o.obstacleId === event.data.obstacleId);
      if (obstacle) Object.assign(obstacle, event.data.changes);
      break;
    }
    case 'ObstacleResolved': {
      const obstacle = snapshot.obstacles.find((o) => o.obstacleId === event.data.obstacleId);
      if (obstacle) obstacle.resolvedOn = event.data.resolvedOn;
      break;
    }
    case 'AnnualInvestmentPlanned':
      snapshot.annualInvestmentPlan[event.data.year] = event.data.plannedInvestmentWan;
      break;
    case 'ProjectTerminated':
      snapshot.terminatedOn = event.data.occurredOn;
      snapshot.terminationReason = event.data.reason;
      break;
    case 'ConstructionStarted':
    case 'StatisticsEntered':
    case 'ProductionStarted':
    case 'DesignOutputAttained':
    case 'EnterpriseEnteredAboveScale':
      snapshot.milestones[MILESTONE_OF_EVENT_TYPE[event.type]] = event.data.occurredOn;
      break;
    case 'ListingWithdrawn':
      snapshot.listings = snapshot.listings.filter((l) => l.roundId !== event.data.roundId);
      break;
    case 'ProjectVoided':
      return undefined;
    case 'InvestmentProgressReported': {
      const { month, completedInvestmentWan } = event.data;
      const progress = snapshot.investmentProgress;
      let at = progress.length;
      while (at > 0 && progress[at - 1].month > month) at--;
      if (at > 0 && progress[at - 1].month === month) progress[at - 1] = { month, completedInvestmentWan };
      else progress.splice(at, 0, { month, completedInvestmentWan });
      break;
    }
    default: {
      const unhandled: never = event;
      throw new Error(`unhandled project event ${(unhandled as ProjectEvent).type}`);
    }
  }
  return snapshot;
}

/**
 * Folds the facts known at `knownAt` (epoch ms; all when undefined). When the facts were
 * recorded in position order (the usual case: one clock stamps them as they are appended),
 * the first fact after K ends the fold.
 */
export function foldFacts(
  facts: readonly ProjectFact[],
  knownAt?: number,
  recordedInOrder = false,
): ProjectSnapshot | undefined {
  let snapshot: ProjectSnapshot | undefined;
  for (let i = 0; i < facts.length; i++) {
    const fact = facts[i];
    if (knownAt !== undefined && fact.recordedAt > knownAt) {
      if (recordedInOrder) break;
      continue;
    }
    snapshot = applyFact(snapshot, fact.event);
  }
  return snapshot;
}

/** The date of a fact (signing or a milestone) when it happened on or before D. */
export function reachedBy(
  snapshot: ProjectSnapshot,
  fact: DatedFact,
  asOf: LocalDate,
): LocalDate | undefined {
  const date = fact === 'signed' ? snapshot.signedOn : snapshot.milestones[fact];
  return date !== undefined && date <= asOf ? date : undefined;
}

export function listedBy(
  snapshot: ProjectSnapshot,
  batch: Batch,
  asOf: LocalDate,
  roundSelected: (listing: Listing) => boolean,
): boolean {
  return snapshot.listings.some((l) => l.batch === batch && l.heldOn <= asOf && roundSelected(l));
}

/** An obstacle as listed beside a project: open on D (raised by D, not resolved by D). */
export type OpenObstacle = Omit<ProjectObstacle, 'resolvedOn'>;

/** Shared by every project without obstacles (most of them); frozen, as lists only read it. */
const NO_OBSTACLES = Object.freeze([]) as unknown as OpenObstacle[];

export function openObstaclesAt(snapshot: ProjectSnapshot, asOf: LocalDate): OpenObstacle[] {
  if (snapshot.obstacles.length === 0) return NO_OBSTACLES;
  const open: OpenObstacle[] = [];
  for (const { resolvedOn, ...obstacle } of snapshot.obstacles) {
    if (obstacle.raisedOn <= asOf && (resolvedOn === undefined || resolvedOn > asOf)) open.push(obstacle);
  }
  return open;
}
