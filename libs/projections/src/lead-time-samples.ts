import { Batch, DatedFact, LISTING_NEEDS, LocalDate, Milestone } from '@app/domain';
import { daysFromTo } from './days';
import { ProjectSnapshot, reachedBy } from './project-snapshot';
import { RATE_DEFINITIONS, RateKey } from './rate-definitions';

export const LEAD_TIME_KEYS = ['signToStart', 'startToProduction', 'productionToAttainment'] as const;
export type LeadTimeKey = (typeof LEAD_TIME_KEYS)[number];

/** The rate each interval explains (`RATE_DEFINITIONS`). */
const RATE_OF_LEAD_TIME = {
  signToStart: 'start',
  startToProduction: 'production',
  productionToAttainment: 'attainment',
} as const satisfies Record<LeadTimeKey, RateKey>;

/**
 * Each interval is measured over the cohort of the rate it explains, with the same rounds,
 * D and K, from what a listing in the cohort's batch needs (`LISTING_NEEDS`) to the rate's
 * milestone: signing → construction start over the signing batch (start rate), construction
 * start → production over the construction batch (production rate), production → attainment
 * over the production batch's industrial projects (attainment rate). A project is measured
 * when both ends happened on or before D.
 */
export const LEAD_TIME_DEFINITIONS = Object.fromEntries(
  LEAD_TIME_KEYS.map((key) => {
    const { cohort, industrialOnly, milestone } = RATE_DEFINITIONS[RATE_OF_LEAD_TIME[key]];
    return [key, { cohort, industrialOnly, from: LISTING_NEEDS[cohort], to: milestone }];
  }),
) as Record<LeadTimeKey, { cohort: Batch; industrialOnly: boolean; from: DatedFact; to: Milestone }>;

/** Days from the interval's start to its end, when both happened by D. */
export function interval(project: ProjectSnapshot, key: LeadTimeKey, asOf: LocalDate): number | undefined {
  const { from, to } = LEAD_TIME_DEFINITIONS[key];
  const start = reachedBy(project, from, asOf);
  const end = reachedBy(project, to, asOf);
  return start !== undefined && end !== undefined ? daysFromTo(start, end) : undefined;
}
