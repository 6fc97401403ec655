import { YearMonth, lastDayOf } from '@app/domain';
import { LifecycleReadModel } from '../lifecycle-read-model';
import { rateTable } from '../rates';
import { HistoryBuilder } from '../testing/history-builder';
import { NotificationContent, composeNotification } from './compose-notification';
import { notificationSections } from './notification-export';
import {
  DEFAULT_NOTIFICATION_SETTINGS,
  NotificationSettings,
  parseNotificationSettings,
} from './notification-settings';

/**
 * A 2022–2024 history: rounds in 2022 and 2023 and none in January 2024.
 *   p1 z1 10亿 signed in round a (2022-06-15), started 2022-09-01
 *   p2 z1 20亿 signed in round a, started 2023-03-01
 *   p3 z2 30亿 signed in round b (2022-11-20), never started
 *   p4 z2 40亿 signed in round c (2023-02-22), started 2023-05-10, construction batch of round d,
 *      producing 2023-10-20
 *   p5 z1 50亿 signed in round d (2023-08-31); its start on 2023-11-15 is reported late, on 2024-01-10
 *   p6 z2 5亿 signed 2023-01-05 and never listed in a round: in no cohort
 */
function history(): HistoryBuilder {
  return new HistoryBuilder()
    .at('2022-06-01T00:00:00Z')
    .zone({ id: 'z1', name: '晋中开发区', cityId: 'c1' })
    .zone({ id: 'z2', name: '临汾开发区', cityId: 'c2' })
    .round('a', '2022-06-15')
    .round('b', '2022-11-20')
    .round('c', '2023-02-22')
    .round('d', '2023-08-31')
    .round('e', '2024-03-15')
    .sign('p1', 'z1', 100_000, { signedOn: '2022-06-15' })
    .list('p1', 'a', '2022-06-15', 'signing')
    .sign('p2', 'z1', 200_000, { signedOn: '2022-06-15' })
    .list('p2', 'a', '2022-06-15', 'signing')
    .at('2022-09-02T00:00:00Z')
    .reach('p1', 'construction-started', '2022-09-01')
    .at('2022-11-21T00:00:00Z')
    .sign('p3', 'z2', 300_000, { signedOn: '2022-11-20' })
    .list('p3', 'b', '2022-11-20', 'signing')
    .at('2023-02-23T00:00:00Z')
    .sign('p4', 'z2', 400_000, { signedOn: '2023-02-22' })
    .list('p4', 'c', '2023-02-22', 'signing')
    .sign('p6', 'z2', 50_000, { signedOn: '2023-01-05' })
    .at('2023-03-02T00:00:00Z')
    .reach('p2', 'construction-started', '2023-03-01')
    .at('2023-05-11T00:00:00Z')
    .reach('p4', 'construction-started', '2023-05-10')
    .at('2023-09-01T00:00:00Z')
    .sign('p5', 'z1', 500_000, { signedOn: '2023-08-31' })
    .list('p5', 'd', '2023-08-31', 'signing')
    .list('p4', 'd', '2023-08-31', 'construction')
    .at('2023-10-21T00:00:00Z')
    .reach('p4', 'production-started', '2023-10-20')
    .at('2024-01-10T00:00:00Z')
    .reach('p5', 'construction-started', '2023-11-15');
}

/** The log as known at K: the read model an issue at K is composed from. */
function modelAt(builder: HistoryBuilder, knownAt: string): LifecycleReadModel {
  const model = new LifecycleReadModel();
  model.apply(builder.events.filter((event) => event.metadata.recordedAt <= knownAt));
  return model;
}

/** Issues month M on the first day of the next month, as the API would. */
function issue(
  builder: HistoryBuilder,
  month: YearMonth,
  number: number,
  previous?: NotificationContent,
  settings: NotificationSettings = DEFAULT_NOTIFICATION_SETTINGS,
  knownAt = `${lastDayOf(month)}T23:59:59.999Z`,
): NotificationContent {
  const model = modelAt(builder, knownAt);
  return composeNotification(model, {
    month,
    issue: number,
    knownAt,
    knownThroughPosition: model.position,
    settings,
    previous,
  });
}

const YEAR: NotificationSettings = { ...DEFAULT_NOTIFICATION_SETTINGS, cohort: 'year' };

