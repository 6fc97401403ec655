import { LifecycleReadModel } from './lifecycle-read-model';
import { largeProjectShares } from './large-projects';
import { RateQuery, RateRow, RateTable, rateTable } from './rates';
import { HistoryBuilder } from './testing/history-builder';

function modelOf(history: HistoryBuilder): LifecycleReadModel {
  const model = new LifecycleReadModel();
  model.apply(history.events);
  return model;
}

/** The table as the API gets it, checked against a forced scan (the two paths must agree). */
function table(model: LifecycleReadModel, query: RateQuery): RateTable {
  const answer = rateTable(model, query);
  expect(rateTable(model, query, null)).toEqual(answer);
  return answer;
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
    .zone({ id: 'houma-kfq', name: '侯马开发区', cityId: 'linfen' })
    .round('r1', '2023-02-22')
    .round('r2', '2023-05-29')
    .round('r3', '2023-08-31');
  const zoneOf = (i: number) => (i % 2 === 0 ? 'linfen-kfq' : 'houma-kfq');
  // signing batch: 109 projects, 409.72亿; started: 94 projects, 367.05亿
  const started = split(3_670_500, 94);
  const notStarted = split(4_097_200 - 3_670_500, 15);
  [...started, ...notStarted].forEach((wan, i) => {
    history
      .sign(`s${i}`, zoneOf(i), wan, { signedOn: '2023-02-22' })
      .list(`s${i}`, 'r1', '2023-02-22', 'signing');
    if (i < 94) history.reach(`s${i}`, 'construction-started', '2023-06-01');
  });
  // construction batch: 77 projects, 234.11亿; in production: 57 projects, 84.42亿; 66 entered statistics
  const producing = split(844_200, 57);
  const notProducing = split(2_341_100 - 844_200, 20);
  [...producing, ...notProducing].forEach((wan, i) => {
    history
      .sign(`c${i}`, zoneOf(i), wan)
      .reach(`c${i}`, 'construction-started', '2023-05-01')
      .list(`c${i}`, 'r2', '2023-05-29', 'construction');
    if (i < 57) history.reach(`c${i}`, 'production-started', '2023-09-15');
    if (i >= 11) history.reach(`c${i}`, 'statistics-entered', '2023-07-01');
  });
  // production batch: 86 projects, 229.25亿, 70 industrial; 69 attained; 49 above scale
  split(2_292_500, 86).forEach((wan, i) => {
    const industrial = i < 70;
    history
      .sign(`p${i}`, zoneOf(i), wan, { industrial })
      .reach(`p${i}`, 'construction-started', '2023-03-01')
      .reach(`p${i}`, 'production-started', '2023-08-01')
      .list(`p${i}`, 'r3', '2023-08-31', 'production');
    // the non-industrial ones attain too: they must not count
    if (i < 69 || !industrial) history.reach(`p${i}`, 'attained', '2023-10-01');
    if (i < 49 || !industrial) history.reach(`p${i}`, 'enterprise-above-scale', '2023-10-10');
  });
  const model = modelOf(history);

  // when
  const linfen = table(model, { scope: 'city', asOf: '2023-10-31' }).rows.find((row) => row.id === 'linfen')!;

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

  it('attainment rate 99 % (69 / 70 industrial projects: 98.57 %) and above-scale rate 70 % (49 / 70)', () => {
    expect(linfen.attainment).toMatchObject({ cohortCount: 70, count: 69, reported: 'count' });
    expect(percent(linfen.attainment.byCount, 2)).toBe(98.57);
    expect(percent(linfen.attainment.byCount, 0)).toBe(99);
    expect(linfen.aboveScale).toMatchObject({ cohortCount: 70, count: 49, reported: 'count' });
    expect(percent(linfen.aboveScale.byCount, 0)).toBe(70);
  });

  it('sums the zones into the city and the province', () => {
    const province = table(model, { scope: 'province', asOf: '2023-10-31' }).rows[0];
    const zones = table(model, { scope: 'zone', asOf: '2023-10-31' }).rows;
    expect(province).toEqual({ ...linfen, scope: 'province', id: 'province', name: '全省' });
    expect(zones.map((row) => row.id)).toEqual(['houma-kfq', 'linfen-kfq']);
    expect(zones[0].start.cohortCount + zones[1].start.cohortCount).toBe(109);
    expect(zones[0].start.wan + zones[1].start.wan).toBe(3_670_500);
  });
});

