import { BATCHES, Batch, Listing, LocalDate, Milestone, laterOf, lastDayOf } from '@app/domain';
import { ProjectSnapshot } from './project-snapshot';

export const RATE_KEYS = ['start', 'production', 'statisticsEntry', 'attainment', 'aboveScale'] as const;
export type RateKey = (typeof RATE_KEYS)[number];
export type Basis = 'count' | 'investment';
/**
 * The basis a document quotes a rate on: by count, by total investment, or by completed
 * investment (完成投资 of the projects that reached the milestone / total investment of the
 * cohort; the variant of 投产率 some reports use).
 */
export const REPORTED_BASES = ['count', 'investment', 'completedInvestment'] as const;
export type ReportedBasis = (typeof REPORTED_BASES)[number];

/**
 * The five rates (五率, docs/domain.md): which batch forms the cohort, which milestone counts,
 * and which basis the official reports quote.
 */
export const RATE_DEFINITIONS: Record<
  RateKey,
  { nameZh: string; cohort: Batch; milestone: Milestone; industrialOnly: boolean; reported: Basis }
> = {
  start: {
    nameZh: '签约开工率',
    cohort: 'signing',
    milestone: 'construction-started',
    industrialOnly: false,
    reported: 'investment',
  },
  production: {
    nameZh: '开工投产率',
    cohort: 'construction',
    milestone: 'production-started',
    industrialOnly: false,
    reported: 'investment',
  },
  statisticsEntry: {
    nameZh: '项目入统率',
    cohort: 'construction',
    milestone: 'statistics-entered',
    industrialOnly: false,
    reported: 'count',
  },
  attainment: {
    nameZh: '投产达效率',
    cohort: 'production',
    milestone: 'attained',
    industrialOnly: true,
    reported: 'count',
  },
  aboveScale: {
    nameZh: '企业达规入库率',
    cohort: 'production',
    milestone: 'enterprise-above-scale',
    industrialOnly: true,
    reported: 'count',
  },
};

/** Sums behind one rate: integer counts and 万元, never floats. */
export interface RateTally {
  cohortCount: number;
  cohortWan: number;
  count: number;
  wan: number;
  /** Terminated projects in the cohort (they stay in it and count against the rate). */
  terminatedCount: number;
  /** Cumulative completed investment (完成投资) as of D of the projects in the numerator. */
  completedWan: number;
}

export interface Rate extends RateTally {
  /** count / cohortCount, 0..1, null for an empty cohort. */
  byCount: number | null;
  /** wan / cohortWan, 0..1, null for an empty cohort. */
  byInvestment: number | null;
  /** completedWan / cohortWan, null for an empty cohort. */
  byCompletedInvestment: number | null;
  /** The basis the official reports quote for this rate. */
  reported: Basis;
}

const FIELDS = ['cohortCount', 'cohortWan', 'count', 'wan', 'terminatedCount', 'completedWan'] as const;
const [COHORT_COUNT, COHORT_WAN, COUNT, WAN, TERMINATED, COMPLETED_WAN] = [0, 1, 2, 3, 4, 5];

/**
 * The tallies of all five rates as one flat vector (rate-major, `FIELDS` within a rate), so
 * that sums, differences and copies stay simple loops. Every slot holds an integer below
 * 2^53 (counts and 万元 sums), which a double represents exactly.
 */
export type TallyVector = number[];
const TALLY_SLOTS = RATE_KEYS.length * FIELDS.length;
export const newTallyVector = (): TallyVector => new Array<number>(TALLY_SLOTS).fill(0);

export function addVector(into: TallyVector, from: TallyVector, sign: 1 | -1 = 1): void {
  for (let slot = 0; slot < TALLY_SLOTS; slot++) into[slot] += sign * from[slot];
}

export function isZeroVector(vector: TallyVector): boolean {
  for (let slot = 0; slot < TALLY_SLOTS; slot++) if (vector[slot] !== 0) return false;
  return true;
}

export function rateOf(vector: TallyVector, key: RateKey): Rate {
  const base = RATE_KEYS.indexOf(key) * FIELDS.length;
  const cohortCount = vector[base + COHORT_COUNT];
  const cohortWan = vector[base + COHORT_WAN];
  const count = vector[base + COUNT];
  const wan = vector[base + WAN];
  const completedWan = vector[base + COMPLETED_WAN];
  return {
    cohortCount,
    cohortWan,
    count,
    wan,
    terminatedCount: vector[base + TERMINATED],
    completedWan,
    byCount: cohortCount === 0 ? null : count / cohortCount,
    byInvestment: cohortWan === 0 ? null : wan / cohortWan,
    byCompletedInvestment: cohortWan === 0 ? null : completedWan / cohortWan,
    reported: RATE_DEFINITIONS[key].reported,
  };
}

/**
 * What a project contributes to the rates, reduced to the dates that decide it (docs/domain.md
 * "Precise rules"): it enters a rate's cohort on the date of its first listing in that batch
 * among the chosen rounds (once, however many rounds list it), is counted as terminated from
 * its termination (or its entry, if later), and enters the numerator from its milestone's
 * effective date (or its entry, if later). Investment is its total as amended; its completed
 * investment as of D is the cumulative figure reported for the last month ended by D.
 */
