import { LifecycleReadModel } from './lifecycle-read-model';
import { CurrentRateAggregates, RateQuery, RateTable, rateTable } from './rates';
import { HistoryBuilder } from './testing/history-builder';

function modelOf(history: HistoryBuilder): { model: LifecycleReadModel; aggregates: CurrentRateAggregates } {
  const model = new LifecycleReadModel();
  const aggregates = new CurrentRateAggregates(model);
  model.apply(history.events);
  return { model, aggregates };
}

/** Splits a total into n whole amounts that add up to it exactly. */
function split(total: number, n: number): number[] {
  const each = Math.floor(total / n);
  return Array.from({ length: n }, (_, i) => (i === n - 1 ? total - each * (n - 1) : each));
}

const percent = (fraction: number | null, decimals: number) =>
  fraction === null ? null : Number((fraction * 100).toFixed(decimals));

describe('the five rates: the 临汾 worked example of DOMAIN.md (end of October)', () => {
  // given: the city's totals from the report
  const history = new HistoryBuilder()
    .zone({ id: 'linfen-kfq', name: '临汾开发区', cityId: 'linfen' })
    .round('r1', '2023-02-22')
    .round('r2', '2023-05-29')
    .round('r3', '2023-08-31');
  const signingStarted = split(3_670_500, 94);
  const signingNotStarted = split(4_097_200 - 3_670_500, 15);
  [...signingStarted, ...signingNotStarted].forEach((wan, i) => {
    history
      .sign(`s${i}`, 'linfen-kfq', wan, { signedOn: '2023-02-22' })
      .list(`s${i}`, 'r1', '2023-02-22', 'signing');
    if (i < 94) history.reach(`s${i}`, 'construction-started', '2023-06-01');
  });
  const producing = split(844_200, 57);
  const notProducing = split(2_341_100 - 844_200, 20);
  [...producing, ...notProducing].forEach((wan, i) => {
    history
      .sign(`c${i}`, 'linfen-kfq', wan)
      .reach(`c${i}`, 'construction-started', '2023-05-01')
      .list(`c${i}`, 'r2', '2023-05-29', 'construction');
    if (i < 57) history.reach(`c${i}`, 'production-started', '2023-09-15');
    if (i < 66) history.reach(`c${i}`, 'statistics-entered', '2023-07-01');
  });
  split(2_292_500, 86).forEach((wan, i) => {
    const industrial = i < 70;
    history
      .sign(`p${i}`, 'linfen-kfq', wan, { industrial })
      .reach(`p${i}`, 'construction-started', '2023-03-01')
      .reach(`p${i}`, 'production-started', '2023-08-01')
      .list(`p${i}`, 'r3', '2023-08-31', 'production');
    if (i < 69 || !industrial) history.reach(`p${i}`, 'attained', '2023-10-01');
    if (i < 49 || !industrial) history.reach(`p${i}`, 'enterprise-above-scale', '2023-10-10');
  });
  const { model, aggregates } = modelOf(history);

  // when
  const table = rateTable(model, { scope: 'city', asOf: '2023-10-31' }, aggregates);
  const linfen = table.rows.find((row) => row.id === 'linfen')!;

  it('start rate 89.6 % by investment (367.05 / 409.72 亿) and 86.2 % by count', () => {
    expect(linfen.start).toMatchObject({ cohortCount: 109, cohortWan: 4_097_200, count: 94, wan: 3_670_500 });
    expect(linfen.start.reported).toBe('investment');
    expect(percent(linfen.start.byInvestment, 1)).toBe(89.6);
    expect(percent(linfen.start.byCount, 1)).toBe(86.2);
  });

  it('production rate 36.1 % by investment (84.42 / 234.11 亿)', () => {
    expect(linfen.production).toMatchObject({
      cohortCount: 77,
      cohortWan: 2_341_100,
      count: 57,
      wan: 844_200,
    });
    expect(linfen.production.reported).toBe('investment');
    expect(percent(linfen.production.byInvestment, 1)).toBe(36.1);
  });

  it('statistics-entry rate 85.71 % by count (66 / 77)', () => {
    expect(linfen.statisticsEntry).toMatchObject({ cohortCount: 77, count: 66, reported: 'count' });
    expect(percent(linfen.statisticsEntry.byCount, 2)).toBe(85.71);
  });

  it('attainment rate 99 % (69 / 70 industrial projects) and above-scale rate 70 % (49 / 70)', () => {
    expect(linfen.attainment).toMatchObject({ cohortCount: 70, count: 69, reported: 'count' });
    expect(percent(linfen.attainment.byCount, 0)).toBe(99);
    expect(linfen.aboveScale).toMatchObject({ cohortCount: 70, count: 49, reported: 'count' });
    expect(percent(linfen.aboveScale.byCount, 0)).toBe(70);
  });

  it('gives the same table from the incremental aggregates and from a full scan', () => {
    expect(rateTable(model, { scope: 'city', asOf: '2023-10-31' })).toEqual(table);
  });
});

