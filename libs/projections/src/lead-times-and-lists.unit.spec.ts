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

  it('measures start → production over the construction cohort and production → attainment over industrial production listings', () => {
    // given
    const model = modelOf(
      history()
        .sign('built', 'z1', 100)
        .reach('built', 'construction-started', '2023-02-01')
        .list('built', 'r1', '2023-02-22', 'construction')
        .reach('built', 'production-started', '2023-05-02')
        .sign('unlisted', 'z1', 100)
        .reach('unlisted', 'construction-started', '2023-02-01')
        .reach('unlisted', 'production-started', '2023-02-11')
        .sign('plant', 'z1', 100)
        .reach('plant', 'construction-started', '2023-02-01')
        .reach('plant', 'production-started', '2023-03-01')
        .list('plant', 'r2', '2023-05-29', 'production')
        .reach('plant', 'attained', '2023-06-30')
        .sign('service', 'z1', 100, { industrial: false })
        .reach('service', 'construction-started', '2023-02-01')
        .reach('service', 'production-started', '2023-03-01')
        .list('service', 'r2', '2023-05-29', 'production')
        .reach('service', 'attained', '2023-03-02'),
    );
    // when
    const z1 = leadTimes(model, { scope: 'province', asOf: '2023-10-31' }).rows[0];
    // then
    expect(z1.startToProduction).toEqual({ count: 1, median: 90, p90: 90 });
    expect(z1.productionToAttainment).toEqual({ count: 1, median: 121, p90: 121 });
    // as of a date before the production listing's round, nothing of the production cohort yet
    expect(
      leadTimes(model, { scope: 'province', asOf: '2023-05-28' }).rows[0].productionToAttainment.count,
    ).toBe(0);
  });

  it('as known at K, uses the dates known then', () => {
    const model = modelOf(
      history()
        .at('2023-03-01T00:00:00Z')
        .sign('a', 'z1', 100, { signedOn: '2023-02-22' })
        .list('a', 'r1', '2023-02-22', 'signing')
        .at('2023-05-01T00:00:00Z')
        .reach('a', 'construction-started', '2023-04-21')
        .at('2023-09-01T00:00:00Z')
        .correct('a', 'construction-started', '2023-03-24', '2023-04-21'),
    );
    const signToStart = (knownAt?: string) =>
      leadTimes(model, { scope: 'province', asOf: '2023-10-31', knownAt }).rows[0].signToStart;
    expect(signToStart('2023-04-01T00:00:00Z')).toEqual({ count: 0, median: null, p90: null });
    expect(signToStart('2023-06-01T00:00:00Z')).toEqual({ count: 1, median: 58, p90: 58 });
    expect(signToStart()).toEqual({ count: 1, median: 30, p90: 30 });
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

  it('as known at K: a start reported late leaves the project stalled in the view as known before', () => {
    const late = modelOf(
      history()
        .at('2023-03-01T00:00:00Z')
        .sign('a', 'z1', 100, { signedOn: '2023-02-22' })
        .at('2023-11-20T00:00:00Z')
        .reach('a', 'construction-started', '2023-10-15'),
    );
    const known = stalledProjects(late, { asOf: '2023-10-31', knownAt: '2023-11-01T00:00:00Z' });
    expect(known.signedNotStarted.map((p) => [p.projectId, p.since, p.daysStalled])).toEqual([
      ['a', '2023-02-22', 251],
    ]);
    expect(known.knownAt).toBe('2023-11-01T00:00:00Z');
    const now = stalledProjects(late, { asOf: '2023-10-31' });
    expect(now.signedNotStarted).toEqual([]);
    expect(now.startedNotProducing.map((p) => [p.projectId, p.since, p.daysStalled])).toEqual([
      ['a', '2023-10-15', 16],
    ]);
  });

  it('gives each stalled project its place, investment and enterprise, longest stalled first', () => {
    const stalled = stalledProjects(model, { asOf: '2023-10-31' });
    expect(stalled.startedNotProducing[0]).toEqual({
      projectId: 'building',
      name: 'building',
      enterprise: 'e',
      zoneId: 'z1',
      cityId: 'c1',
      totalInvestmentWan: 200,
      industrial: true,
      signedOn: '2023-02-22',
      since: '2023-05-01',
      daysStalled: 183,
      obstacles: [],
    });
    const all = stalledProjects(
      modelOf(history().sign('x', 'z1', 1, { signedOn: '2023-05-01' }).sign('y', 'z2', 1)),
      {
        asOf: '2023-10-31',
      },
    );
    expect(all.signedNotStarted.map((p) => [p.projectId, p.daysStalled])).toEqual([
      ['y', 303],
      ['x', 183],
    ]);
  });

  it('restricts the stalled lists to projects listed in the chosen rounds by D', () => {
    expect(
      stalledProjects(model, { asOf: '2023-10-31', roundIds: ['r2'] }).startedNotProducing.map(
        (p) => p.projectId,
      ),
    ).toEqual(['building']);
    expect(stalledProjects(model, { asOf: '2023-10-31', roundIds: ['r2'] }).signedNotStarted).toEqual([]);
    expect(stalledProjects(model, { asOf: '2023-05-28', roundIds: ['r2'] }).startedNotProducing).toEqual([]);
  });

  it('shows a project as it stood on D, and pages by id', () => {
    const [building] = listProjects(model, {
      asOf: '2023-04-30',
      zoneId: 'z1',
      stage: 'signed',
    }).items.filter((p) => p.projectId === 'building');
    expect(building).toMatchObject({ stage: 'signed', milestones: {}, listings: [], terminatedOn: null });
    const page = listProjects(model, { asOf: '2023-10-31', offset: 1, limit: 2 });
    expect(page).toMatchObject({ total: 5, offset: 1, limit: 2 });
    expect(page.items.map((p) => p.projectId)).toEqual(['gone', 'idle']);
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

  it('searches the id, name and enterprise (case-insensitive) over all pages, and keeps only given ids', () => {
    const list = (query: Partial<Parameters<typeof listProjects>[1]>) =>
      listProjects(model, { asOf: '2023-10-31', ...query });
    expect(list({ q: ' UILD ' }).items.map((p) => p.projectId)).toEqual(['building']);
    expect(list({ q: 'nothing like it' })).toMatchObject({ total: 0, items: [] });
    expect(list({ q: 'E', limit: 1 })).toMatchObject({ total: 5 });
    expect(list({ projectIds: new Set(['idle', 'gone', 'unknown']) }).items.map((p) => p.projectId)).toEqual([
      'gone',
      'idle',
    ]);
  });
});
