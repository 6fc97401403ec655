import { ProjectEvent } from '@app/domain';
import { investmentCompletion } from './investment-completion';
import { LifecycleReadModel } from './lifecycle-read-model';
import { HistoryBuilder } from './testing/history-builder';

const progress = (projectId: string, month: string, completedInvestmentWan: number): ProjectEvent => ({
  type: 'InvestmentProgressReported',
  data: { projectId, month, completedInvestmentWan },
});
const plan = (
  projectId: string,
  year: number,
  plannedInvestmentWan: number,
  reason?: string,
): ProjectEvent => ({
  type: 'AnnualInvestmentPlanned',
  data: { projectId, year, plannedInvestmentWan, ...(reason ? { reason } : {}) },
});

/**
 * a  z1: plan for 2024 1.2亿 (cut to 1亿 on 15 July); cumulative 0.5亿 by 2023-12, then 0.6 / 0.9 / 1.1亿
 *    by January, March and June 2024
 * b  z2: plan 0.8亿; 0.1亿 by February, 0.2亿 by June (reported on 20 July)
 * c  z1: no plan; 0.3亿 by May
 */
const builder = new HistoryBuilder()
  .at('2023-02-01T00:00:00Z')
  .zone({ id: 'z1', cityId: 'c1' })
  .zone({ id: 'z2', cityId: 'c2' })
  .round('r1', '2023-02-22');
for (const [id, zone] of [
  ['a', 'z1'],
  ['b', 'z2'],
  ['c', 'z1'],
] as const)
  builder.sign(id, zone, 100_000, { signedOn: '2023-02-22' }).list(id, 'r1', '2023-02-22', 'signing');
builder
  .at('2024-01-05T00:00:00Z')
  .project(progress('a', '2023-12', 5_000))
  .project(plan('a', 2024, 12_000))
  .project(plan('b', 2024, 8_000))
  .at('2024-07-01T00:00:00Z')
  .project(progress('a', '2024-01', 6_000))
  .project(progress('a', '2024-03', 9_000))
  .project(progress('a', '2024-06', 11_000))
  .project(progress('b', '2024-02', 1_000))
  .project(progress('c', '2024-05', 3_000))
  .at('2024-07-15T00:00:00Z')
  .project(plan('a', 2024, 10_000, '资金调整'))
  .at('2024-07-20T00:00:00Z')
  .project(progress('b', '2024-06', 2_000));
const model = new LifecycleReadModel();
model.apply(builder.events);

describe('investment completion (投资完成率) against 序时进度', () => {
  it('as of 30 June with everything known: this year only, the amended plan, per month, rolled up', () => {
    const province = investmentCompletion(model, { scope: 'province', asOf: '2024-06-30' }).rows[0]
      .investment;
    expect(province).toEqual({
      plannedWan: 18_000,
      completedWan: 8_000, // a 1.1 − 0.5亿 (2023's part is not this year's), b 0.2亿
      completedAllWan: 11_000, // and c, which has no plan
      rate: 8_000 / 18_000,
      elapsedShare: 182 / 366,
      months: [
        { month: '2024-01', completedWan: 1_000 },
        { month: '2024-02', completedWan: 1_000 },
        { month: '2024-03', completedWan: 3_000 },
        { month: '2024-04', completedWan: 0 },
        { month: '2024-05', completedWan: 3_000 },
        { month: '2024-06', completedWan: 3_000 },
      ],
    });
    const zones = investmentCompletion(model, { scope: 'zone', asOf: '2024-06-30' }).rows;
    expect(
      zones.map((row) => [
        row.id,
        row.investment.plannedWan,
        row.investment.completedWan,
        row.investment.rate,
      ]),
    ).toEqual([
      ['z1', 10_000, 6_000, 0.6],
      ['z2', 8_000, 2_000, 0.25],
    ]);
  });

  it('as known on 10 July: the plan before its cut, without the June report that came later', () => {
    const province = investmentCompletion(model, {
      scope: 'province',
      asOf: '2024-06-30',
      knownAt: '2024-07-10T00:00:00Z',
    }).rows[0].investment;
    expect(province).toMatchObject({ plannedWan: 20_000, completedWan: 7_000, rate: 0.35 });
  });

  it('as of mid-March: only the months ended count', () => {
    const province = investmentCompletion(model, { scope: 'province', asOf: '2024-03-15' }).rows[0]
      .investment;
    expect(province).toMatchObject({
      completedWan: 2_000,
      months: [{ completedWan: 1_000 }, { completedWan: 1_000 }],
    });
  });
});