describe('the precise rules of the rates (DOMAIN.md)', () => {
  const base = () =>
    new HistoryBuilder()
      .zone({ id: 'z1', cityId: 'c1', category: 'industrial' })
      .zone({ id: 'z2', cityId: 'c2', category: 'agricultural' })
      .round('r1', '2023-02-22')
      .round('r2', '2023-05-29')
      .round('r3', '2023-11-30');
  const query = (overrides: Partial<RateQuery> = {}): RateQuery => ({
    scope: 'province',
    asOf: '2023-10-31',
    ...overrides,
  });
  const province = (model: LifecycleReadModel, overrides: Partial<RateQuery> = {}): RateRow =>
    table(model, query(overrides)).rows[0];

  it('a project listed in the same batch by two rounds counts once', () => {
    // given
    const model = modelOf(
      base()
        .sign('a', 'z1', 100)
        .list('a', 'r1', '2023-02-22', 'signing')
        .list('a', 'r2', '2023-05-29', 'signing')
        .reach('a', 'construction-started', '2023-06-01'),
    );
    // then
    expect(province(model).start).toMatchObject({ cohortCount: 1, cohortWan: 100, count: 1, wan: 100 });
    expect(province(model, { roundIds: ['r1', 'r2'] }).start).toMatchObject({ cohortCount: 1, count: 1 });
  });

  it('terminated projects stay in their cohort, count against the rate and are counted as terminated', () => {
    // given: a terminated project and a started one
    const model = modelOf(
      base()
        .sign('a', 'z1', 100)
        .list('a', 'r1', '2023-02-22', 'signing')
        .terminate('a', '2023-06-01')
        .sign('b', 'z1', 300)
        .list('b', 'r1', '2023-02-22', 'signing')
        .reach('b', 'construction-started', '2023-03-01'),
    );
    // then
    expect(province(model).start).toEqual({
      cohortCount: 2,
      cohortWan: 400,
      count: 1,
      wan: 300,
      terminatedCount: 1,
      completedWan: 0,
      byCount: 0.5,
      byInvestment: 0.75,
      byCompletedInvestment: 0,
      reported: 'investment',
    });
    // before its termination it is not counted as terminated
    expect(province(model, { asOf: '2023-05-31' }).start.terminatedCount).toBe(0);
  });

  it('a listing in a round held after D is not in the cohort (a round scheduled in the future included)', () => {
    // given: r3 is held on 30 November
    const model = modelOf(
      base()
        .sign('a', 'z1', 100)
        .list('a', 'r3', '2023-11-30', 'signing')
        .reach('a', 'construction-started', '2023-10-01'),
    );
    // then
    expect(province(model).start).toMatchObject({ cohortCount: 0, count: 0, byCount: null });
    expect(province(model, { asOf: '2023-11-29' }).start.cohortCount).toBe(0);
    expect(province(model, { asOf: '2023-11-30' }).start).toMatchObject({ cohortCount: 1, count: 1 });
  });

  it('a milestone counts only when its effective date is on or before D', () => {
    const model = modelOf(
      base()
        .sign('a', 'z1', 100)
        .list('a', 'r1', '2023-02-22', 'signing')
        .reach('a', 'construction-started', '2023-11-05'),
    );
    expect(province(model).start).toMatchObject({ cohortCount: 1, count: 0, wan: 0 });
    expect(province(model, { asOf: '2023-11-04' }).start.count).toBe(0);
    expect(province(model, { asOf: '2023-11-05' }).start).toMatchObject({ count: 1, wan: 100 });
  });

  it('a correction moves the milestone date into the numerator or out of it', () => {
    // given: started 5 November (after D), corrected to 5 October (before D)
    const history = base()
      .sign('a', 'z1', 100)
      .list('a', 'r1', '2023-02-22', 'signing')
      .reach('a', 'construction-started', '2023-11-05')
      .correct('a', 'construction-started', '2023-10-05', '2023-11-05');
    const model = modelOf(history);
    expect(province(model).start.count).toBe(1);
    // when it is corrected again, to 2 November
    model.apply(history.correct('a', 'construction-started', '2023-11-02', '2023-10-05').events);
    // then it leaves the numerator
    expect(province(model).start.count).toBe(0);
    expect(province(model, { asOf: '2023-11-02' }).start.count).toBe(1);
  });

  it('a retracted milestone does not count', () => {
    const history = base()
      .sign('a', 'z1', 100)
      .list('a', 'r1', '2023-02-22', 'signing')
      .reach('a', 'construction-started', '2023-10-05');
    const model = modelOf(history);
    expect(province(model).start.count).toBe(1);
    model.apply(history.retract('a', 'construction-started', '2023-10-05').events);
    expect(province(model).start).toMatchObject({ cohortCount: 1, count: 0, wan: 0 });
    expect(province(model, { asOf: '2024-12-31' }).start.count).toBe(0);
  });

  it('as known at K leaves out every kind of fact recorded after K', () => {
    // given: facts known on 1 March, then late reports recorded on 10 November
    const model = modelOf(
      base()
        .at('2023-03-01T00:00:00Z')
        .sign('a', 'z1', 100)
        .list('a', 'r1', '2023-02-22', 'signing')
        .reach('a', 'construction-started', '2023-02-25')
        .sign('b', 'z1', 200)
        .list('b', 'r1', '2023-02-22', 'signing')
        .sign('c', 'z1', 400)
        .reach('c', 'construction-started', '2023-02-26')
        .at('2023-11-10T00:00:00Z')
        .list('c', 'r1', '2023-02-22', 'signing') // a listing
        .reach('b', 'construction-started', '2023-10-01') // a milestone
        .correct('a', 'construction-started', '2023-11-08', '2023-02-25') // a correction
        .amend('b', { totalInvestmentWan: 500 }) // an amendment
        .terminate('b', '2023-10-20') // a termination
        .sign('d', 'z1', 800) // a project
        .list('d', 'r2', '2023-05-29', 'signing'),
    );
    // when
    const before = province(model, { knownAt: '2023-11-01T00:00:00.000Z' }).start;
    const now = province(model).start;
    // then
    expect(before).toMatchObject({ cohortCount: 2, cohortWan: 300, count: 1, wan: 100, terminatedCount: 0 });
    expect(now).toMatchObject({ cohortCount: 4, cohortWan: 1_800, count: 2, wan: 900, terminatedCount: 1 });
    // K on the instant a fact was recorded includes it; a K after every fact is the current view
    expect(province(model, { knownAt: '2023-11-10T00:00:00.000Z' }).start.cohortCount).toBe(3);
    expect(province(model, { knownAt: '2030-01-01T00:00:00.000Z' })).toEqual(province(model));
  });

  it('as known at K, a retraction recorded after K has not happened yet', () => {
    const model = modelOf(
      base()
        .at('2023-03-01T00:00:00Z')
        .sign('a', 'z1', 100)
        .list('a', 'r1', '2023-02-22', 'signing')
        .reach('a', 'construction-started', '2023-02-25')
        .at('2023-11-10T00:00:00Z')
        .retract('a', 'construction-started', '2023-02-25'),
    );
    expect(province(model, { knownAt: '2023-11-01T00:00:00Z' }).start.count).toBe(1);
    expect(province(model).start.count).toBe(0);
  });

  it('the investment basis uses the total investment as amended', () => {
    const model = modelOf(
      base()
        .sign('a', 'z1', 100)
        .list('a', 'r1', '2023-02-22', 'signing')
        .reach('a', 'construction-started', '2023-03-01')
        .sign('b', 'z1', 100)
        .list('b', 'r1', '2023-02-22', 'signing')
        .amend('a', { totalInvestmentWan: 300 })
        .amend('a', { name: 'renamed' }),
    );
    expect(province(model).start).toMatchObject({ cohortWan: 400, wan: 300, byInvestment: 0.75 });
  });

  it('attainment and above-scale count industrial projects only, as amended', () => {
    // given: one non-industrial project in production that attained, one industrial that did not
    const history = base()
      .sign('service', 'z1', 100, { industrial: false })
      .reach('service', 'construction-started', '2023-01-10')
      .reach('service', 'production-started', '2023-02-01')
      .list('service', 'r1', '2023-02-22', 'production')
      .reach('service', 'attained', '2023-03-01')
      .reach('service', 'enterprise-above-scale', '2023-03-01')
      .sign('plant', 'z1', 100)
      .reach('plant', 'construction-started', '2023-01-10')
      .reach('plant', 'production-started', '2023-02-01')
      .list('plant', 'r1', '2023-02-22', 'production');
    const model = modelOf(history);
    expect(province(model).attainment).toMatchObject({ cohortCount: 1, count: 0 });
    expect(province(model).aboveScale).toMatchObject({ cohortCount: 1, count: 0 });
    // when the service project is found to be industrial after all
    model.apply(history.amend('service', { industrial: true }).events);
    // then
    expect(province(model).attainment).toMatchObject({ cohortCount: 2, count: 1 });
    expect(province(model).aboveScale).toMatchObject({ cohortCount: 2, count: 1 });
  });

  it('each rate has its own cohort batch and milestone', () => {
    const model = modelOf(
      base()
        .sign('a', 'z1', 100)
        .reach('a', 'construction-started', '2023-01-10')
        .reach('a', 'statistics-entered', '2023-03-10')
        .list('a', 'r1', '2023-02-22', 'construction')
        .sign('b', 'z1', 100)
        .reach('b', 'construction-started', '2023-01-10')
        .reach('b', 'production-started', '2023-04-01')
        .list('b', 'r2', '2023-05-29', 'production'),
    );
    const row = province(model);
    expect(row.start.cohortCount).toBe(0);
    expect(row.production).toMatchObject({ cohortCount: 1, count: 0 });
    expect(row.statisticsEntry).toMatchObject({ cohortCount: 1, count: 1 });
    expect(row.attainment).toMatchObject({ cohortCount: 1, count: 0 });
    expect(row.aboveScale).toMatchObject({ cohortCount: 1, count: 0 });
    expect([row.start.reported, row.production.reported, row.statisticsEntry.reported]).toEqual([
      'investment',
      'investment',
      'count',
    ]);
    expect([row.attainment.reported, row.aboveScale.reported]).toEqual(['count', 'count']);
  });

  it('filters: 亿元以上, industrial only, zone category, place, a round, rounds since a date', () => {
    const model = modelOf(
      base()
        .sign('big', 'z1', 10_000)
        .list('big', 'r1', '2023-02-22', 'signing')
        .sign('small', 'z1', 9_999, { industrial: false })
        .list('small', 'r2', '2023-05-29', 'signing')
        .sign('farm', 'z2', 20_000)
        .list('farm', 'r2', '2023-05-29', 'signing'),
    );
    const cohort = (q: Partial<RateQuery>) => province(model, q).start.cohortCount;
    expect(cohort({})).toBe(3);
    expect(cohort({ minTotalInvestmentWan: 10_000 })).toBe(2);
    expect(cohort({ industrialOnly: true })).toBe(2);
    expect(cohort({ zoneCategory: 'agricultural' })).toBe(1);
    expect(cohort({ cityId: 'c1' })).toBe(2);
    expect(cohort({ zoneId: 'z2' })).toBe(1);
    expect(cohort({ roundIds: ['r1'] })).toBe(1);
    expect(cohort({ roundIds: ['r1', 'r2'] })).toBe(3);
    expect(cohort({ since: '2023-03-01' })).toBe(2);
    expect(table(model, query({ scope: 'city', cityId: 'c2' })).rows.map((row) => row.id)).toEqual(['c2']);
  });

  it('rows per zone and per city, empty cohorts as null rates, and only zones known at K', () => {
    const model = modelOf(
      base()
        .sign('a', 'z1', 100)
        .list('a', 'r1', '2023-02-22', 'signing')
        .at('2024-01-01T00:00:00Z')
        .zone({ id: 'z3', cityId: 'c1' }),
    );
    expect(
      table(model, query({ scope: 'zone' })).rows.map((row) => [
        row.id,
        row.start.cohortCount,
        row.start.byCount,
      ]),
    ).toEqual([
      ['z1', 1, 0],
      ['z3', 0, null],
      ['z2', 0, null],
    ]);
    expect(table(model, query({ scope: 'city' })).rows.map((row) => [row.id, row.name])).toEqual([
      ['c1', 'c1'],
      ['c2', 'c2'],
    ]);
    const known = table(model, query({ scope: 'zone', knownAt: '2023-12-31T00:00:00Z' }));
    expect(known.rows.map((row) => row.id)).toEqual(['z1', 'z2']);
    expect(known.knownAt).toBe('2023-12-31T00:00:00Z');
  });

  it('refuses a K that is not an instant', () => {
    const model = modelOf(base());
    expect(() => rateTable(model, query({ knownAt: 'yesterday' }))).toThrow(RangeError);
  });
});