describe('the notification counts the programme cohort, as the reports do', () => {
  const builder = history();

  it('the 2023-10 start rate equals the rates table for the same date, at every scope', () => {
    const october = issue(builder, '2023-10', 1);
    const model = modelAt(builder, october.knownAt);
    expect(october.cohort).toEqual({ kind: 'programme', since: null, nameZh: '2022年以来' });
    for (const [group, scope] of [
      ['province', 'province'],
      ['cities', 'city'],
      ['zones', 'zone'],
    ] as const) {
      const rows = rateTable(model, { scope, asOf: '2023-10-31' }).rows;
      expect(october.rates[group].map((row) => [row.id, row.rates.start.value])).toEqual(
        rows.map((row) => [row.id, row.start.byInvestment]),
      );
    }
    // hand-computed: p1, p2, p4 started of p1..p5 = 70 / 150 亿
    expect(october.rates.province[0].rates.start).toMatchObject({
      cohortCount: 5,
      count: 3,
      cohortWan: 1_500_000,
      wan: 700_000,
      basis: 'investment',
      value: 700_000 / 1_500_000,
    });
  });

  it("the year's cohort stays an option: 2023 rounds only", () => {
    const october = issue(builder, '2023-10', 1, undefined, YEAR);
    expect(october.cohort).toEqual({ kind: 'year', since: '2023-01-01', nameZh: '2023年' });
    expect(october.rates.province[0].rates.start).toMatchObject({ cohortCount: 2, count: 1, value: 4 / 9 });
  });

  it('January has rates although no round has been held in the year yet', () => {
    const january = issue(builder, '2024-01', 4);
    expect(january.rates.province[0].rates.start.value).toBe(1_200_000 / 1_500_000);
    expect(january.rates.zones.map((row) => row.rates.start.value)).toEqual([1, 400_000 / 700_000]);
    expect(january.rates.province[0].rates.production.value).toBe(1);
    // the year's cohort is empty in January, as it is defined
    expect(issue(builder, '2024-01', 4, undefined, YEAR).rates.province[0].rates.start.value).toBeNull();
  });

  it('the stalled lists count the same cohort as the rates (a project in no round is in none)', () => {
    const december = issue(builder, '2023-12', 3);
    expect(december.stalled.signedNotStarted.map((p) => [p.projectId, p.daysStalled])).toEqual([
      ['p3', 406],
      ['p5', 122],
    ]);
    const decemberOfTheYear = issue(builder, '2023-12', 3, undefined, YEAR);
    expect(decemberOfTheYear.stalled.signedNotStarted.map((p) => p.projectId)).toEqual(['p5']);
  });
});

describe('change since the last issue and corrections of it compare like with like', () => {
  const builder = history();
  const october = issue(builder, '2023-10', 1);
  const november = issue(builder, '2023-11', 2, october);

  it('the change is against the previous issue on the same cohort and basis', () => {
    // p4 was already started in October; nothing moved the start rate in November
    expect(november.rates.province[0].rates.start.change).toBe(0);
    expect(november.changesAboutEarlierMonths).toEqual({ facts: [], correctedRates: [] });
  });

  it('a late fact about November yields exactly the corrections it causes, with the previous issue own cohort', () => {
    const december = issue(builder, '2023-12', 3, november);
    const january = issue(builder, '2024-01', 4, december);
    expect(january.changesAboutEarlierMonths.facts.map((f) => [f.projectId, f.type, f.effectiveOn])).toEqual([
      ['p5', 'ConstructionStarted', '2023-11-15'],
    ]);
    // p5 (z1, city c1) moves the start rate of its zone, its city and the province: nothing else
    expect(
      january.changesAboutEarlierMonths.correctedRates.map((r) => [
        r.scope,
        r.id,
        r.rate,
        r.published.value,
        r.corrected.value,
      ]),
    ).toEqual([
      ['province', 'province', 'start', 700_000 / 1_500_000, 1_200_000 / 1_500_000],
      ['city', 'c1', 'start', 300_000 / 800_000, 1],
      ['zone', 'z1', 'start', 300_000 / 800_000, 1],
    ]);
    expect(january.changesAboutEarlierMonths.correctedRates[0]).toMatchObject({
      cohort: { kind: 'programme', since: null },
      basis: 'investment',
    });
    expect(january.rates.province[0].rates.start.change).toBeCloseTo(0.8 - 7 / 15, 12);
  });

  it("when December used the year's cohort, January recomputes December with it (not January's)", () => {
    const december = issue(builder, '2023-12', 3, november, YEAR);
    const january = issue(builder, '2024-01', 4, december);
    expect(
      january.changesAboutEarlierMonths.correctedRates.map((r) => [
        r.scope,
        r.id,
        r.rate,
        r.cohort.since,
        r.published.value,
        r.corrected.value,
      ]),
    ).toEqual([
      ['province', 'province', 'start', '2023-01-01', 4 / 9, 1],
      ['city', 'c1', 'start', '2023-01-01', 0, 1],
      ['zone', 'z1', 'start', '2023-01-01', 0, 1],
    ]);
    // a year's cohort and the programme are not compared
    expect(january.rates.province[0].rates.start.change).toBeNull();
  });

  it('a previous issue recorded before cohorts were named is recomputed with the year it was issued under', () => {
    const december = issue(builder, '2023-12', 3, november, YEAR);
    const recorded = {
      ...december,
      cohort: { since: '2023-01-01' },
      settings: {
        targets: december.settings.targets,
        stalledThresholdDays: december.settings.stalledThresholdDays,
      },
    } as unknown as NotificationContent;
    const january = issue(builder, '2024-01', 4, recorded);
    expect(january.changesAboutEarlierMonths.correctedRates.map((r) => [r.id, r.cohort.kind])).toEqual([
      ['province', 'year'],
      ['c1', 'year'],
      ['z1', 'year'],
    ]);
  });
});

