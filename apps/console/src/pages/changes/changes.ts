import { Listing, MILESTONES, Project, ProjectSummary } from '../../services/types';

/** One fact of a project as a comparable value: language-neutral (dates, numbers, codes). */
export type FactKey =
  | 'name'
  | 'enterprise'
  | 'zoneId'
  | 'totalInvestmentWan'
  | 'industrial'
  | 'strategicEmerging'
  | 'industryChain'
  | 'plannedStartOn'
  | 'plannedProductionOn'
  | 'stage'
  | 'signedOn'
  | `milestone:${string}`
  | 'listings'
  | 'termination'
  | 'voided'
  | `investment:${string}`
  | `plan:${string}`
  | `obstacle:${string}`;

export interface FactChange {
  key: FactKey;
  before?: string;
  after?: string;
}

const listingsText = (listings: readonly Listing[]) =>
  listings
    .map((listing) => `${listing.roundId}:${listing.batch}`)
    .sort()
    .join(', ');

/** A project view's facts by key; absent facts are left out (so "not recorded" compares as absent). */
export function factsOf(project: Project | ProjectSummary): Map<FactKey, string> {
  const facts = new Map<FactKey, string>();
  const set = (key: FactKey, value: string | number | boolean | null | undefined) => {
    if (value === undefined || value === null || value === '') return;
    facts.set(key, String(value));
  };
  set('name', project.name);
  set('enterprise', project.enterprise);
  set('zoneId', project.zoneId);
  set('totalInvestmentWan', project.totalInvestmentWan);
  set('industrial', project.industrial);
  set('stage', project.stage);
  set('signedOn', project.signedOn);
  for (const milestone of MILESTONES) set(`milestone:${milestone}`, project.milestones[milestone]);
  set('listings', listingsText(project.listings));
  if ('terminatedOn' in project) set('termination', project.terminatedOn);
  if ('revision' in project) {
    set('strategicEmerging', project.strategicEmerging);
    set('industryChain', project.industryChain);
    set('plannedStartOn', project.plannedStartOn);
    set('plannedProductionOn', project.plannedProductionOn);
    set(
      'termination',
      project.termination && `${project.termination.occurredOn} ${project.termination.reason}`,
    );
    set('voided', project.voided?.reason);
    for (const [month, wan] of Object.entries(project.investmentProgress)) set(`investment:${month}`, wan);
    for (const [year, wan] of Object.entries(project.annualInvestmentPlan ?? {})) set(`plan:${year}`, wan);
    for (const [id, obstacle] of Object.entries(project.obstacles ?? {}))
      set(
        `obstacle:${id}`,
        [
          obstacle.category,
          obstacle.description,
          obstacle.responsibleUnit,
          obstacle.measures ?? '',
          obstacle.resolution
            ? `${obstacle.resolution.resolvedOn} ${obstacle.resolution.resolution}`
            : 'open',
        ].join(' | '),
      );
  }
  return facts;
}

/** What differs between a project as known at K1 and at K2 (either may be unknown: undefined). */
export function compareFacts(
  before: Project | ProjectSummary | undefined,
  after: Project | ProjectSummary | undefined,
): FactChange[] {
  const was = before ? factsOf(before) : new Map<FactKey, string>();
  const is = after ? factsOf(after) : new Map<FactKey, string>();
  const keys = [...new Set([...was.keys(), ...is.keys()])];
  return keys
    .filter((key) => was.get(key) !== is.get(key))
    .map((key) => ({ key, before: was.get(key), after: is.get(key) }));
}

export type ProjectChangeKind = 'added' | 'removed' | 'changed';

export interface ProjectChange {
  projectId: string;
  name: string;
  kind: ProjectChangeKind;
  facts: FactChange[];
}

/**
 * A zone's projects as known at K1 and at K2, compared: those that appeared (signed, or
 * recorded late), those that left (voided, or their signing corrected away), those whose facts
 * changed. In project id order.
 */
export function compareProjectLists(
  before: readonly ProjectSummary[],
  after: readonly ProjectSummary[],
): ProjectChange[] {
  const was = new Map(before.map((project) => [project.projectId, project]));
  const is = new Map(after.map((project) => [project.projectId, project]));
  const ids = [...new Set([...was.keys(), ...is.keys()])].sort();
  const changes: ProjectChange[] = [];
  for (const projectId of ids) {
    const [old, now] = [was.get(projectId), is.get(projectId)];
    const facts = compareFacts(old, now);
    if (facts.length === 0) continue;
    const kind: ProjectChangeKind = !old ? 'added' : !now ? 'removed' : 'changed';
    changes.push({ projectId, name: (now ?? old)!.name, kind, facts });
  }
  return changes;
}

/** The recorded facts of a history in (K1, K2]: what was written between the two instants. */
export function recordedBetween<E extends { metadata: { recordedAt: string } }>(
  events: readonly E[],
  k1: string,
  k2: string,
): E[] {
  const [from, to] = [Date.parse(k1), Date.parse(k2)];
  return events.filter((event) => {
    const at = Date.parse(event.metadata.recordedAt);
    return at > from && at <= to;
  });
}
