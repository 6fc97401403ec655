import { CurrentRateAggregates, currentRatesOf } from './current-rates';
import { LifecycleReadModel } from './lifecycle-read-model';
import { rateTable } from './rates';
import { HistoryBuilder } from './testing/history-builder';

const history = () =>
  new HistoryBuilder()
    .zone({ id: 'z1', cityId: 'c1' })
    .zone({ id: 'z2', cityId: 'c2' })
    .round('r1', '2023-02-22')
    .round('next', '2023-12-20')
    .sign('a', 'z1', 100)
    .list('a', 'r1', '2023-02-22', 'signing')
    .reach('a', 'construction-started', '2023-03-01')
    .sign('b', 'z2', 300)
    .list('b', 'next', '2023-12-20', 'signing')
    .reach('b', 'construction-started', '2023-06-01');

describe('the incremental current view (CurrentRateAggregates)', () => {
  it('is kept per model, and answers views as of any D without a scan', () => {
    // given
    const model = new LifecycleReadModel();
    model.apply(history().events);
    const aggregates = currentRatesOf(model);
    // then
    expect(currentRatesOf(model)).toBe(aggregates);
    const zones = (asOf: string) =>
      Object.fromEntries(
        [...aggregates.vectorsAsOf(asOf)].map(([zone, vector]) => [zone, vector.slice(0, 4)]),
      );
    // start rate slots: cohortCount, cohortWan, count, wan
    expect(zones('2023-02-21')).toEqual({ z1: [0, 0, 0, 0], z2: [0, 0, 0, 0] });
    expect(zones('2023-02-22')).toEqual({ z1: [1, 100, 0, 0], z2: [0, 0, 0, 0] });
    expect(zones('2023-11-01')).toEqual({ z1: [1, 100, 1, 100], z2: [0, 0, 0, 0] });
    // a round scheduled after today: its listing joins the cohort, already started, on its date
    expect(zones('2023-12-20')).toEqual({ z1: [1, 100, 1, 100], z2: [1, 300, 1, 300] });
  });

  it('seeds itself from the projects already applied when created late', () => {
    const model = new LifecycleReadModel();
    model.apply(history().events);
    const late = new CurrentRateAggregates(model);
    const query = { scope: 'zone' as const, asOf: '2024-01-01' };
    expect(rateTable(model, query, late)).toEqual(rateTable(model, query, null));
  });

  it('is emptied when the model is reset, and refilled by the replay', () => {
    const events = history().events;
    const model = new LifecycleReadModel();
    model.apply(events);
    const before = rateTable(model, { scope: 'zone', asOf: '2024-01-01' });
    model.reset();
    expect(model.position).toBe(0);
    expect(rateTable(model, { scope: 'province', asOf: '2024-01-01' }).rows[0].start.cohortCount).toBe(0);
    model.apply(events);
    expect(rateTable(model, { scope: 'zone', asOf: '2024-01-01' })).toEqual(before);
  });
});