describe('the basis of each rate is a setting, recorded in the notification', () => {
  it('投产率 on completed investment: completed investment of producing projects / total investment', () => {
    const builder = history()
      .at('2023-11-05T00:00:00Z')
      .project({
        type: 'InvestmentProgressReported',
        data: { projectId: 'p4', month: '2023-09', completedInvestmentWan: 150_000 },
      })
      .project({
        type: 'InvestmentProgressReported',
        data: { projectId: 'p4', month: '2023-10', completedInvestmentWan: 180_000 },
      });
    const settings: NotificationSettings = {
      ...DEFAULT_NOTIFICATION_SETTINGS,
      basis: { ...DEFAULT_NOTIFICATION_SETTINGS.basis, production: 'completedInvestment', start: 'count' },
    };
    const october = issue(builder, '2023-10', 1, undefined, settings, '2023-11-06T00:00:00Z');
    expect(october.settings.basis).toEqual({
      start: 'count',
      production: 'completedInvestment',
      statisticsEntry: 'count',
      attainment: 'count',
      aboveScale: 'count',
    });
    // p4 (40亿, the whole construction cohort) produces from 2023-10-20, 18亿 completed by October's end
    expect(october.rates.province[0].rates.production).toMatchObject({
      basis: 'completedInvestment',
      completedWan: 180_000,
      value: 180_000 / 400_000,
      byInvestment: 1,
    });
    expect(october.rates.province[0].rates.start).toMatchObject({ basis: 'count', value: 3 / 5 });
    // as of September p4 was not producing yet: its completed investment does not count
    const september = issue(builder, '2023-09', 1, undefined, settings, '2023-11-06T00:00:00Z');
    expect(september.rates.province[0].rates.production).toMatchObject({ completedWan: 0, value: 0 });
  });
});

describe('NOTIFICATION_SETTINGS', () => {
  it('takes a cohort and a basis per rate over the defaults, and refuses what it does not know', () => {
    const settings = parseNotificationSettings(
      '{"cohort":"year","basis":{"production":"completedInvestment"}}',
    );
    expect(settings.cohort).toBe('year');
    expect(settings.basis).toMatchObject({ production: 'completedInvestment', start: 'investment' });
    expect(parseNotificationSettings('{"cohort":"all"}').cohort).toBe('programme');
    expect(parseNotificationSettings(undefined).cohort).toBe('programme');
    expect(() => parseNotificationSettings('{"basis":{"start":"floats"}}')).toThrow(/basis\.start/);
    expect(() => parseNotificationSettings('{"cohort":"round"}')).toThrow(/programme/);
  });
});

