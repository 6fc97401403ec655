import { Round } from '../reference/round';
import { conflict, invalid, notFound } from '../shared/domain-error';
import { LocalDate, isLocalDate, isYearMonth, lastDayOf, monthOf } from '../shared/local-date';
import { isWan } from '../shared/money';
import { isIdentifier, IDENTIFIER_RULE } from '../shared/identifiers';
import {
  DEPENDS_ON,
  DatedFact,
  LISTING_NEEDS,
  MILESTONE_EVENT_TYPES,
  dependentsOf,
  isCorrectable,
  isMilestone,
} from './milestones';
import {
  AmendProject,
  CorrectMilestoneDate,
  ListProject,
  PlanAnnualInvestment,
  ProjectCommand,
  RecordMilestone,
  RecordObstacle,
  ResolveObstacle,
  UpdateObstacle,
  ReportInvestmentProgress,
  RetractMilestone,
  SetPlannedDates,
  SignProject,
  TerminateProject,
} from './project.commands';
import {
  BATCHES,
  Batch,
  OBSTACLE_CATEGORIES,
  ObstacleDetails,
  ProjectDetails,
  ProjectEvent,
} from './project.events';
import { ProjectState, SignedProject } from './project.state';

/**
 * The lifecycle rules. Returns the facts a command adds, `[]` when it repeats what is
 * already recorded (a retried request is not an error), or throws a DomainError.
 */
export function decideProject(command: ProjectCommand, state: ProjectState): ProjectEvent[] {
  if (command.type === 'SignProject') return sign(command, state);
  if (state.status === 'unknown') {
    throw notFound('project-not-found', `project ${command.data.projectId} has not been signed`);
  }
  switch (command.type) {
    case 'ListProject':
      return list(command, state);
    case 'RecordMilestone':
      return recordMilestone(command, state);
    case 'CorrectMilestoneDate':
      return correctDate(command, state);
    case 'RetractMilestone':
      return retract(command, state);
    case 'ReportInvestmentProgress':
      return reportProgress(command, state);
    case 'SetPlannedDates':
      return setPlannedDates(command, state);
    case 'PlanAnnualInvestment':
      return planAnnualInvestment(command, state);
    case 'RecordObstacle':
      return recordObstacle(command, state);
    case 'UpdateObstacle':
      return updateObstacle(command, state);
    case 'ResolveObstacle':
      return resolveObstacle(command, state);
    case 'AmendProject':
      return amend(command, state);
    case 'TerminateProject':
      return terminate(command, state);
    default: {
      const unhandled: never = command;
      return unhandled;
    }
  }
}

function sign(command: SignProject, state: ProjectState): ProjectEvent[] {
  const { data, today } = command;
  if (!isIdentifier(data.projectId)) throw invalid('invalid-id', `projectId ${IDENTIFIER_RULE}`, 'projectId');
  validateDetails(data);
  requireDate(data.signedOn, 'signedOn', today);
  const event: ProjectEvent = {
    type: 'ProjectSigned',
    data: { ...data, strategicEmerging: data.strategicEmerging ?? false },
  };
  if (state.status === 'signed') {
    if (JSON.stringify(signedData(state)) === JSON.stringify(normalise(event.data))) return [];
    throw conflict('project-exists', `project ${data.projectId} is already signed with other details`);
  }
  return [event];
}

function list(command: ListProject, state: SignedProject): ProjectEvent[] {
  const { round, batch } = command.data;
  if (!(BATCHES as readonly string[]).includes(batch)) {
    throw invalid('invalid-batch', `batch must be one of ${BATCHES.join(', ')}`, 'batch');
  }
  // A listing takes effect on its round's date, and effective dates can't be in the future.
  if (round.heldOn > command.today) {
    throw invalid(
      'future-date',
      `round ${round.id} is held on ${round.heldOn}, after today (${command.today})`,
      'roundId',
    );
  }
  const existing = state.listings.find((listing) => listing.roundId === round.id);
  if (existing?.batch === batch) return [];
  if (existing) {
    throw conflict(
      'listed-in-round',
      `project is already listed in round ${round.id} in the ${existing.batch} batch`,
    );
  }
  refuseAfterTermination(state, round.heldOn, 'listed in a round');
  if (state.signedOn > round.heldOn) {
    throw conflict(
      'listing-before-signing',
      `round ${round.id} was held on ${round.heldOn}, before the project was signed (${state.signedOn})`,
    );
  }
  requireReachedBy(state, batch, round);
  return [
    {
      type: 'ProjectListed',
      data: { projectId: state.projectId, roundId: round.id, heldOn: round.heldOn, batch },
    },
  ];
}