describe('a table answered again while the model has not moved', () => {
  const history = () =>
    new HistoryBuilder()
      .zone({ id: 'z1', cityId: 'c1' })
      .round('r1', '2023-02-22')
      .sign('a', 'z1', 100)
      .list('a', 'r1', '2023-02-22', 'signing');
  const query: RateQuery = { scope: 'zone', asOf: '2023-10-31' };

  it('is the same answer, frozen, and what a scan of the model answers', () => {
    // given
    const model = modelOf(history());
    // when
    const first = rateTable(model, query);
    const again = rateTable(model, { ...query });
    // then
    expect(again).toBe(first);
    expect(Object.isFrozen(first) && Object.isFrozen(first.rows) && Object.isFrozen(first.rows[0])).toBe(
      true,
    );
    expect(Object.isFrozen(first.rows[0].start)).toBe(true);
    expect(rateTable(model, query, null)).toEqual(first);
    expect(rateTable(model, query, null)).not.toBe(first);
    expect(rateTable(model, { ...query, asOf: '2023-10-30' })).not.toBe(first);
  });

  it('is answered anew once another event has been applied', () => {
    // given
    const builder = history();
    const model = modelOf(builder);
    const before = rateTable(model, query);
    expect(before.rows[0].start.count).toBe(0);
    // when
    model.apply(builder.reach('a', 'construction-started', '2023-06-01').events);
    // then
    const after = rateTable(model, query);
    expect(after.rows[0].start.count).toBe(1);
    expect(rateTable(model, query, null)).toEqual(after);
  });
});