describe('plan against actual and investment completion in the notification, over its cohort', () => {
  const builder = history()
    .at('2023-11-20T00:00:00Z')
    .project({ type: 'PlannedDatesSet', data: { projectId: 'p3', plannedStartOn: '2023-05-01' } })
    .project({
      type: 'ObstacleRecorded',
      data: {
        projectId: 'p3',
        obstacleId: 'o1',
        category: 'land',
        description: '用地指标未落实',
        responsibleUnit: '自然资源局',
        raisedOn: '2023-06-01',
      },
    })
    .project({ type: 'PlannedDatesSet', data: { projectId: 'p4', plannedStartOn: '2023-04-01' } })
    .project({
      type: 'AnnualInvestmentPlanned',
      data: { projectId: 'p4', year: 2023, plannedInvestmentWan: 100_000 },
    })
    .project({
      type: 'InvestmentProgressReported',
      data: { projectId: 'p4', month: '2023-10', completedInvestmentWan: 45_000 },
    });
  const knownAt = '2023-11-21T00:00:00Z';

  it('overdue with days, due and reached, 投资完成率 and 序时进度, in the content and the documents', () => {
    const october = issue(builder, '2023-10', 1, undefined, DEFAULT_NOTIFICATION_SETTINGS, knownAt);
    expect(october.plan.province[0].start).toMatchObject({ due: 2, reached: 1, onPlan: 0, rate: 0.5 });
    expect(october.plan.overdue.start.map((p) => [p.projectId, p.daysOverdue])).toEqual([['p3', 183]]);
    // the open obstacle stands beside p3 in the overdue list and in 签而未落
    expect(october.plan.overdue.start[0].obstacles).toEqual([
      {
        obstacleId: 'o1',
        category: 'land',
        description: '用地指标未落实',
        responsibleUnit: '自然资源局',
        raisedOn: '2023-06-01',
      },
    ]);
    expect(october.stalled.signedNotStarted.find((p) => p.projectId === 'p3')?.obstacles).toHaveLength(1);
    // as of May the obstacle was not raised yet
    const may = issue(builder, '2023-05', 1, undefined, DEFAULT_NOTIFICATION_SETTINGS, knownAt);
    expect(may.stalled.signedNotStarted.find((p) => p.projectId === 'p3')?.obstacles).toEqual([]);
    expect(october.investment.province[0].investment).toMatchObject({
      plannedWan: 100_000,
      completedWan: 45_000,
      rate: 0.45,
      elapsedShare: 304 / 365,
    });
    const sections = notificationSections(october);
    expect(sections.find((s) => s.sheet === '逾期 Overdue')?.rows).toEqual([
      [
        '逾期未开工 Overdue to start',
        'p3',
        'p3',
        'z2',
        30,
        '2023-05-01',
        183,
        '用地 land: 用地指标未落实（自然资源局）',
      ],
    ]);
    expect(sections.find((s) => s.sheet === '投资 Investment')?.rows[0]).toEqual([
      '全省',
      '全省',
      10,
      4.5,
      45,
      83.3,
    ]);
  });

  it('lights of the month: each names its rule; the open obstacle justifies the late start', () => {
    const october = issue(builder, '2023-10', 1, undefined, DEFAULT_NOTIFICATION_SETTINGS, knownAt);
    const lights = (id: string) =>
      october.lights.projects
        .find((p) => p.projectId === id)
        ?.lights.map((l) => [l.kind, l.colour, l.rule, l.justified]);
    expect(lights('p3')).toEqual([['start', 'red', 'start.overdue-3-months', true]]);
    expect(lights('p4')).toEqual([
      ['start', 'green', 'start.started-late', false],
      ['progress', 'red', 'progress.behind-30', false],
      ['statisticsEntry', 'red', 'statisticsEntry.2-months', false],
    ]);
    // z1: p1 and p2 started long ago and never entered statistics
    expect(october.lights.zones).toEqual([
      { zoneId: 'z1', red: 2, amber: 0, green: 0, justified: 0 },
      { zoneId: 'z2', red: 3, amber: 0, green: 1, justified: 1 },
    ]);
    const sheet = notificationSections(october).find((s) => s.sheet === '红黄绿灯 Lights');
    expect(sheet?.rows.find((row) => row[0] === 'p3')).toEqual([
      'p3',
      'p3',
      'z2',
      'start',
      '红 red',
      'start.overdue-3-months',
      '超计划开工时间3个月以上',
      '是 yes (o1)',
      '用地 land: 用地指标未落实（自然资源局）',
    ]);
  });

  it("the year's cohort leaves out the 2022 signing", () => {
    const october = issue(builder, '2023-10', 1, undefined, YEAR, knownAt);
    expect(october.plan.overdue.start).toEqual([]);
    expect(october.plan.province[0].start).toMatchObject({ due: 1, reached: 1 });
  });
});

