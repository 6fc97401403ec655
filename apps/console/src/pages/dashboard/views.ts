import { LightColour, ProjectLights } from '../../services/reports';
import { RATES, RateKey, RateRow } from '../../services/types';

/** A point of the month-by-month trend: the rates as of a month's last day (the last: D itself). */
export interface TrendPoint {
  month: string;
  asOf: string;
}

function lastDayOf(year: number, month: number): string {
  // Day 0 of the next month is the month's last day (UTC: no time zone shifts the date).
  const day = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** The month ends of the `months - 1` months before D's month, then D (截至 D), oldest first. */
export function trendPoints(asOf: string, months: number): TrendPoint[] {
  const year = Number(asOf.slice(0, 4));
  const month = Number(asOf.slice(5, 7));
  const points: TrendPoint[] = [];
  for (let back = months - 1; back >= 1; back--) {
    const index = year * 12 + (month - 1) - back;
    const y = Math.floor(index / 12);
    const m = (index % 12) + 1;
    points.push({ month: `${y}-${String(m).padStart(2, '0')}`, asOf: lastDayOf(y, m) });
  }
  points.push({ month: asOf.slice(0, 7), asOf });
  return points;
}

/** The trend of one unit: its row in each point's rate table (absent when the unit had no row yet). */
export function unitSeries(tables: readonly (readonly RateRow[] | undefined)[], unitId: string) {
  return tables.map((rows) => rows?.find((row) => row.id === unitId));
}

export interface LightCount {
  unitId: string;
  red: number;
  amber: number;
  green: number;
  /** Amber or red, every such light explained by an open obstacle (有正当理由). */
  justified: number;
}

const SEVERITY: Record<LightColour, number> = { red: 0, amber: 1, green: 2 };

/** A project's colour: its worst light. */
export function worstColour(project: ProjectLights): LightColour {
  return project.lights.reduce<LightColour>(
    (worst, light) => (SEVERITY[light.colour] < SEVERITY[worst] ? light.colour : worst),
    'green',
  );
}

/**
 * Projects per unit by their worst light, in the order of `units` (the rate table's rows, so
 * both tables list the same cities or zones); a unit without lit projects counts zeros.
 */
export function lightCounts(
  projects: readonly ProjectLights[],
  units: readonly string[],
  unitOf: (project: ProjectLights) => string | null,
): LightCount[] {
  const counts = new Map(units.map((id) => [id, { unitId: id, red: 0, amber: 0, green: 0, justified: 0 }]));
  for (const project of projects) {
    const unitId = unitOf(project);
    const count = unitId === null ? undefined : counts.get(unitId);
    if (!count) continue;
    const colour = worstColour(project);
    count[colour]++;
    const lagging = project.lights.filter((light) => light.colour !== 'green');
    if (lagging.length > 0 && lagging.every((light) => light.justified)) count.justified++;
  }
  return [...counts.values()];
}

/** One line per rate over the points; null where the cohort was empty or the unit absent. */
export function trendValues(
  series: readonly (RateRow | undefined)[],
  valueOf: (row: RateRow, rate: RateKey) => number | null,
): Record<RateKey, (number | null)[]> {
  return Object.fromEntries(
    RATES.map((rate) => [rate, series.map((row) => (row ? valueOf(row, rate) : null))]),
  ) as Record<RateKey, (number | null)[]>;
}
