import { Round } from '../reference/round';
import { Bilingual, conflict, invalid, notFound } from '../shared/domain-error';
import { LocalDate, isLocalDate, isYearMonth, lastDayOf, monthOf } from '../shared/local-date';
import { isWan } from '../shared/money';
import { isIdentifier } from '../shared/identifiers';
import {
  DEPENDS_ON,
  DatedFact,
  LISTING_NEEDS,
  Milestone,
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
  VoidProject,
  WithdrawListing,
} from './project.commands';
import {
  BATCHES,
  Batch,
  OBSTACLE_CATEGORIES,
  ObstacleDetails,
  ProjectDetails,
  ProjectEvent,
  ProjectSigned,
} from './project.events';
import { AMENDABLE } from './command-availability';
import { ProjectState, SignedProject } from './project.state';
import { BATCH_WORDS, FACT_WORDS } from './words';

/**
 * The lifecycle rules. Returns the facts a command adds, `[]` when it repeats what is
 * already recorded (a retried request is not an error), or throws a DomainError.
 */
export function decideProject(command: ProjectCommand, state: ProjectState): ProjectEvent[] {
  if (state.status === 'signed' && state.voided) return afterVoid(command, state, state.voided);
  if (command.type === 'SignProject') return sign(command, state);
  if (state.status === 'unknown') {
    throw notFound('project-not-found', {
      zh: `项目 ${command.data.projectId} 尚未签约`,
      en: `project ${command.data.projectId} has not been signed`,
    });
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
    case 'VoidProject':
      return voidProject(command, state);
    case 'WithdrawListing':
      return withdrawListing(command, state);
    default: {
      const unhandled: never = command;
      return unhandled;
    }
  }
}

function sign(command: SignProject, state: ProjectState): ProjectEvent[] {
  const { data, today } = command;
  if (!isIdentifier(data.projectId)) {
    throw invalid(
      'invalid-id',
      {
        zh: '项目编号须为1–80个字母、数字、“.”“_”或“-”，以字母或数字开头',
        en: 'the project id must be 1-80 letters, digits, "." "_" or "-", starting with a letter or digit',
      },
      'projectId',
    );
  }
  validateDetails(data);
  requireDate(data.signedOn, 'signedOn', today, command.programmeStartOn);
  const event: ProjectEvent = {
    type: 'ProjectSigned',
    data: { ...data, strategicEmerging: data.strategicEmerging ?? false },
  };
  if (state.status === 'signed') {
    if (isSameSigning(state, event.data)) return [];
    throw conflict('project-exists', {
      zh: `项目 ${data.projectId} 已以不同信息签约`,
      en: `project ${data.projectId} is already signed with other details`,
    });
  }
  return [event];
}

function list(command: ListProject, state: SignedProject): ProjectEvent[] {
  const { round, batch } = command.data;
  if (!(BATCHES as readonly string[]).includes(batch)) {
    throw invalid(
      'invalid-batch',
      {
        zh: `批次须为 ${BATCHES.join('、')}（签约一批、开工一批、投产一批）之一`,
        en: `batch must be one of ${BATCHES.join(', ')}`,
      },
      'batch',
    );
  }
  // A listing takes effect on its round's date, and effective dates can't be in the future.
  if (round.heldOn > command.today) {
    throw invalid(
      'future-date',
      {
        zh: `活动 ${round.id} 于 ${round.heldOn} 举办，晚于今天（${command.today}）`,
        en: `round ${round.id} is held on ${round.heldOn}, after today (${command.today})`,
      },
      'roundId',
    );
  }
  const existing = state.listings.find((listing) => listing.roundId === round.id);
  if (existing?.batch === batch) return [];
  if (existing) {
    throw conflict('listed-in-round', {
      zh: `项目已列入活动 ${round.id} 的${BATCH_WORDS[existing.batch].zh}`,
      en: `project is already listed in round ${round.id} in the ${BATCH_WORDS[existing.batch].en}`,
    });
  }
  refuseAfterTermination(state, round.heldOn, { zh: '列入活动', en: 'listed in a round' });
  if (state.signedOn > round.heldOn) {
    throw conflict('listing-before-signing', {
      zh: `活动 ${round.id} 于 ${round.heldOn} 举办，早于项目签约（${state.signedOn}）`,
      en: `round ${round.id} was held on ${round.heldOn}, before the project was signed (${state.signedOn})`,
    });
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
    const words = BATCH_WORDS[batch];
    const fact = FACT_WORDS[needed];
    throw conflict('listing-needs-milestone', {
      zh:
        `列入${words.zh}需先在活动日期 ${round.heldOn} 当天或之前${fact.zh}` +
        (reachedOn ? `（已记录${fact.zh}日期：${reachedOn}）` : `（尚未记录${fact.zh}）`),
      en:
        `a ${words.en} listing needs ${fact.en} on or before the round's date ${round.heldOn}` +
        (reachedOn ? ` (recorded: ${reachedOn})` : ' (not recorded)'),
    });
  }
}