describe('warnings against stepped targets (quarterly, per zone category, per zone)', () => {
  const builder = history();
  const stepped: NotificationSettings = {
    ...DEFAULT_NOTIFICATION_SETTINGS,
    targets: { ...DEFAULT_NOTIFICATION_SETTINGS.targets, start: [0.35, 0.8, 0.85, 0.9] },
  };
  const status = (content: NotificationContent, zoneId: string) =>
    content.warnings.zones.find((zone) => zone.zoneId === zoneId)?.statuses.start;

  it("a zone's light changes colour across quarters as the target steps up", () => {
    // z1: p1 and p2 both started by March (1.0); by September p5 joins the cohort unstarted (0.375)
    expect(status(issue(builder, '2023-03', 1, undefined, stepped), 'z1')).toEqual({
      status: 'green',
      value: 1,
      target: 0.35,
      quarter: 1,
      amberFrom: 0.35 - 0.1,
    });
    expect(status(issue(builder, '2023-09', 1, undefined, stepped), 'z1')).toMatchObject({
      status: 'red',
      value: 0.375,
      target: 0.85,
      quarter: 3,
    });
    // z2: nothing started by March (red), p4 by June: 4/7 against 0.8
    expect(status(issue(builder, '2023-03', 1, undefined, stepped), 'z2')).toMatchObject({
      status: 'red',
      value: 0,
    });
    expect(status(issue(builder, '2023-06', 1, undefined, stepped), 'z2')?.target).toBe(0.8);
  });

  it("a zone's own targets override its category's, which override the default", () => {
    const settings = parseNotificationSettings(
      JSON.stringify({
        targets: { start: [0.35, 0.8, 0.85, 0.9] },
        targetsByZoneCategory: { industrial: { start: [0.3, 0.5, 0.6, 0.7] } },
        targetsByZone: { z1: { start: 0.4 } },
      }),
    );
    const september = issue(builder, '2023-09', 1, undefined, settings);
    expect(status(september, 'z1')).toMatchObject({ status: 'amber', target: 0.4, value: 0.375 });
    expect(status(september, 'z2')).toMatchObject({ status: 'amber', target: 0.6, value: 4 / 7 });
  });

  it('投资完成率 is warned against its steps ("双过半": half by mid-year)', () => {
    const withPlan = history()
      .at('2023-07-05T00:00:00Z')
      .project({
        type: 'AnnualInvestmentPlanned',
        data: { projectId: 'p4', year: 2023, plannedInvestmentWan: 100_000 },
      })
      .project({
        type: 'InvestmentProgressReported',
        data: { projectId: 'p4', month: '2023-06', completedInvestmentWan: 45_000 },
      });
    const june = issue(
      withPlan,
      '2023-06',
      1,
      undefined,
      DEFAULT_NOTIFICATION_SETTINGS,
      '2023-07-06T00:00:00Z',
    );
    expect(june.warnings.zones.find((zone) => zone.zoneId === 'z2')?.statuses.investment).toEqual({
      status: 'amber',
      value: 0.45,
      target: 0.5,
      quarter: 2,
      amberFrom: 0.4,
    });
    expect(june.warnings.zones.find((zone) => zone.zoneId === 'z1')?.statuses.investment.status).toBe('none');
  });

  it('refuses targets that are not fractions or four of them, and unknown categories', () => {
    expect(() => parseNotificationSettings('{"targets":{"start":[0.3,0.5]}}')).toThrow(/four/);
    expect(() => parseNotificationSettings('{"targetsByZoneCategory":{"mining":{"start":0.5}}}')).toThrow(
      /zone category/,
    );
    expect(() => parseNotificationSettings('{"targets":{"speed":0.5}}')).toThrow(/unknown/);
  });
});