/** A listing needs what `LISTING_NEEDS` names for its batch recorded by the round's date. */
function requireReachedBy(state: SignedProject, batch: Batch, round: Round): void {
  const needed = LISTING_NEEDS[batch];
  const reachedOn = dateOf(state, needed);
  if (reachedOn === undefined || reachedOn > round.heldOn) {
    throw conflict(
      'listing-needs-milestone',
      `a ${batch} batch listing needs ${needed} recorded on or before the round's date ${round.heldOn}` +
        (reachedOn ? ` (recorded: ${reachedOn})` : ' (not recorded)'),
    );
  }
}

function recordMilestone(command: RecordMilestone, state: SignedProject): ProjectEvent[] {
  const { milestone, occurredOn } = command.data;
  if (!isMilestone(milestone)) throw invalid('invalid-milestone', 'unknown milestone', 'milestone');
  requireDate(occurredOn, 'occurredOn', command.today);
  const recorded = state.milestones[milestone];
  if (recorded === occurredOn) return [];
  if (recorded !== undefined) {
    throw conflict(
      'milestone-already-recorded',
      `${milestone} is already recorded on ${recorded}; use a correction to change its date`,
    );
  }
  const dependency = DEPENDS_ON[milestone];
  const dependencyDate = dateOf(state, dependency);
  if (dependencyDate === undefined) {
    throw conflict('milestone-out-of-order', `${milestone} needs ${dependency} to be recorded first`);
  }
  if (occurredOn < dependencyDate) {
    throw conflict(
      'milestone-out-of-order',
      `${milestone} on ${occurredOn} would precede ${dependency} on ${dependencyDate}`,
      'occurredOn',
    );
  }
  refuseAfterTermination(state, occurredOn, `given ${milestone}`);
  return [{ type: MILESTONE_EVENT_TYPES[milestone], data: { projectId: state.projectId, occurredOn } }];
}

function correctDate(command: CorrectMilestoneDate, state: SignedProject): ProjectEvent[] {
  const { milestone, occurredOn, reason } = command.data;
  if (!isCorrectable(milestone)) throw invalid('invalid-milestone', 'unknown milestone', 'milestone');
  requireDate(occurredOn, 'occurredOn', command.today);
  requireReason(reason);
  const previousOccurredOn = dateOf(state, milestone);
  if (previousOccurredOn === undefined) {
    throw conflict('milestone-not-recorded', `${milestone} is not recorded, so there is no date to correct`);
  }
  if (previousOccurredOn === occurredOn) return [];
  const bounds = boundsOf(state, milestone);
  if (bounds.notBefore && occurredOn < bounds.notBefore.date) {
    throw conflict(
      'milestone-out-of-order',
      `${milestone} on ${occurredOn} would precede ${bounds.notBefore.what} on ${bounds.notBefore.date}`,
      'occurredOn',
    );
  }
  if (bounds.notAfter && occurredOn > bounds.notAfter.date) {
    throw conflict(
      'milestone-out-of-order',
      `${milestone} on ${occurredOn} would come after ${bounds.notAfter.what} on ${bounds.notAfter.date}`,
      'occurredOn',
    );
  }
  return [
    {
      type: 'MilestoneDateCorrected',
      data: { projectId: state.projectId, milestone, occurredOn, previousOccurredOn, reason },
    },
  ];
}

interface Bound {
  date: LocalDate;
  what: string;
}

