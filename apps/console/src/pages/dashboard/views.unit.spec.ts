import { Light, ProjectLights } from '../../services/reports';
import { RateCell, RateRow } from '../../services/types';
import { lightCounts, trendPoints, trendValues, unitSeries, worstColour } from './views';

const light = (colour: Light['colour'], justified = false): Light => ({
  kind: 'start',
  colour,
  rule: `start.${colour}`,
  ruleZh: colour,
  justified,
  justifiedBy: justified ? ['o1'] : [],
});
const project = (
  projectId: string,
  zoneId: string,
  cityId: string | null,
  lights: Light[],
): ProjectLights => ({
  projectId,
  name: projectId,
  enterprise: 'e',
  zoneId,
  cityId,
  totalInvestmentWan: 1,
  lights,
  obstacles: [],
});
const cell = (count: number, cohortCount: number): RateCell => ({
  count,
  cohortCount,
  wan: 0,
  cohortWan: 0,
  byCount: cohortCount ? count / cohortCount : null,
  byInvestment: null,
  reported: 'count',
});
const rateRow = (id: string, start: RateCell): RateRow => ({
  scope: 'city',
  id,
  name: id,
  start,
  production: cell(0, 0),
  statisticsEntry: cell(0, 0),
  attainment: cell(0, 0),
  aboveScale: cell(0, 0),
});

describe('trendPoints', () => {
  it('ends each earlier month on its last day and the last point on D, across a year end', () => {
    // when
    const points = trendPoints('2024-02-10', 4);
    // then
    expect(points).toEqual([
      { month: '2023-11', asOf: '2023-11-30' },
      { month: '2023-12', asOf: '2023-12-31' },
      { month: '2024-01', asOf: '2024-01-31' },
      { month: '2024-02', asOf: '2024-02-10' },
    ]);
  });

  it('knows February of a leap year and twelve months back', () => {
    // when
    const points = trendPoints('2024-12-31', 12);
    // then
    expect(points).toHaveLength(12);
    expect(points[0]).toEqual({ month: '2024-01', asOf: '2024-01-31' });
    expect(points[1]).toEqual({ month: '2024-02', asOf: '2024-02-29' });
    expect(points[11]).toEqual({ month: '2024-12', asOf: '2024-12-31' });
  });
});

describe('the trend of one unit', () => {
  it("takes the unit's row at each point and leaves a gap where it had none or no cohort", () => {
    // given
    const tables = [
      undefined,
      [rateRow('linfen', cell(0, 0))],
      [rateRow('jinzhong', cell(1, 4)), rateRow('linfen', cell(1, 2))],
    ];
    // when
    const series = unitSeries(tables, 'linfen');
    const values = trendValues(series, (row, rate) => row[rate].byCount);
    // then
    expect(values.start).toEqual([null, null, 0.5]);
    expect(values.production).toEqual([null, null, null]);
  });
});

describe('light counts', () => {
  it("counts each project once by its worst light, per unit in the units' order", () => {
    // given
    const projects = [
      project('p1', 'z1', 'c1', [light('green'), light('red')]),
      project('p2', 'z1', 'c1', [light('amber', true)]),
      project('p3', 'z2', 'c2', [light('green')]),
      project('p4', 'z3', null, [light('red')]),
    ];
    // when
    const byCity = lightCounts(projects, ['c2', 'c1'], (p) => p.cityId);
    const byZone = lightCounts(projects, ['z1', 'z2', 'z3'], (p) => p.zoneId);
    // then
    expect(byCity).toEqual([
      { unitId: 'c2', red: 0, amber: 0, green: 1, justified: 0 },
      { unitId: 'c1', red: 1, amber: 1, green: 0, justified: 1 },
    ]);
    expect(byZone.map((count) => count.red)).toEqual([1, 0, 1]);
  });

  it('calls a project justified only when every red or amber light of it is', () => {
    // given
    const mixed = project('p', 'z', 'c', [light('red', true), light('amber', false)]);
    // when
    const [count] = lightCounts([mixed], ['c'], (p) => p.cityId);
    // then
    expect(worstColour(mixed)).toBe('red');
    expect(count.justified).toBe(0);
  });
});
