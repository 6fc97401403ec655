import type { Batch } from './project.events';

/**
 * The lifecycle after signing (签约). Each milestone may only be recorded after the one it
 * depends on, and never with an earlier effective date.
 *
 * | milestone              | 中文          | depends on            |
 * |------------------------|---------------|-----------------------|
 * | construction-started   | 开工 (落地)    | signed                |
 * | statistics-entered     | 入统 (入库纳统) | construction-started  |
 * | production-started     | 投产          | construction-started  |
 * | attained               | 达效 / 达产    | production-started    |
 * | enterprise-above-scale | 企业达规入库   | production-started    |
 */
export const MILESTONES = [
  'construction-started',
  'statistics-entered',
  'production-started',
  'attained',
  'enterprise-above-scale',
] as const;
export type Milestone = (typeof MILESTONES)[number];

/** Signing is not recorded through the milestone endpoint, but its date can be corrected. */
export type DatedFact = 'signed' | Milestone;
export const CORRECTABLE: readonly DatedFact[] = ['signed', ...MILESTONES];

export const DEPENDS_ON: Record<Milestone, DatedFact> = {
  'construction-started': 'signed',
  'statistics-entered': 'construction-started',
  'production-started': 'construction-started',
  attained: 'production-started',
  'enterprise-above-scale': 'production-started',
};

/**
 * What a listing in each batch (三个一批) needs recorded on or before its round's date: a
 * construction (production) batch lists projects whose construction (production) has started.
 */
export const LISTING_NEEDS: Record<Batch, DatedFact> = {
  signing: 'signed',
  construction: 'construction-started',
  production: 'production-started',
};

export function dependentsOf(fact: DatedFact): Milestone[] {
  return MILESTONES.filter((milestone) => DEPENDS_ON[milestone] === fact);
}

export const MILESTONE_EVENT_TYPES = {
  'construction-started': 'ConstructionStarted',
  'statistics-entered': 'StatisticsEntered',
  'production-started': 'ProductionStarted',
  attained: 'DesignOutputAttained',
  'enterprise-above-scale': 'EnterpriseEnteredAboveScale',
} as const satisfies Record<Milestone, string>;

export type MilestoneEventType = (typeof MILESTONE_EVENT_TYPES)[Milestone];

export const MILESTONE_OF_EVENT_TYPE = Object.fromEntries(
  Object.entries(MILESTONE_EVENT_TYPES).map(([milestone, type]) => [type, milestone]),
) as Record<MilestoneEventType, Milestone>;

export const MILESTONE_NAMES_ZH: Record<DatedFact, string> = {
  signed: '签约',
  'construction-started': '开工',
  'statistics-entered': '入统',
  'production-started': '投产',
  attained: '达效',
  'enterprise-above-scale': '企业达规入库',
};

export function isMilestone(value: unknown): value is Milestone {
  return typeof value === 'string' && (MILESTONES as readonly string[]).includes(value);
}

export function isCorrectable(value: unknown): value is DatedFact {
  return typeof value === 'string' && (CORRECTABLE as readonly string[]).includes(value);
}