/** The dates a fact's date must stay between so that every other recorded fact still holds. */
function boundsOf(state: SignedProject, fact: DatedFact): { notBefore?: Bound; notAfter?: Bound } {
  let notBefore: Bound | undefined;
  if (fact !== 'signed') {
    const dependency = DEPENDS_ON[fact];
    notBefore = { date: dateOf(state, dependency) as LocalDate, what: dependency };
  }
  const upper: Bound[] = [];
  for (const dependent of dependentsOf(fact)) {
    const date = state.milestones[dependent];
    if (date !== undefined) upper.push({ date, what: dependent });
  }
  for (const listing of state.listings) {
    // Every listing needs the signing; each batch also needs its own milestone.
    if (fact === 'signed' || LISTING_NEEDS[listing.batch] === fact)
      upper.push({ date: listing.heldOn, what: `the ${listing.batch} listing in round ${listing.roundId}` });
  }
  if (fact === 'signed') {
    // Progress may not be reported for a month before the signing month.
    const firstMonth = Object.keys(state.investmentProgress).sort()[0];
    if (firstMonth)
      upper.push({ date: lastDayOf(firstMonth), what: `investment progress for ${firstMonth}` });
  }
  if (state.termination) upper.push({ date: state.termination.occurredOn, what: 'termination' });
  const notAfter = upper.reduce<Bound | undefined>(
    (min, b) => (!min || b.date < min.date ? b : min),
    undefined,
  );
  return { notBefore, notAfter };
}

function retract(command: RetractMilestone, state: SignedProject): ProjectEvent[] {
  const { milestone, reason } = command.data;
  if (!isMilestone(milestone)) throw invalid('invalid-milestone', 'unknown milestone', 'milestone');
  requireReason(reason);
  const previousOccurredOn = state.milestones[milestone];
  if (previousOccurredOn === undefined) {
    throw conflict('milestone-not-recorded', `${milestone} is not recorded, so it cannot be retracted`);
  }
  const dependent = dependentsOf(milestone).find((m) => state.milestones[m] !== undefined);
  if (dependent) {
    throw conflict(
      'milestone-has-dependents',
      `${milestone} cannot be retracted while ${dependent} (recorded later) depends on it`,
    );
  }
  const listing = state.listings.find((l) => LISTING_NEEDS[l.batch] === milestone);
  if (listing) {
    throw conflict(
      'milestone-has-dependents',
      `${milestone} cannot be retracted while the project is listed in the ${listing.batch} batch of round ${listing.roundId}`,
    );
  }
  return [
    {
      type: 'MilestoneRetracted',
      data: { projectId: state.projectId, milestone, previousOccurredOn, reason },
    },
  ];
}

function reportProgress(command: ReportInvestmentProgress, state: SignedProject): ProjectEvent[] {
  const { month, completedInvestmentWan } = command.data;
  if (!isYearMonth(month)) throw invalid('invalid-month', 'month must be YYYY-MM', 'month');
  if (month > monthOf(command.today)) throw invalid('future-month', `month ${month} has not begun`, 'month');
  if (!isWan(completedInvestmentWan)) {
    throw invalid(
      'invalid-amount',
      'completedInvestmentWan must be a whole number of 万元, 0 or more',
      'completedInvestmentWan',
    );
  }
  if (month < monthOf(state.signedOn)) {
    throw conflict(
      'progress-before-signing',
      `month ${month} precedes signing on ${state.signedOn}`,
      'month',
    );
  }
  if (state.termination && month > monthOf(state.termination.occurredOn)) {
    throw conflict('project-terminated', `project was terminated on ${state.termination.occurredOn}`);
  }
  const reported = state.investmentProgress;
  if (reported[month] === completedInvestmentWan) return [];
  const reason = command.data.reason;
  if (reason !== undefined) requireReason(reason);
  // Completed investment is cumulative: it never falls from one month to the next. Below what
  // was already reported for the same month it is a correction, which must say why.
  for (const [other, wan] of Object.entries(reported)) {
    const decrease = other === month ? reason === undefined && wan > completedInvestmentWan : false;
    if (
      decrease ||
      (other < month && wan > completedInvestmentWan) ||
      (other > month && wan < completedInvestmentWan)
    ) {
      throw conflict(
        'progress-not-cumulative',
        `cumulative completed investment ${completedInvestmentWan} for ${month} conflicts with ${wan} reported for ${other}` +
          (decrease ? ' (a correction needs a reason)' : ''),
        'completedInvestmentWan',
      );
    }
  }
  return [
    {
      type: 'InvestmentProgressReported',
      data: {
        projectId: state.projectId,
        month,
        completedInvestmentWan,
        ...(reason !== undefined ? { reason } : {}),
      },
    },
  ];
}