function recordMilestone(command: RecordMilestone, state: SignedProject): ProjectEvent[] {
  const { milestone, occurredOn } = command.data;
  if (!isMilestone(milestone)) throw unknownMilestone();
  requireDate(occurredOn, 'occurredOn', command.today, command.programmeStartOn);
  const recorded = state.milestones[milestone];
  const fact = FACT_WORDS[milestone];
  if (recorded === occurredOn) return [];
  if (recorded !== undefined) {
    throw conflict('milestone-already-recorded', {
      zh: `${fact.zh}已记录为 ${recorded}；如需改日期请提交更正`,
      en: `${fact.en} is already recorded on ${recorded}; use a correction to change its date`,
    });
  }
  const dependency = DEPENDS_ON[milestone];
  const dependencyDate = dateOf(state, dependency);
  const needed = FACT_WORDS[dependency];
  if (dependencyDate === undefined) {
    throw conflict('milestone-out-of-order', {
      zh: `${fact.zh}需先${needed.zh}`,
      en: `${fact.en} needs ${needed.en} first`,
    });
  }
  if (occurredOn < dependencyDate) {
    throw conflict(
      'milestone-out-of-order',
      {
        zh: `${fact.zh}日期 ${occurredOn} 早于${needed.zh}日期 ${dependencyDate}`,
        en: `${fact.en} on ${occurredOn} would precede ${needed.en} on ${dependencyDate}`,
      },
      'occurredOn',
    );
  }
  refuseAfterTermination(state, occurredOn, { zh: `记录${fact.zh}`, en: `given a ${fact.en}` });
  return [{ type: MILESTONE_EVENT_TYPES[milestone], data: { projectId: state.projectId, occurredOn } }];
}

