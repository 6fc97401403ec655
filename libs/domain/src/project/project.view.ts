import { LocalDate, monthOf } from '../shared/local-date';
import { Milestone } from './milestones';
import { ProjectEvent } from './project.events';
import { Listing, SignedProject, foldProject } from './project.state';

/** Where each recorded fact stands on the two time axes. */
export interface Bitemporal<E> {
  event: E;
  /** When the system learned it (ISO-8601 instant). */
  recordedAt: string;
}

export type ProjectLifecycleStage =
  'signed' | 'construction-started' | 'production-started' | 'attained' | 'terminated';

export interface ProjectView extends SignedProject {
  /** The furthest stage reached as of the view's date (统计口径: 签约 → 开工 → 投产 → 达效). */
  stage: ProjectLifecycleStage;
}

/**
 * A project "as of date D, as known at time K": only facts recorded at or before K are
 * folded, then anything whose effective date is after D is left out. Amendments have no
 * effective date, so every amendment known at K applies. `null` when the project was not
 * signed (or not known) at that point.
 */
export function projectAsOf(
  history: Iterable<Bitemporal<ProjectEvent>>,
  asOf?: LocalDate,
  knownAt?: string,
): ProjectView | null {
  const known: ProjectEvent[] = [];
  for (const { event, recordedAt } of history) {
    if (knownAt === undefined || recordedAt <= knownAt) known.push(event);
  }
  const state = foldProject(known);
  if (state.status !== 'signed') return null;
  if (asOf === undefined) return { ...state, stage: stageOfState(state) };
  if (state.signedOn > asOf) return null;
  const investmentProgress = Object.fromEntries(
    Object.entries(state.investmentProgress).filter(([month]) => month <= monthOf(asOf)),
  );
  // obstacles raised by D, open unless resolved by D
  const obstacles = Object.fromEntries(
    Object.entries(state.obstacles)
      .filter(([, obstacle]) => obstacle.raisedOn <= asOf)
      .map(([id, { resolution, ...obstacle }]) => [
        id,
        resolution && resolution.resolvedOn <= asOf ? { ...obstacle, resolution } : obstacle,
      ]),
  );
  const view: SignedProject = {
    ...state,
    milestones: milestonesAsOf(state.milestones, asOf),
    listings: listingsAsOf(state.listings, asOf),
    investmentProgress,
    obstacles,
    termination: state.termination && state.termination.occurredOn <= asOf ? state.termination : undefined,
  };
  return { ...view, stage: stageOfState(view) };
}

/** The milestones effective on or before D. */
export function milestonesAsOf(
  milestones: Partial<Record<Milestone, LocalDate>>,
  asOf: LocalDate,
): Partial<Record<Milestone, LocalDate>> {
  const reached: Partial<Record<Milestone, LocalDate>> = {};
  for (const [milestone, date] of Object.entries(milestones) as [Milestone, LocalDate][]) {
    if (date <= asOf) reached[milestone] = date;
  }
  return reached;
}

/** The listings of rounds held on or before D (a listing takes effect on its round's date). */
export function listingsAsOf(listings: readonly Listing[], asOf: LocalDate): Listing[] {
  return listings.filter((listing) => listing.heldOn <= asOf);
}

/** The milestones that mark a stage, furthest first. */
const STAGE_MILESTONES = ['attained', 'production-started', 'construction-started'] as const;

/**
 * The furthest stage a project reached as of D (every fact when D is absent): a termination
 * by D ends it, otherwise the furthest of 开工, 投产, 达效 recorded by D, otherwise signed.
 */
export function stageOf(
  project: { milestones: Partial<Record<Milestone, LocalDate>>; terminatedOn?: LocalDate },
  asOf?: LocalDate,
): ProjectLifecycleStage {
  const by = (date: LocalDate | undefined) => date !== undefined && (asOf === undefined || date <= asOf);
  if (by(project.terminatedOn)) return 'terminated';
  return STAGE_MILESTONES.find((milestone) => by(project.milestones[milestone])) ?? 'signed';
}

function stageOfState(project: SignedProject): ProjectLifecycleStage {
  return stageOf({ milestones: project.milestones, terminatedOn: project.termination?.occurredOn });
}