/** Planned dates after signing: setting one needs no reason, changing one does. */
function setPlannedDates(command: SetPlannedDates, state: SignedProject): ProjectEvent[] {
  const { plannedStartOn, plannedProductionOn, reason } = command.data;
  if (plannedStartOn === undefined && plannedProductionOn === undefined) {
    throw invalid('required', 'plannedStartOn or plannedProductionOn is required', 'plannedStartOn');
  }
  validateDetails({
    ...detailsOf(state),
    ...(plannedStartOn !== undefined ? { plannedStartOn } : {}),
    ...(plannedProductionOn !== undefined ? { plannedProductionOn } : {}),
  });
  const changes: { plannedStartOn?: LocalDate; plannedProductionOn?: LocalDate } = {};
  if (plannedStartOn !== undefined && plannedStartOn !== state.plannedStartOn)
    changes.plannedStartOn = plannedStartOn;
  if (plannedProductionOn !== undefined && plannedProductionOn !== state.plannedProductionOn)
    changes.plannedProductionOn = plannedProductionOn;
  if (Object.keys(changes).length === 0) return [];
  const changesAPlan =
    (changes.plannedStartOn !== undefined && state.plannedStartOn !== undefined) ||
    (changes.plannedProductionOn !== undefined && state.plannedProductionOn !== undefined);
  if (changesAPlan || reason !== undefined) requireReason(reason);
  return [
    {
      type: 'PlannedDatesSet',
      data: { projectId: state.projectId, ...changes, ...(reason !== undefined ? { reason } : {}) },
    },
  ];
}

/** The investment planned for a year: the first plan needs no reason, a change does. */
function planAnnualInvestment(command: PlanAnnualInvestment, state: SignedProject): ProjectEvent[] {
  const { year, plannedInvestmentWan, reason } = command.data;
  if (!Number.isInteger(year) || year < 2000 || year > 2100) {
    throw invalid('invalid-year', 'year must be a calendar year such as 2024', 'year');
  }
  if (!isWan(plannedInvestmentWan)) {
    throw invalid(
      'invalid-amount',
      'plannedInvestmentWan must be a whole number of 万元, 0 or more',
      'plannedInvestmentWan',
    );
  }
  const current = state.annualInvestmentPlan[year];
  if (current === plannedInvestmentWan) return [];
  if (current !== undefined || reason !== undefined) requireReason(reason);
  return [
    {
      type: 'AnnualInvestmentPlanned',
      data: {
        projectId: state.projectId,
        year,
        plannedInvestmentWan,
        ...(reason !== undefined ? { reason } : {}),
      },
    },
  ];
}

function validateObstacle(details: Partial<ObstacleDetails>, required: boolean): void {
  if (
    (required || details.category !== undefined) &&
    !(OBSTACLE_CATEGORIES as readonly unknown[]).includes(details.category)
  ) {
    throw invalid(
      'invalid-category',
      `category must be one of ${OBSTACLE_CATEGORIES.join(', ')}`,
      'category',
    );
  }
  for (const field of ['description', 'responsibleUnit'] as const) {
    const value = details[field];
    if ((required || value !== undefined) && (typeof value !== 'string' || value.trim().length === 0))
      throw invalid('required', `${field} is required`, field);
  }
  if (details.measures !== undefined && typeof details.measures !== 'string')
    throw invalid('invalid-measures', 'measures must be text', 'measures');
}

function recordObstacle(command: RecordObstacle, state: SignedProject): ProjectEvent[] {
  const { projectId: _project, obstacleId, raisedOn, ...details } = command.data;
  if (!isIdentifier(obstacleId)) throw invalid('invalid-id', `obstacleId ${IDENTIFIER_RULE}`, 'obstacleId');
  validateObstacle(details, true);
  requireDate(raisedOn, 'raisedOn', command.today);
  if (raisedOn < state.signedOn) {
    throw conflict(
      'obstacle-before-signing',
      `raisedOn ${raisedOn} precedes signing on ${state.signedOn}`,
      'raisedOn',
    );
  }
  const event: ProjectEvent = {
    type: 'ObstacleRecorded',
    data: { projectId: state.projectId, obstacleId, raisedOn, ...details },
  };
  const existing = state.obstacles[obstacleId];
  if (existing) {
    const { resolution: _resolution, ...recorded } = existing;
    const { projectId: _id, ...given } = event.data;
    if (JSON.stringify(normalise(recorded)) === JSON.stringify(normalise(given))) return [];
    throw conflict(
      'obstacle-exists',
      `obstacle ${obstacleId} is already recorded with other details`,
      'obstacleId',
    );
  }
  return [event];
}

