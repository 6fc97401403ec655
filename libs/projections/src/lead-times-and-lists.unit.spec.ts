import { LifecycleReadModel } from './lifecycle-read-model';
import { leadTimes, nearestRank } from './lead-times';
import { listProjects, stalledProjects } from './project-lists';
import { HistoryBuilder } from './testing/history-builder';

const history = () =>
  new HistoryBuilder()
    .zone({ id: 'z1', cityId: 'c1' })
    .zone({ id: 'z2', cityId: 'c2' })
    .round('r1', '2023-02-22')
    .round('r2', '2023-05-29');

function modelOf(builder: HistoryBuilder): LifecycleReadModel {
  const model = new LifecycleReadModel();
  model.apply(builder.events);
  return model;
}

describe('lead times', () => {
  it('nearest-rank percentiles', () => {
    expect(nearestRank([], 50)).toBeNull();
    expect(nearestRank([10], 90)).toBe(10);
    expect(nearestRank([1, 2, 3, 4], 50)).toBe(2);
    expect(nearestRank([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90)).toBe(9);
  });

  it('measures signing → construction start over the signing cohort, only when both ends are on or before D', () => {
    // given: 238 days, 58 days, and one started after D
    const model = modelOf(
      history()
        .sign('a', 'z1', 100, { signedOn: '2023-02-22' })
        .list('a', 'r1', '2023-02-22', 'signing')
        .reach('a', 'construction-started', '2023-10-18')
        .sign('b', 'z1', 100, { signedOn: '2023-02-22' })
        .list('b', 'r1', '2023-02-22', 'signing')
        .reach('b', 'construction-started', '2023-04-21')
        .sign('c', 'z1', 100, { signedOn: '2023-02-22' })
        .list('c', 'r1', '2023-02-22', 'signing')
        .reach('c', 'construction-started', '2023-12-01'),
    );
    // when
    const table = leadTimes(model, { scope: 'zone', asOf: '2023-10-31' });
    // then
    const z1 = table.rows.find((row) => row.id === 'z1')!;
    expect(z1.signToStart).toEqual({ count: 2, median: 58, p90: 238 });
    expect(z1.startToProduction).toEqual({ count: 0, median: null, p90: null });
    expect(table.rows.find((row) => row.id === 'z2')!.signToStart.count).toBe(0);
  });
});

describe('stalled projects (三未) and the project list', () => {
  const model = modelOf(
    history()
      .sign('idle', 'z1', 100, { signedOn: '2023-02-22' })
      .sign('building', 'z1', 200, { signedOn: '2023-02-22' })
      .reach('building', 'construction-started', '2023-05-01')
      .sign('producing', 'z2', 300, { signedOn: '2023-01-05' })
      .reach('producing', 'construction-started', '2023-02-01')
      .reach('producing', 'production-started', '2023-09-01')
      .sign('service', 'z2', 50, { signedOn: '2023-01-05', industrial: false })
      .reach('service', 'construction-started', '2023-02-01')
      .reach('service', 'production-started', '2023-09-01')
      .sign('gone', 'z1', 100, { signedOn: '2023-02-22' })
      .project({
        type: 'ProjectTerminated',
        data: { projectId: 'gone', occurredOn: '2023-06-01', reason: '退出' },
      })
      .list('building', 'r2', '2023-05-29', 'construction'),
  );

  it('lists each kind with the date it is stuck since and the days stalled as of D; terminated and non-industrial attainment excluded', () => {
    const stalled = stalledProjects(model, { asOf: '2023-10-31' });
    expect(stalled.signedNotStarted.map((p) => [p.projectId, p.since, p.daysStalled])).toEqual([
      ['idle', '2023-02-22', 251],
    ]);
    expect(stalled.startedNotProducing.map((p) => [p.projectId, p.since, p.daysStalled])).toEqual([
      ['building', '2023-05-01', 183],
    ]);
    expect(stalled.producingNotAttained.map((p) => p.projectId)).toEqual(['producing']);
  });

  it('applies per-list thresholds and place filters', () => {
    const stalled = stalledProjects(model, {
      asOf: '2023-10-31',
      minDays: { signedNotStarted: 300 },
      zoneId: 'z1',
    });
    expect(stalled.signedNotStarted).toEqual([]);
    expect(stalled.startedNotProducing.map((p) => p.projectId)).toEqual(['building']);
    expect(stalled.producingNotAttained).toEqual([]);
  });

  it('lists projects by stage, batch, round and city as of D', () => {
    const ids = (query: Parameters<typeof listProjects>[1]) =>
      listProjects(model, query).items.map((p) => p.projectId);
    expect(ids({ asOf: '2023-10-31', stage: 'terminated' })).toEqual(['gone']);
    expect(ids({ asOf: '2023-10-31', batch: 'construction' })).toEqual(['building']);
    expect(ids({ asOf: '2023-05-01', roundId: 'r2' })).toEqual([]);
    expect(ids({ asOf: '2023-10-31', cityId: 'c2' })).toEqual(['producing', 'service']);
    expect(ids({ asOf: '2023-01-31', cityId: 'c2', stage: 'signed' })).toEqual(['producing', 'service']);
    expect(listProjects(model, { asOf: '2023-10-31', limit: 2 })).toMatchObject({ total: 5, limit: 2 });
  });
});