describe('the precise rules of the rates', () => {
  const base = () =>
    new HistoryBuilder()
      .zone({ id: 'z1', cityId: 'c1', category: 'industrial' })
      .zone({ id: 'z2', cityId: 'c1', category: 'agricultural' })
      .round('r1', '2023-02-22')
      .round('r2', '2023-05-29')
      .round('r3', '2023-11-30');
  const province = (table: RateTable) => table.rows[0];
  const query = (overrides: Partial<RateQuery> = {}): RateQuery => ({
    scope: 'province',
    asOf: '2023-10-31',
    ...overrides,
  });

  it('a project listed in the same batch by two rounds counts once', () => {
    const history = base()
      .sign('a', 'z1', 100)
      .list('a', 'r1', '2023-02-22', 'signing')
      .list('a', 'r2', '2023-05-29', 'signing');
    const { model } = modelOf(history);
    expect(province(rateTable(model, query())).start).toMatchObject({ cohortCount: 1, cohortWan: 100 });
  });

  it('terminated projects stay in their cohort and are counted as terminated', () => {
    const history = base()
      .sign('a', 'z1', 100)
      .list('a', 'r1', '2023-02-22', 'signing')
      .project({
        type: 'ProjectTerminated',
        data: { projectId: 'a', occurredOn: '2023-06-01', reason: '退出' },
      })
      .sign('b', 'z1', 300)
      .list('b', 'r1', '2023-02-22', 'signing')
      .reach('b', 'construction-started', '2023-03-01');
    const { model } = modelOf(history);
    expect(province(rateTable(model, query())).start).toMatchObject({
      cohortCount: 2,
      count: 1,
      terminatedCount: 1,
      byCount: 0.5,
      byInvestment: 0.75,
    });
  });

  it('a listing in a round held after D is not in the cohort', () => {
    const history = base().sign('a', 'z1', 100).list('a', 'r3', '2023-11-30', 'signing');
    const { model, aggregates } = modelOf(history);
    expect(province(rateTable(model, query(), aggregates)).start.cohortCount).toBe(0);
    expect(province(rateTable(model, query({ asOf: '2023-12-01' }), aggregates)).start.cohortCount).toBe(1);
  });

  it('a milestone counts only when its effective date is on or before D', () => {
    const history = base()
      .sign('a', 'z1', 100)
      .list('a', 'r1', '2023-02-22', 'signing')
      .reach('a', 'construction-started', '2023-11-05');
    const { model } = modelOf(history);
    expect(province(rateTable(model, query())).start.count).toBe(0);
    expect(province(rateTable(model, query({ asOf: '2023-11-05' }))).start.count).toBe(1);
  });

  it('a correction moves the date in or out of the numerator, and a retraction removes it', () => {
    const history = base()
      .sign('a', 'z1', 100)
      .list('a', 'r1', '2023-02-22', 'signing')
      .reach('a', 'construction-started', '2023-11-05')
      .project({
        type: 'MilestoneDateCorrected',
        data: {
          projectId: 'a',
          milestone: 'construction-started',
          occurredOn: '2023-10-05',
          previousOccurredOn: '2023-11-05',
          reason: 'r',
        },
      });
    const { model } = modelOf(history);
    expect(province(rateTable(model, query())).start.count).toBe(1);
    // the model applies only what it has not seen (position guard)
    history.project({
      type: 'MilestoneRetracted',
      data: {
        projectId: 'a',
        milestone: 'construction-started',
        previousOccurredOn: '2023-10-05',
        reason: 'r',
      },
    });
    model.apply(history.events);
    expect(province(rateTable(model, query())).start.count).toBe(0);
  });

  it('as known at K ignores listings, milestones and amendments recorded after K; investment uses the amended total', () => {
    const history = base()
      .at('2023-03-01T00:00:00Z')
      .sign('a', 'z1', 100)
      .list('a', 'r1', '2023-02-22', 'signing')
      .at('2023-11-10T00:00:00Z')
      .reach('a', 'construction-started', '2023-10-01')
      .project({
        type: 'ProjectAmended',
        data: { projectId: 'a', changes: { totalInvestmentWan: 500 }, reason: '核实' },
      });
    const { model } = modelOf(history);
    const before = province(rateTable(model, query({ knownAt: '2023-11-01T00:00:00.000Z' })));
    expect(before.start).toMatchObject({ cohortWan: 100, count: 0 });
    const after = province(rateTable(model, query()));
    expect(after.start).toMatchObject({ cohortWan: 500, count: 1, wan: 500 });
  });

  it('attainment and above-scale count industrial projects only', () => {
    const history = base()
      .sign('a', 'z1', 100, { industrial: false })
      .reach('a', 'construction-started', '2023-01-10')
      .reach('a', 'production-started', '2023-02-01')
      .list('a', 'r1', '2023-02-22', 'production')
      .reach('a', 'attained', '2023-03-01');
    const { model } = modelOf(history);
    const row = province(rateTable(model, query()));
    expect(row.attainment.cohortCount).toBe(0);
    expect(row.aboveScale.cohortCount).toBe(0);
  });

  it('filters: 亿元以上, industrial only, zone category, a round, rounds since a date', () => {
    const history = base()
      .sign('big', 'z1', 10_000)
      .list('big', 'r1', '2023-02-22', 'signing')
      .sign('small', 'z1', 9_999, { industrial: false })
      .list('small', 'r2', '2023-05-29', 'signing')
      .sign('farm', 'z2', 20_000)
      .list('farm', 'r2', '2023-05-29', 'signing');
    const { model, aggregates } = modelOf(history);
    const cohort = (q: Partial<RateQuery>) =>
      province(rateTable(model, query(q), aggregates)).start.cohortCount;
    expect(cohort({})).toBe(3);
    expect(cohort({ minTotalInvestmentWan: 10_000 })).toBe(2);
    expect(cohort({ industrialOnly: true })).toBe(2);
    expect(cohort({ zoneCategory: 'agricultural' })).toBe(1);
    expect(cohort({ roundIds: ['r1'] })).toBe(1);
    expect(cohort({ since: '2023-03-01' })).toBe(2);
  });

  it('rows per zone and per city, with empty cohorts as null rates', () => {
    const history = base().sign('a', 'z1', 100).list('a', 'r1', '2023-02-22', 'signing');
    const { model } = modelOf(history);
    const zones = rateTable(model, query({ scope: 'zone' }));
    expect(zones.rows.map((row) => [row.id, row.start.cohortCount, row.start.byCount])).toEqual([
      ['z1', 1, 0],
      ['z2', 0, null],
    ]);
    expect(rateTable(model, query({ scope: 'city' })).rows.map((row) => row.id)).toEqual(['c1']);
  });
});