describe('亿元以上 shares: the 临汾 report (2023 signings)', () => {
  // given: 68 projects signed in 2023 rounds, 236.65亿, of which 54 of 亿元以上 with 230.27亿;
  // and signings of 2022 that a 2023 cohort leaves out
  const history = new HistoryBuilder()
    .zone({ id: 'linfen-kfq', name: '临汾开发区', cityId: 'linfen' })
    .zone({ id: 'houma-kfq', name: '侯马开发区', cityId: 'linfen' })
    .round('r0', '2022-11-20')
    .round('r1', '2023-02-22')
    .round('r2', '2023-05-29');
  const large = split(2_302_700, 54);
  const small = split(2_366_500 - 2_302_700, 14);
  [...large, ...small].forEach((wan, i) => {
    const round = i % 2 === 0 ? ['r1', '2023-02-22'] : ['r2', '2023-05-29'];
    history
      .sign(`s${i}`, i % 3 === 0 ? 'houma-kfq' : 'linfen-kfq', wan, { signedOn: round[1] })
      .list(`s${i}`, round[0], round[1], 'signing');
  });
  // one 2023 signing listed twice counts once; a 2022 one is outside the 2023 cohort
  history.list('s0', 'r2', '2023-05-29', 'signing');
  history
    .sign('old', 'linfen-kfq', 50_000, { signedOn: '2022-11-20' })
    .list('old', 'r0', '2022-11-20', 'signing');
  const model = modelOf(history);

  it('54 / 68 projects (79.4 %) and 230.27 / 236.65 亿 (97.3 %) are 亿元以上', () => {
    const linfen = largeProjectShares(model, { scope: 'city', asOf: '2023-10-31', since: '2023-01-01' })
      .rows[0];
    expect(linfen.signing).toMatchObject({ count: 68, wan: 2_366_500, largeCount: 54, largeWan: 2_302_700 });
    expect(percent(linfen.signing.byCount, 1)).toBe(79.4);
    expect(percent(linfen.signing.byInvestment, 1)).toBe(97.3);
    expect(linfen.construction).toMatchObject({ count: 0, byCount: null });
    // the programme cohort includes the 2022 signing
    const programme = largeProjectShares(model, { scope: 'province', asOf: '2023-10-31' }).rows[0];
    expect(programme.signing).toMatchObject({ count: 69, largeCount: 55 });
  });
});
