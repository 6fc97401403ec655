/** Response shapes of the API's reads (see /api/docs-json). */
export type Stage = 'signed' | 'construction-started' | 'production-started' | 'attained' | 'terminated';
export type Milestone =
  | 'construction-started'
  | 'statistics-entered'
  | 'production-started'
  | 'attained'
  | 'enterprise-above-scale';
export type DatedFact = 'signed' | Milestone;
export type Batch = 'signing' | 'construction' | 'production';

export const MILESTONES: Milestone[] = [
  'construction-started',
  'statistics-entered',
  'production-started',
  'attained',
  'enterprise-above-scale',
];
export const STAGES: Stage[] = [
  'signed',
  'construction-started',
  'production-started',
  'attained',
  'terminated',
];
export const BATCHES: Batch[] = ['signing', 'construction', 'production'];

export interface Zone {
  id: string;
  name: string;
  cityId: string;
  category: 'industrial' | 'agricultural' | 'cultural-tourism';
  level: 'national' | 'provincial';
}

export interface Round {
  id: string;
  heldOn: string;
  mainVenueZoneId?: string;
  name?: string;
}

export interface Listing {
  roundId: string;
  heldOn: string;
  batch: Batch;
}

export interface ProjectSummary {
  projectId: string;
  name: string;
  enterprise: string;
  zoneId: string;
  cityId: string | null;
  totalInvestmentWan: number;
  industrial: boolean;
  stage: Stage;
  signedOn: string;
  milestones: Partial<Record<Milestone, string>>;
  listings: Listing[];
  terminatedOn: string | null;
}

export interface ProjectList {
  asOf: string;
  knownAt: string;
  total: number;
  offset: number;
  limit: number;
  items: ProjectSummary[];
}

export interface Project {
  projectId: string;
  name: string;
  enterprise: string;
  zoneId: string;
  totalInvestmentWan: number;
  industrial: boolean;
  strategicEmerging?: boolean;
  industryChain?: string;
  plannedStartOn?: string;
  plannedProductionOn?: string;
  signedOn: string;
  milestones: Partial<Record<Milestone, string>>;
  listings: Listing[];
  investmentProgress: Record<string, number>;
  /** 年度计划投资 by year. */
  annualInvestmentPlan?: Record<string, number>;
  /** 问题协调, by id. */
  obstacles?: Record<string, Obstacle>;
  termination?: { occurredOn: string; reason: string };
  /** 作废: recorded in error. */
  voided?: { reason: string };
  stage: Stage;
  revision: number;
  asOf?: string;
  knownAt?: string;
}

export const OBSTACLE_CATEGORIES = ['land', 'permits', 'funding', 'energy', 'environment', 'other'] as const;
export type ObstacleCategory = (typeof OBSTACLE_CATEGORIES)[number];

export interface Obstacle {
  obstacleId: string;
  category: ObstacleCategory;
  description: string;
  responsibleUnit: string;
  measures?: string;
  raisedOn: string;
  resolution?: { resolvedOn: string; resolution: string };
}

export interface HistoryEvent {
  position: number;
  revision: number;
  id: string;
  type: string;
  data: Record<string, unknown>;
  metadata: {
    recordedAt: string;
    recordedBy: string;
    recordedByName?: string;
    role?: string;
    source: { kind: string; file?: string; row?: number };
    reason?: string;
  };
}

export interface RateCell {
  cohortCount: number;
  cohortWan: number;
  count: number;
  wan: number;
  byCount: number | null;
  byInvestment: number | null;
  reported: 'count' | 'investment';
}

export const RATES = ['start', 'production', 'statisticsEntry', 'attainment', 'aboveScale'] as const;
export type RateKey = (typeof RATES)[number];

export type RateRow = { scope: string; id: string; name: string } & Record<RateKey, RateCell>;

export interface RateTable {
  asOf: string;
  knownAt: string;
  rows: RateRow[];
}

export interface NotificationEntry {
  month: string;
  issue: number;
  asOf: string;
  knownAt: string;
  contentHash: string;
}

export interface Verification {
  matches: boolean;
  issuedHash: string;
  recomputedHash: string;
}

export interface Account {
  id: string;
  username: string;
  displayName: string;
  role: 'officer' | 'auditor' | 'admin';
  zones: string[];
  cities: string[];
  createdAt: string;
  disabled: boolean;
}

export const STALLED_KINDS = ['signedNotStarted', 'startedNotProducing', 'producingNotAttained'] as const;
export type StalledKind = (typeof STALLED_KINDS)[number];

export interface StalledProject {
  projectId: string;
  name: string;
  enterprise: string;
  zoneId: string;
  cityId: string | null;
  totalInvestmentWan: number;
  since: string;
  daysStalled: number;
}

export type StalledLists = { asOf: string; knownAt: string } & Record<StalledKind, StalledProject[]>;