function openObstacle(state: SignedProject, obstacleId: string) {
  const obstacle = state.obstacles[obstacleId];
  if (!obstacle)
    throw notFound('obstacle-not-found', `project ${state.projectId} has no obstacle ${obstacleId}`);
  return obstacle;
}

function updateObstacle(command: UpdateObstacle, state: SignedProject): ProjectEvent[] {
  const { obstacleId, changes, reason } = command.data;
  const obstacle = openObstacle(state, obstacleId);
  const unknown = Object.keys(changes).filter(
    (key) => !['category', 'description', 'responsibleUnit', 'measures'].includes(key),
  );
  if (unknown.length > 0) throw invalid('not-updatable', `cannot update ${unknown.join(', ')}`, unknown[0]);
  validateObstacle(changes, false);
  requireReason(reason);
  if (obstacle.resolution) {
    throw conflict(
      'obstacle-resolved',
      `obstacle ${obstacleId} was resolved on ${obstacle.resolution.resolvedOn}`,
    );
  }
  const effective: Partial<ObstacleDetails> = {};
  for (const [key, value] of Object.entries(changes) as [keyof ObstacleDetails, string][])
    if (obstacle[key] !== value) Object.assign(effective, { [key]: value });
  if (Object.keys(effective).length === 0) return [];
  return [
    { type: 'ObstacleUpdated', data: { projectId: state.projectId, obstacleId, changes: effective, reason } },
  ];
}

function resolveObstacle(command: ResolveObstacle, state: SignedProject): ProjectEvent[] {
  const { obstacleId, resolvedOn, resolution } = command.data;
  const obstacle = openObstacle(state, obstacleId);
  requireDate(resolvedOn, 'resolvedOn', command.today);
  if (typeof resolution !== 'string' || resolution.trim().length === 0)
    throw invalid('required', 'resolution is required', 'resolution');
  if (obstacle.resolution) {
    const same =
      obstacle.resolution.resolvedOn === resolvedOn && obstacle.resolution.resolution === resolution;
    if (same) return [];
    throw conflict(
      'obstacle-resolved',
      `obstacle ${obstacleId} was already resolved on ${obstacle.resolution.resolvedOn}`,
    );
  }
  if (resolvedOn < obstacle.raisedOn) {
    throw conflict(
      'resolution-before-obstacle',
      `resolvedOn ${resolvedOn} precedes the obstacle, raised on ${obstacle.raisedOn}`,
      'resolvedOn',
    );
  }
  return [
    { type: 'ObstacleResolved', data: { projectId: state.projectId, obstacleId, resolvedOn, resolution } },
  ];
}

const AMENDABLE: readonly (keyof ProjectDetails)[] = [
  'name',
  'enterprise',
  'totalInvestmentWan',
  'industrial',
  'strategicEmerging',
  'industryChain',
  'plannedStartOn',
  'plannedProductionOn',
];

function amend(command: AmendProject, state: SignedProject): ProjectEvent[] {
  const { changes, reason } = command.data;
  requireReason(reason);
  const unknown = Object.keys(changes).filter((key) => !(AMENDABLE as string[]).includes(key));
  if (unknown.length > 0) throw invalid('not-amendable', `cannot amend ${unknown.join(', ')}`, unknown[0]);
  validateDetails({ ...detailsOf(state), ...changes });
  const effective: Partial<ProjectDetails> = {};
  for (const key of AMENDABLE) {
    if (key in changes && changes[key] !== state[key]) Object.assign(effective, { [key]: changes[key] });
  }
  if (Object.keys(effective).length === 0) return [];
  return [{ type: 'ProjectAmended', data: { projectId: state.projectId, changes: effective, reason } }];
}