function correctDate(command: CorrectMilestoneDate, state: SignedProject): ProjectEvent[] {
  const { milestone, occurredOn, reason } = command.data;
  if (!isCorrectable(milestone)) throw unknownMilestone();
  requireDate(occurredOn, 'occurredOn', command.today, command.programmeStartOn);
  requireReason(reason);
  const previousOccurredOn = dateOf(state, milestone);
  const fact = FACT_WORDS[milestone];
  if (previousOccurredOn === undefined) {
    throw conflict('milestone-not-recorded', {
      zh: `尚未记录${fact.zh}，没有可更正的日期`,
      en: `${fact.en} is not recorded, so there is no date to correct`,
    });
  }
  if (previousOccurredOn === occurredOn) return [];
  const bounds = boundsOf(state, milestone);
  if (bounds.notBefore && occurredOn < bounds.notBefore.date) {
    const { what, date } = bounds.notBefore;
    throw conflict(
      'milestone-out-of-order',
      {
        zh: `${fact.zh}日期 ${occurredOn} 早于${what.zh}日期 ${date}`,
        en: `${fact.en} on ${occurredOn} would precede ${what.en} on ${date}`,
      },
      'occurredOn',
    );
  }
  if (bounds.notAfter && occurredOn > bounds.notAfter.date) {
    const { what, date } = bounds.notAfter;
    throw conflict(
      'milestone-out-of-order',
      {
        zh: `${fact.zh}日期 ${occurredOn} 晚于${what.zh}日期 ${date}`,
        en: `${fact.en} on ${occurredOn} would come after ${what.en} on ${date}`,
      },
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
  what: Bilingual;
}

/** The dates a fact's date must stay between so that every other recorded fact still holds. */
function boundsOf(state: SignedProject, fact: DatedFact): { notBefore?: Bound; notAfter?: Bound } {
  let notBefore: Bound | undefined;
  if (fact !== 'signed') {
    const dependency = DEPENDS_ON[fact];
    notBefore = { date: dateOf(state, dependency) as LocalDate, what: FACT_WORDS[dependency] };
  }
  const upper: Bound[] = [];
  for (const dependent of dependentsOf(fact)) {
    const date = state.milestones[dependent];
    if (date !== undefined) upper.push({ date, what: FACT_WORDS[dependent] });
  }
  for (const listing of state.listings) {
    // Every listing needs the signing; each batch also needs its own milestone.
    if (fact === 'signed' || LISTING_NEEDS[listing.batch] === fact)
      upper.push({ date: listing.heldOn, what: listingWords(listing) });
  }
  if (fact === 'signed') {
    // Progress may not be reported for a month before the signing month.
    const firstMonth = Object.keys(state.investmentProgress).sort()[0];
    if (firstMonth) upper.push({ date: lastDayOf(firstMonth), what: progressWords(firstMonth) });
  }
  if (state.termination)
    upper.push({ date: state.termination.occurredOn, what: { zh: '终止', en: 'termination' } });
  const notAfter = upper.reduce<Bound | undefined>(
    (min, b) => (!min || b.date < min.date ? b : min),
    undefined,
  );
  return { notBefore, notAfter };
}

function retract(command: RetractMilestone, state: SignedProject): ProjectEvent[] {
  const { milestone, reason } = command.data;
  if (!isMilestone(milestone)) throw unknownMilestone();
  requireReason(reason);
  const previousOccurredOn = state.milestones[milestone];
  const fact = FACT_WORDS[milestone];
  if (previousOccurredOn === undefined) {
    throw conflict('milestone-not-recorded', {
      zh: `尚未记录${fact.zh}，无法撤回`,
      en: `${fact.en} is not recorded, so it cannot be retracted`,
    });
  }
  const dependent = dependentsOf(milestone).find((m) => state.milestones[m] !== undefined);
  if (dependent) {
    const later = FACT_WORDS[dependent];
    throw conflict('milestone-has-dependents', {
      zh: `已记录的${later.zh}依赖${fact.zh}，不能撤回${fact.zh}`,
      en: `${fact.en} cannot be retracted while ${later.en} (recorded later) depends on it`,
    });
  }
  const listing = state.listings.find((l) => LISTING_NEEDS[l.batch] === milestone);
  if (listing) {
    throw conflict('milestone-has-dependents', {
      zh: `项目已列入${listingWords(listing).zh}，不能撤回${fact.zh}`,
      en: `${fact.en} cannot be retracted while the project is in ${listingWords(listing).en}`,
    });
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
  if (!isYearMonth(month)) {
    throw invalid('invalid-month', { zh: '月份格式须为 YYYY-MM', en: 'month must be YYYY-MM' }, 'month');
  }
  if (month > monthOf(command.today)) {
    throw invalid('future-month', { zh: `${month} 尚未开始`, en: `month ${month} has not begun` }, 'month');
  }
  const programmeStart = command.programmeStartOn;
  if (programmeStart !== undefined && month < monthOf(programmeStart)) {
    throw invalid(
      'before-programme',
      {
        zh: `${month} 早于“三个一批”活动开始（${programmeStart}）`,
        en: `month ${month} is before the programme began (${programmeStart})`,
      },
      'month',
    );
  }
  if (!isWan(completedInvestmentWan)) {
    throw invalid(
      'invalid-amount',
      {
        zh: '完成投资须为不小于0的整数（万元）',
        en: 'completed investment must be a whole number of 万元, 0 or more',
      },
      'completedInvestmentWan',
    );
  }
  if (completedInvestmentWan > state.totalInvestmentWan) {
    throw conflict(
      'progress-exceeds-total',
      {
        zh: `累计完成投资 ${completedInvestmentWan} 万元超过项目总投资 ${state.totalInvestmentWan} 万元`,
        en: `cumulative completed investment of ${completedInvestmentWan} 万元 exceeds the project's total investment of ${state.totalInvestmentWan} 万元`,
      },
      'completedInvestmentWan',
    );
  }
  if (month < monthOf(state.signedOn)) {
    throw conflict(
      'progress-before-signing',
      {
        zh: `${month} 早于签约日期 ${state.signedOn}`,
        en: `month ${month} precedes signing on ${state.signedOn}`,
      },
      'month',
    );
  }
  if (state.termination && month > monthOf(state.termination.occurredOn)) {
    throw conflict('project-terminated', {
      zh: `项目已于 ${state.termination.occurredOn} 终止`,
      en: `project was terminated on ${state.termination.occurredOn}`,
    });
  }
  const reported = state.investmentProgress;
  if (reported[month] === completedInvestmentWan) return [];
  const reason = command.data.reason;
  if (reason !== undefined) requireReason(reason);
  // Below what was already reported for the same month it is a correction, which must say why.
  const sameMonth = reported[month];
  if (sameMonth !== undefined && reason === undefined && sameMonth > completedInvestmentWan) {
    throw conflict(
      'progress-not-cumulative',
      {
        zh: `${month} 已报累计完成投资 ${sameMonth} 万元，改为更低的 ${completedInvestmentWan} 万元属于更正，须说明原因`,
        en: `cumulative completed investment ${completedInvestmentWan} for ${month} conflicts with ${sameMonth} reported for ${month} (a correction needs a reason)`,
      },
      'completedInvestmentWan',
    );
  }
  const clash = cumulativeClash(reported, month, completedInvestmentWan);
  if (clash) {
    const [other, wan] = clash;
    throw conflict(
      'progress-not-cumulative',
      {
        zh:
          other < month
            ? `${month} 累计完成投资 ${completedInvestmentWan} 万元少于此前 ${other} 已报的 ${wan} 万元`
            : `${month} 累计完成投资 ${completedInvestmentWan} 万元多于此后 ${other} 已报的 ${wan} 万元`,
        en: `cumulative completed investment ${completedInvestmentWan} for ${month} conflicts with ${wan} reported for ${other}`,
      },
      'completedInvestmentWan',
    );
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
    throw invalid(
      'required',
      { zh: '须填写计划开工日期或计划投产日期', en: 'plannedStartOn or plannedProductionOn is required' },
      'plannedStartOn',
    );
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
    throw invalid(
      'invalid-year',
      { zh: '年份须为如 2024 的公历年', en: 'year must be a calendar year such as 2024' },
      'year',
    );
  }
  if (!isWan(plannedInvestmentWan)) {
    throw invalid(
      'invalid-amount',
      {
        zh: '计划投资须为不小于0的整数（万元）',
        en: 'plannedInvestmentWan must be a whole number of 万元, 0 or more',
      },
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
      {
        zh: `问题类别须为 ${OBSTACLE_CATEGORIES.join('、')} 之一`,
        en: `category must be one of ${OBSTACLE_CATEGORIES.join(', ')}`,
      },
      'category',
    );
  }
  for (const field of ['description', 'responsibleUnit'] as const) {
    const value = details[field];
    if ((required || value !== undefined) && (typeof value !== 'string' || value.trim().length === 0))
      throw invalid('required', { zh: `须填写 ${field}`, en: `${field} is required` }, field);
  }
  if (details.measures !== undefined && typeof details.measures !== 'string')
    throw invalid('invalid-measures', { zh: '措施须为文本', en: 'measures must be text' }, 'measures');
}

function recordObstacle(command: RecordObstacle, state: SignedProject): ProjectEvent[] {
  const { projectId: _project, obstacleId, raisedOn, ...details } = command.data;
  if (!isIdentifier(obstacleId))
    throw invalid(
      'invalid-id',
      {
        zh: '问题编号须为1–80个字母、数字、“.”“_”或“-”，以字母或数字开头',
        en: 'obstacleId must be 1-80 letters, digits, "." "_" or "-", starting with a letter or digit',
      },
      'obstacleId',
    );
  validateObstacle(details, true);
  requireDate(raisedOn, 'raisedOn', command.today);
  if (raisedOn < state.signedOn) {
    throw conflict(
      'obstacle-before-signing',
      {
        zh: `问题提出日期 ${raisedOn} 早于签约日期 ${state.signedOn}`,
        en: `raisedOn ${raisedOn} precedes signing on ${state.signedOn}`,
      },
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
      {
        zh: `问题 ${obstacleId} 已以不同内容记录`,
        en: `obstacle ${obstacleId} is already recorded with other details`,
      },
      'obstacleId',
    );
  }
  return [event];
}

function openObstacle(state: SignedProject, obstacleId: string) {
  const obstacle = state.obstacles[obstacleId];
  if (!obstacle)
    throw notFound('obstacle-not-found', {
      zh: `项目 ${state.projectId} 没有问题 ${obstacleId}`,
      en: `project ${state.projectId} has no obstacle ${obstacleId}`,
    });
  return obstacle;
}

function updateObstacle(command: UpdateObstacle, state: SignedProject): ProjectEvent[] {
  const { obstacleId, changes, reason } = command.data;
  const obstacle = openObstacle(state, obstacleId);
  const unknown = Object.keys(changes).filter(
    (key) => !['category', 'description', 'responsibleUnit', 'measures'].includes(key),
  );
  if (unknown.length > 0)
    throw invalid(
      'not-updatable',
      { zh: `不能修改 ${unknown.join('、')}`, en: `cannot update ${unknown.join(', ')}` },
      unknown[0],
    );
  validateObstacle(changes, false);
  requireReason(reason);
  if (obstacle.resolution) {
    throw conflict('obstacle-resolved', {
      zh: `问题 ${obstacleId} 已于 ${obstacle.resolution.resolvedOn} 解决`,
      en: `obstacle ${obstacleId} was resolved on ${obstacle.resolution.resolvedOn}`,
    });
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
    throw invalid('required', { zh: '须填写解决情况', en: 'resolution is required' }, 'resolution');
  if (obstacle.resolution) {
    const same =
      obstacle.resolution.resolvedOn === resolvedOn && obstacle.resolution.resolution === resolution;
    if (same) return [];
    throw conflict('obstacle-resolved', {
      zh: `问题 ${obstacleId} 已于 ${obstacle.resolution.resolvedOn} 解决`,
      en: `obstacle ${obstacleId} was already resolved on ${obstacle.resolution.resolvedOn}`,
    });
  }
  if (resolvedOn < obstacle.raisedOn) {
    throw conflict(
      'resolution-before-obstacle',
      {
        zh: `解决日期 ${resolvedOn} 早于问题提出日期 ${obstacle.raisedOn}`,
        en: `resolvedOn ${resolvedOn} precedes the obstacle, raised on ${obstacle.raisedOn}`,
      },
      'resolvedOn',
    );
  }
  return [
    { type: 'ObstacleResolved', data: { projectId: state.projectId, obstacleId, resolvedOn, resolution } },
  ];
}

function amend(command: AmendProject, state: SignedProject): ProjectEvent[] {
  const { changes, reason } = command.data;
  requireReason(reason);
  const unknown = Object.keys(changes).filter((key) => !(AMENDABLE as readonly string[]).includes(key));
  if (unknown.length > 0) {
    throw invalid(
      'not-amendable',
      { zh: `不能修改 ${unknown.join('、')}`, en: `cannot amend ${unknown.join(', ')}` },
      unknown[0],
    );
  }
  validateDetails({ ...detailsOf(state), ...changes });
  const effective: Partial<ProjectDetails> = {};
  for (const key of AMENDABLE) {
    if (key in changes && changes[key] !== state[key]) Object.assign(effective, { [key]: changes[key] });
  }
  if (Object.keys(effective).length === 0) return [];
  const completed = Math.max(0, ...Object.values(state.investmentProgress));
  if (effective.totalInvestmentWan !== undefined && effective.totalInvestmentWan < completed) {
    throw conflict(
      'total-below-completed',
      {
        zh: `总投资 ${effective.totalInvestmentWan} 万元低于已报累计完成投资 ${completed} 万元`,
        en: `a total investment of ${effective.totalInvestmentWan} 万元 is below the ${completed} 万元 already reported as completed`,
      },
      'totalInvestmentWan',
    );
  }
  return [{ type: 'ProjectAmended', data: { projectId: state.projectId, changes: effective, reason } }];
}

function terminate(command: TerminateProject, state: SignedProject): ProjectEvent[] {
  const { occurredOn, reason } = command.data;
  requireDate(occurredOn, 'occurredOn', command.today, command.programmeStartOn);
  requireReason(reason);
  if (state.termination) {
    if (state.termination.occurredOn === occurredOn && state.termination.reason === reason) return [];
    throw conflict('project-terminated', {
      zh: `项目已于 ${state.termination.occurredOn} 终止`,
      en: `project was already terminated on ${state.termination.occurredOn}`,
    });
  }
  const latest = latestFact(state);
  if (occurredOn < latest.date) {
    throw conflict(
      'termination-out-of-order',
      {
        zh: `终止日期 ${occurredOn} 早于${latest.what.zh}日期 ${latest.date}`,
        en: `termination on ${occurredOn} would precede ${latest.what.en} on ${latest.date}`,
      },
      'occurredOn',
    );
  }
  return [{ type: 'ProjectTerminated', data: { projectId: state.projectId, occurredOn, reason } }];
}

function latestFact(state: SignedProject): Bound {
  let latest: Bound = { date: state.signedOn, what: FACT_WORDS.signed };
  for (const [milestone, date] of Object.entries(state.milestones) as [Milestone, LocalDate][]) {
    if (date > latest.date) latest = { date, what: FACT_WORDS[milestone] };
  }
  // Nothing dated after the termination may stand: listings and progress months included.
  for (const listing of state.listings) {
    if (listing.heldOn > latest.date) latest = { date: listing.heldOn, what: listingWords(listing) };
  }
  for (const month of Object.keys(state.investmentProgress)) {
    if (`${month}-01` > latest.date) latest = { date: `${month}-01`, what: progressWords(month) };
  }
  return latest;
}

/** A terminated project records nothing that would have happened after its termination. */
function refuseAfterTermination(state: SignedProject, effectiveOn: LocalDate, what: Bilingual): void {
  if (state.termination && effectiveOn > state.termination.occurredOn) {
    throw conflict('project-terminated', {
      zh: `项目已于 ${state.termination.occurredOn} 终止，此后不能再${what.zh}`,
      en: `project was terminated on ${state.termination.occurredOn} and cannot be ${what.en} after that`,
    });
  }
}

/**
 * Completed investment is cumulative: it never falls from one month to the next. The month
 * named is the nearest one it clashes with (the latest earlier month reporting more, else
 * the earliest later month reporting less), which is the one the officer must look at.
 */
function cumulativeClash(
  reported: Record<string, number>,
  month: string,
  wan: number,
): [string, number] | undefined {
  const months = Object.keys(reported).sort();
  const before = months.filter((m) => m < month && reported[m] > wan).pop();
  if (before) return [before, reported[before]];
  const after = months.find((m) => m > month && reported[m] < wan);
  return after ? [after, reported[after]] : undefined;
}

function voidProject(command: VoidProject, state: SignedProject): ProjectEvent[] {
  requireReason(command.data.reason);
  return [{ type: 'ProjectVoided', data: { projectId: state.projectId, reason: command.data.reason } }];
}

/** A voided project is closed: repeating the void is a retry, anything else is refused. */
function afterVoid(
  command: ProjectCommand,
  state: SignedProject,
  voided: { reason: string },
): ProjectEvent[] {
  if (command.type === 'VoidProject' && command.data.reason === voided.reason) return [];
  throw conflict('project-voided', {
    zh: `项目 ${state.projectId} 已作废（${voided.reason}），不能再记录`,
    en: `project ${state.projectId} was voided (${voided.reason}); nothing more can be recorded for it`,
  });
}

function withdrawListing(command: WithdrawListing, state: SignedProject): ProjectEvent[] {
  const { roundId, reason } = command.data;
  requireReason(reason);
  const listing = state.listings.find((l) => l.roundId === roundId);
  if (!listing) {
    throw conflict('listing-not-recorded', {
      zh: `项目未列入活动 ${roundId}，无可撤回的列入`,
      en: `the project is not listed in round ${roundId}, so there is no listing to withdraw`,
    });
  }
  const { heldOn, batch } = listing;
  return [{ type: 'ListingWithdrawn', data: { projectId: state.projectId, roundId, heldOn, batch, reason } }];
}

function listingWords(listing: { roundId: string; batch: keyof typeof BATCH_WORDS }): Bilingual {
  const batch = BATCH_WORDS[listing.batch];
  return {
    zh: `活动 ${listing.roundId} 的${batch.zh}`,
    en: `the ${batch.en} of round ${listing.roundId}`,
  };
}

const progressWords = (month: string): Bilingual => ({
  zh: `${month} 的完成投资`,
  en: `investment progress for ${month}`,
});

const unknownMilestone = () =>
  invalid(
    'invalid-milestone',
    {
      zh: '未知的节点；可选：开工、入统、投产、达效、企业达规入库',
      en: 'unknown milestone; one of construction start, statistics entry, production start, attainment, entry above scale',
    },
    'milestone',
  );

function dateOf(state: SignedProject, fact: DatedFact): LocalDate | undefined {
  return fact === 'signed' ? state.signedOn : state.milestones[fact];
}

function requireDate(
  value: unknown,
  field: string,
  today: LocalDate,
  programmeStartOn?: LocalDate,
): asserts value is LocalDate {
  if (!isLocalDate(value)) {
    throw invalid(
      'invalid-date',
      { zh: '日期须为有效的 YYYY-MM-DD', en: 'must be a calendar date YYYY-MM-DD' },
      field,
    );
  }
  if (value > today) {
    throw invalid(
      'future-date',
      { zh: `日期 ${value} 晚于今天（${today}）`, en: `${value} is in the future (today is ${today})` },
      field,
    );
  }
  if (programmeStartOn !== undefined && value < programmeStartOn) {
    throw invalid(
      'before-programme',
      {
        zh: `日期 ${value} 早于“三个一批”活动开始（${programmeStartOn}）`,
        en: `${value} is before the programme began (${programmeStartOn})`,
      },
      field,
    );
  }
}

function requireReason(reason: unknown): void {
  if (typeof reason !== 'string' || reason.trim().length === 0) {
    throw invalid('reason-required', { zh: '须说明原因', en: 'a reason is required' }, 'reason');
  }
}

const DETAIL_WORDS = {
  name: { zh: '项目名称', en: 'the project name' },
  enterprise: { zh: '企业名称', en: 'the enterprise' },
} as const;

function validateDetails(details: Partial<ProjectDetails>): void {
  for (const field of ['name', 'enterprise'] as const) {
    const value = details[field];
    if (typeof value !== 'string' || value.trim().length === 0) {
      const words = DETAIL_WORDS[field];
      throw invalid('required', { zh: `须填写${words.zh}`, en: `${words.en} is required` }, field);
    }
  }
  if (!isWan(details.totalInvestmentWan) || details.totalInvestmentWan === 0) {
    throw invalid(
      'invalid-amount',
      { zh: '总投资须为大于0的整数（万元）', en: 'total investment must be a whole number of 万元 above 0' },
      'totalInvestmentWan',
    );
  }
  for (const field of ['plannedStartOn', 'plannedProductionOn'] as const) {
    const value = details[field];
    if (value !== undefined && !isLocalDate(value)) {
      throw invalid(
        'invalid-date',
        { zh: '日期须为有效的 YYYY-MM-DD', en: 'must be a calendar date YYYY-MM-DD' },
        field,
      );
    }
  }
  const { plannedStartOn, plannedProductionOn } = details;
  if (
    plannedStartOn !== undefined &&
    plannedProductionOn !== undefined &&
    plannedProductionOn < plannedStartOn
  ) {
    throw invalid(
      'planned-production-before-start',
      {
        zh: `计划投产日期 ${plannedProductionOn} 早于计划开工日期 ${plannedStartOn}`,
        en: `plannedProductionOn ${plannedProductionOn} precedes plannedStartOn ${plannedStartOn}`,
      },
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

/** What a signing records, in the order `ProjectSigned` holds it. */
const SIGNED_FIELDS = [
  'projectId',
  'zoneId',
  'signedOn',
  'name',
  'enterprise',
  'totalInvestmentWan',
  'industrial',
  'strategicEmerging',
  'industryChain',
  'plannedStartOn',
  'plannedProductionOn',
] as const;

/**
 * A repeated signing records nothing when it says exactly what is recorded: the same value
 * in every field, no field the signing lacks (an absent optional field is no field). Field by
 * field, with nothing built: a re-import asks this of every row.
 */
function isSameSigning(state: SignedProject, given: ProjectSigned['data']): boolean {
  for (const field of SIGNED_FIELDS) if (state[field] !== given[field]) return false;
  const fields: readonly string[] = SIGNED_FIELDS;
  for (const [field, value] of Object.entries(given)) {
    if (value !== undefined && !fields.includes(field)) return false;
  }
  return true;
}

/** Key order and absent optional fields must not make identical signings look different. */
function normalise(data: object): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(data)
      .filter(([, value]) => value !== undefined)
      .sort(([a], [b]) => a.localeCompare(b)),
  );
}