export interface RateFootprint {
  zoneId: string;
  industrial: boolean;
  wan: number;
  /** First listing date per batch, in `BATCHES` order. */
  listedOn: (LocalDate | undefined)[];
  /** Effective date of each rate's milestone, in `RATE_KEYS` order. */
  reachedOn: (LocalDate | undefined)[];
  terminatedOn: LocalDate | undefined;
  /** Month ends with a completed-investment report, in order, and the cumulative figure of each. */
  completedOn: LocalDate[];
  completedWan: number[];
}

const BATCH_OF_RATE = RATE_KEYS.map((key) => BATCHES.indexOf(RATE_DEFINITIONS[key].cohort));
const MILESTONE_OF_RATE = RATE_KEYS.map((key) => RATE_DEFINITIONS[key].milestone);
const INDUSTRIAL_ONLY = RATE_KEYS.map((key) => RATE_DEFINITIONS[key].industrialOnly);

const ALL_ROUNDS = (): boolean => true;

export function emptyFootprint(): RateFootprint {
  return {
    zoneId: '',
    industrial: false,
    wan: 0,
    listedOn: [undefined, undefined, undefined],
    reachedOn: MILESTONE_OF_RATE.map(() => undefined),
    terminatedOn: undefined,
    completedOn: [],
    completedWan: [],
  };
}

/** The project's footprint over the chosen rounds, written into `into` (scans reuse one). */
export function footprintOf(
  project: ProjectSnapshot,
  roundSelected: (listing: Listing) => boolean = ALL_ROUNDS,
  into: RateFootprint = emptyFootprint(),
): RateFootprint {
  into.zoneId = project.zoneId;
  into.industrial = project.industrial;
  into.wan = project.totalInvestmentWan;
  into.terminatedOn = project.terminatedOn;
  const { listedOn, reachedOn } = into;
  listedOn[0] = listedOn[1] = listedOn[2] = undefined;
  for (const listing of project.listings) {
    if (!roundSelected(listing)) continue;
    const batch = BATCHES.indexOf(listing.batch);
    const first = listedOn[batch];
    if (first === undefined || listing.heldOn < first) listedOn[batch] = listing.heldOn;
  }
  for (let rate = 0; rate < MILESTONE_OF_RATE.length; rate++) {
    reachedOn[rate] = project.milestones[MILESTONE_OF_RATE[rate]];
  }
  const progress = project.investmentProgress;
  into.completedOn.length = into.completedWan.length = progress.length;
  for (let i = 0; i < progress.length; i++) {
    into.completedOn[i] = lastDayOf(progress[i].month);
    into.completedWan[i] = progress[i].completedInvestmentWan;
  }
  return into;
}

export function sameFootprint(a: RateFootprint, b: RateFootprint): boolean {
  return (
    a.zoneId === b.zoneId &&
    a.industrial === b.industrial &&
    a.wan === b.wan &&
    a.terminatedOn === b.terminatedOn &&
    a.listedOn.every((date, i) => date === b.listedOn[i]) &&
    a.reachedOn.every((date, i) => date === b.reachedOn[i]) &&
    a.completedOn.length === b.completedOn.length &&
    a.completedOn.every((date, i) => date === b.completedOn[i] && a.completedWan[i] === b.completedWan[i])
  );
}

/** Receives a project's contributions: `amount` added to `slot` from date `from` on. */
export interface ContributionSink {
  add(from: LocalDate, slot: number, amount: number): void;
}

export function forEachContribution(footprint: RateFootprint, sink: ContributionSink): void {
  for (let rate = 0; rate < RATE_KEYS.length; rate++) {
    if (INDUSTRIAL_ONLY[rate] && !footprint.industrial) continue;
    const listedOn = footprint.listedOn[BATCH_OF_RATE[rate]];
    if (listedOn === undefined) continue;
    const base = rate * FIELDS.length;
    sink.add(listedOn, base + COHORT_COUNT, 1);
    sink.add(listedOn, base + COHORT_WAN, footprint.wan);
    if (footprint.terminatedOn !== undefined) {
      sink.add(laterOf(listedOn, footprint.terminatedOn), base + TERMINATED, 1);
    }
    const reachedOn = footprint.reachedOn[rate];
    if (reachedOn !== undefined) {
      const from = laterOf(listedOn, reachedOn);
      sink.add(from, base + COUNT, 1);
      sink.add(from, base + WAN, footprint.wan);
      // each report replaces the cumulative figure before it: add the step, from its month end on
      let reported = 0;
      for (let i = 0; i < footprint.completedOn.length; i++) {
        const step = footprint.completedWan[i] - reported;
        if (step !== 0) sink.add(laterOf(from, footprint.completedOn[i]), base + COMPLETED_WAN, step);
        reported = footprint.completedWan[i];
      }
    }
  }
}

/** Sums the contributions that have started by D into `target` (set per project by a scan). */
export class TallyAsOf implements ContributionSink {
  target: TallyVector = newTallyVector();

  constructor(private readonly asOf: LocalDate) {}

  add(from: LocalDate, slot: number, amount: number): void {
    if (from <= this.asOf) this.target[slot] += amount;
  }
}
