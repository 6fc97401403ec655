import { LifecycleReadModel } from './lifecycle-read-model';
import { planProgress } from './plan-progress';
import { HistoryBuilder } from './testing/history-builder';

/**
 * a  z1 10亿 planned start 04-01, production 12-31; started 03-20 (on plan)
 * b  z1 20亿 planned (after signing) start 05-01, production 09-30; started 06-15 (late)
 * c  z2 30亿 planned start 06-30, never started; on 11-05 the plan moves to 12-01 (用地未落实)
 * d  z2 40亿 planned start 03-01, terminated 04-01
 * e  z1  5亿 planned start 03-01, in no round: in no cohort
 */
function history(): HistoryBuilder {
  const builder = new HistoryBuilder()
    .at('2023-02-01T00:00:00Z')
    .zone({ id: 'z1', cityId: 'c1' })
    .zone({ id: 'z2', cityId: 'c2' })
    .round('r1', '2023-02-22')
    .at('2023-02-23T00:00:00Z');
  const planned = (
    projectId: string,
    plannedStartOn: string,
    plannedProductionOn?: string,
    reason?: string,
  ) =>
    builder.project({
      type: 'PlannedDatesSet',
      data: { projectId, plannedStartOn, ...(plannedProductionOn ? { plannedProductionOn } : {}), reason },
    });
  for (const [id, zone, wan] of [
    ['a', 'z1', 100_000],
    ['b', 'z1', 200_000],
    ['c', 'z2', 300_000],
    ['d', 'z2', 400_000],
  ] as const) {
    builder.sign(id, zone, wan, { signedOn: '2023-02-22' }).list(id, 'r1', '2023-02-22', 'signing');
  }
  builder.sign('e', 'z1', 50_000, { signedOn: '2023-02-22' });
  planned('a', '2023-04-01', '2023-12-31');
  planned('c', '2023-06-30');
  planned('d', '2023-03-01');
  planned('e', '2023-03-01');
  builder.at('2023-03-01T00:00:00Z');
  planned('b', '2023-05-01', '2023-09-30');
  builder.at('2023-03-21T00:00:00Z').reach('a', 'construction-started', '2023-03-20');
  builder.at('2023-04-02T00:00:00Z').terminate('d', '2023-04-01');
  builder.at('2023-06-20T00:00:00Z').reach('b', 'construction-started', '2023-06-15');
  builder.at('2023-11-05T00:00:00Z');
  planned('c', '2023-12-01', undefined, '用地未落实');
  return builder;
}

const model = new LifecycleReadModel();
model.apply(history().events);

describe('plan against actual (应开工 / 应投产)', () => {
  it('as of 31 October as known on 1 November: due, reached, on plan, overdue with days, expected by year end', () => {
    const plan = planProgress(model, {
      scope: 'province',
      asOf: '2023-10-31',
      knownAt: '2023-11-01T00:00:00Z',
    });
    expect(plan.rows[0].start).toEqual({
      due: 4,
      dueWan: 1_000_000,
      reached: 2,
      reachedWan: 300_000,
      onPlan: 1,
      rate: 0.5,
      onPlanRate: 0.25,
    });
    expect(plan.rows[0].production).toMatchObject({ due: 1, reached: 0, rate: 0 });
    // d is terminated: due, but not overdue; e is in no round
    expect(plan.overdue.start.map((p) => [p.projectId, p.plannedOn, p.daysOverdue])).toEqual([
      ['c', '2023-06-30', 123],
    ]);
    expect(plan.overdue.production.map((p) => [p.projectId, p.daysOverdue])).toEqual([['b', 31]]);
    expect(plan.expectedByYearEnd.map((p) => [p.projectId, p.plannedProductionOn])).toEqual([
      ['a', '2023-12-31'],
    ]);
  });

  it('with everything known, the amended plan applies: c is no longer due', () => {
    const plan = planProgress(model, { scope: 'zone', asOf: '2023-10-31' });
    expect(plan.rows.map((row) => [row.id, row.start.due, row.start.reached])).toEqual([
      ['z1', 2, 2],
      ['z2', 1, 0],
    ]);
    expect(plan.overdue.start).toEqual([]);
  });

  it('as of an earlier D: b was due on 1 May and not started by 1 June', () => {
    const plan = planProgress(model, { scope: 'province', asOf: '2023-06-01' });
    expect(plan.rows[0].start).toMatchObject({ due: 3, reached: 1, onPlan: 1 });
    expect(plan.overdue.start.map((p) => [p.projectId, p.daysOverdue])).toEqual([['b', 31]]);
    expect(plan.expectedByYearEnd.map((p) => p.projectId)).toEqual(['b', 'a']);
  });

  it('none due: rates are null', () => {
    expect(planProgress(model, { scope: 'province', asOf: '2023-02-28' }).rows[0].start).toMatchObject({
      due: 0,
      rate: null,
      onPlanRate: null,
    });
  });
});