function terminate(command: TerminateProject, state: SignedProject): ProjectEvent[] {
  const { occurredOn, reason } = command.data;
  requireDate(occurredOn, 'occurredOn', command.today);
  requireReason(reason);
  if (state.termination) {
    if (state.termination.occurredOn === occurredOn && state.termination.reason === reason) return [];
    throw conflict('project-terminated', `project was already terminated on ${state.termination.occurredOn}`);
  }
  const latest = latestFact(state);
  if (occurredOn < latest.date) {
    throw conflict(
      'termination-out-of-order',
      `termination on ${occurredOn} would precede ${latest.what} on ${latest.date}`,
      'occurredOn',
    );
  }
  return [{ type: 'ProjectTerminated', data: { projectId: state.projectId, occurredOn, reason } }];
}

function latestFact(state: SignedProject): Bound {
  let latest: Bound = { date: state.signedOn, what: 'signing' };
  for (const [milestone, date] of Object.entries(state.milestones)) {
    if (date > latest.date) latest = { date, what: milestone };
  }
  // Nothing dated after the termination may stand: listings and progress months included.
  for (const listing of state.listings) {
    if (listing.heldOn > latest.date)
      latest = { date: listing.heldOn, what: `the listing in round ${listing.roundId}` };
  }
  for (const month of Object.keys(state.investmentProgress)) {
    if (`${month}-01` > latest.date)
      latest = { date: `${month}-01`, what: `investment progress for ${month}` };
  }
  return latest;
}

/** A terminated project records nothing that would have happened after its termination. */
function refuseAfterTermination(state: SignedProject, effectiveOn: LocalDate, what: string): void {
  if (state.termination && effectiveOn > state.termination.occurredOn) {
    throw conflict(
      'project-terminated',
      `project was terminated on ${state.termination.occurredOn} and cannot be ${what} after that`,
    );
  }
}

function dateOf(state: SignedProject, fact: DatedFact): LocalDate | undefined {
  return fact === 'signed' ? state.signedOn : state.milestones[fact];
}

function requireDate(value: unknown, field: string, today: LocalDate): asserts value is LocalDate {
  if (!isLocalDate(value))
    throw invalid('invalid-date', `${field} must be a calendar date YYYY-MM-DD`, field);
  if (value > today)
    throw invalid('future-date', `${field} ${value} is in the future (today is ${today})`, field);
}

function requireReason(reason: unknown): void {
  if (typeof reason !== 'string' || reason.trim().length === 0) {
    throw invalid('reason-required', 'a reason is required', 'reason');
  }
}

function validateDetails(details: Partial<ProjectDetails>): void {
  for (const field of ['name', 'enterprise'] as const) {
    const value = details[field];
    if (typeof value !== 'string' || value.trim().length === 0)
      throw invalid('required', `${field} is required`, field);
  }
  if (!isWan(details.totalInvestmentWan) || details.totalInvestmentWan === 0) {
    throw invalid(
      'invalid-amount',
      'totalInvestmentWan must be a whole number of 万元 above 0',
      'totalInvestmentWan',
    );
  }
  for (const field of ['plannedStartOn', 'plannedProductionOn'] as const) {
    const value = details[field];
    if (value !== undefined && !isLocalDate(value))
      throw invalid('invalid-date', `${field} must be YYYY-MM-DD`, field);
  }
  const { plannedStartOn, plannedProductionOn } = details;
  if (
    plannedStartOn !== undefined &&
    plannedProductionOn !== undefined &&
    plannedProductionOn < plannedStartOn
  ) {
    throw invalid(
      'planned-production-before-start',
      `plannedProductionOn ${plannedProductionOn} precedes plannedStartOn ${plannedStartOn}`,
      'plannedProductionOn',
    );
  }
}

function detailsOf(state: SignedProject): ProjectDetails {
  const details: ProjectDetails = {
    name: state.name,
    enterprise: state.enterprise,
    totalInvestmentWan: state.totalInvestmentWan,
    industrial: state.industrial,
    strategicEmerging: state.strategicEmerging,
  };
  for (const key of ['industryChain', 'plannedStartOn', 'plannedProductionOn'] as const) {
    if (state[key] !== undefined) details[key] = state[key];
  }
  return details;
}

function signedData(state: SignedProject) {
  return normalise({
    ...detailsOf(state),
    projectId: state.projectId,
    zoneId: state.zoneId,
    signedOn: state.signedOn,
  });
}

/** Key order and absent optional fields must not make identical signings look different. */
function normalise(data: object): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(data)
      .filter(([, value]) => value !== undefined)
      .sort(([a], [b]) => a.localeCompare(b)),
  );
}
