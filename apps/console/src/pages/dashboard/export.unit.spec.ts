import { RateCell, RateRow } from '../../services/types';
import { rateSheet } from './export';

const cell = (count: number, cohortCount: number, wan: number, cohortWan: number): RateCell => ({
  count,
  cohortCount,
  wan,
  cohortWan,
  byCount: cohortCount ? count / cohortCount : null,
  byInvestment: cohortWan ? wan / cohortWan : null,
  reported: 'count',
});
const empty = cell(0, 0, 0, 0);
const row = (id: string, start: RateCell): RateRow => ({
  scope: 'zone',
  id,
  name: id,
  start: { ...start, reported: 'investment' },
  production: empty,
  statisticsEntry: empty,
  attainment: empty,
  aboveScale: empty,
});
const labels = {
  unit: '单位',
  rank: '排名',
  byCount: '按个数',
  byInvestment: '按投资',
  rate: (key: string) => ({ start: '签约开工率' })[key] ?? key,
};

describe('rateSheet', () => {
  it('has both bases with numerator and denominator, and the rank by the reported basis', () => {
    // given: 晋中 1 of 2 projects but 30 of 40 亿; 临汾 1 of 1 but 10 of 60 亿
    const sheet = rateSheet(
      [row('晋中', cell(1, 2, 300_000, 400_000)), row('临汾', cell(1, 1, 100_000, 600_000))],
      labels,
    );
    // then
    expect(sheet.header.slice(0, 4)).toEqual([
      '单位',
      '签约开工率 按个数',
      '签约开工率 按投资',
      '签约开工率 排名',
    ]);
    expect(sheet.rows[0].slice(0, 4)).toEqual(['晋中', '50.0% (1/2)', '75.0% (300000/400000)', 1]);
    expect(sheet.rows[1].slice(0, 4)).toEqual(['临汾', '100.0% (1/1)', '16.7% (100000/600000)', 2]);
    // an empty cohort has no rate and no rank
    expect(sheet.rows[0].slice(4, 7)).toEqual(['— (0/0)', '— (0/0)', '—']);
  });
});
