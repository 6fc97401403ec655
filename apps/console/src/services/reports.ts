import { apiQuery } from '../url-state';
import { api } from './api';
import type { Batch } from './types';

/** Response shapes of the dashboard's report reads beside the rates (see /api/docs-json). */
export interface ReportQuery {
  scope?: string;
  roundId?: string[];
  asOf?: string;
  knownAt?: string;
  cityId?: string;
  zoneId?: string;
}

interface ScopeUnit {
  scope: string;
  id: string;
  name: string;
}

interface Dated {
  asOf: string;
  knownAt: string;
}

export interface Obstacle {
  obstacleId: string;
  raisedOn: string;
  category: string;
  description: string;
  responsibleUnit: string;
}

export interface ListedProject {
  projectId: string;
  name: string;
  enterprise: string;
  zoneId: string;
  cityId: string | null;
  totalInvestmentWan: number;
}

export const PLAN_KEYS = ['start', 'production'] as const;
export type PlanKey = (typeof PLAN_KEYS)[number];

export interface PlanFigure {
  due: number;
  dueWan: number;
  reached: number;
  reachedWan: number;
  onPlan: number;
  rate: number | null;
  onPlanRate: number | null;
}

export type PlanRow = ScopeUnit & Record<PlanKey, PlanFigure>;

export interface OverdueProject extends ListedProject {
  plannedOn: string;
  daysOverdue: number;
  obstacles: Obstacle[];
}

export type PlanProgress = Dated & {
  rows: PlanRow[];
  overdue: Record<PlanKey, OverdueProject[]>;
  expectedByYearEnd: (ListedProject & { plannedProductionOn: string })[];
};

export interface InvestmentFigure {
  plannedWan: number;
  completedWan: number;
  completedAllWan: number;
  rate: number | null;
  elapsedShare: number;
  months: { month: string; completedWan: number }[];
}

export type InvestmentCompletion = Dated & { rows: (ScopeUnit & { investment: InvestmentFigure })[] };

export interface LargeShare {
  count: number;
  wan: number;
  largeCount: number;
  largeWan: number;
  byCount: number | null;
  byInvestment: number | null;
}

export type LargeShareRow = ScopeUnit & Record<Batch, LargeShare>;
export type LargeProjectShares = Dated & { rows: LargeShareRow[] };

export const LIGHT_KINDS = ['start', 'progress', 'statisticsEntry'] as const;
export type LightKind = (typeof LIGHT_KINDS)[number];
export type LightColour = 'green' | 'amber' | 'red';

export interface Light {
  kind: LightKind;
  colour: LightColour;
  rule: string;
  ruleZh: string;
  justified: boolean;
  justifiedBy: string[];
}

export interface ProjectLights extends ListedProject {
  lights: Light[];
  obstacles: Obstacle[];
}

export type ProjectLightsAnswer = Dated & { projects: ProjectLights[] };

const read =
  <T>(path: string) =>
  (query: ReportQuery) =>
    api<T>(`${path}${apiQuery({ ...query })}`);

export const getPlanProgress = read<PlanProgress>('/plan-progress');
export const getInvestmentCompletion = read<InvestmentCompletion>('/investment-completion');
export const getLargeProjectShares = read<LargeProjectShares>('/large-project-shares');
export const getProjectLights = read<ProjectLightsAnswer>('/project-lights');
