import { LifecycleReadModel } from './lifecycle-read-model';
import {
  DEFAULT_LIGHT_RULES,
  LightRules,
  monthsFromTo,
  projectLights,
  projectsWithLight,
  ruleZhOf,
} from './project-lights';
import { HistoryBuilder } from './testing/history-builder';

/**
 * a  planned start 15 May, never started; land obstacle raised 1 July (recorded 2 July),
 *    resolved 1 September
 * b  planned start 15 March, started 1 March; 入统 on 20 May; plan for 2023 1亿,
 *    0.3亿 completed by June
 */
const builder = new HistoryBuilder()
  .at('2023-02-01T00:00:00Z')
  .zone({ id: 'z1', cityId: 'c1' })
  .round('r1', '2023-02-22');
for (const id of ['a', 'b'])
  builder.sign(id, 'z1', 100_000, { signedOn: '2023-02-22' }).list(id, 'r1', '2023-02-22', 'signing');
builder
  .project({ type: 'PlannedDatesSet', data: { projectId: 'a', plannedStartOn: '2023-05-15' } })
  .project({ type: 'PlannedDatesSet', data: { projectId: 'b', plannedStartOn: '2023-03-15' } })
  .project({
    type: 'AnnualInvestmentPlanned',
    data: { projectId: 'b', year: 2023, plannedInvestmentWan: 10_000 },
  })
  .at('2023-03-02T00:00:00Z')
  .reach('b', 'construction-started', '2023-03-01')
  .at('2023-05-21T00:00:00Z')
  .reach('b', 'statistics-entered', '2023-05-20')
  .at('2023-07-02T00:00:00Z')
  .project({
    type: 'ObstacleRecorded',
    data: {
      projectId: 'a',
      obstacleId: 'o1',
      category: 'land',
      description: '用地指标未落实',
      responsibleUnit: '自然资源局',
      raisedOn: '2023-07-01',
    },
  })
  .project({
    type: 'InvestmentProgressReported',
    data: { projectId: 'b', month: '2023-06', completedInvestmentWan: 3_000 },
  })
  .at('2023-09-02T00:00:00Z')
  .project({
    type: 'ObstacleResolved',
    data: { projectId: 'a', obstacleId: 'o1', resolvedOn: '2023-09-01', resolution: '已供地' },
  });
const model = new LifecycleReadModel();
model.apply(builder.events);

const light = (projectId: string, kind: string, asOf: string, knownAt?: string, rules?: LightRules) =>
  projectLights(model, { asOf, knownAt, rules })
    .find((p) => p.projectId === projectId)
    ?.lights.find((l) => l.kind === kind);

describe('red/amber/green lights per project (红黄绿灯, 银川 rules by default)', () => {
  it("a's start light changes colour across months: not yet due, due this month, overdue, 3 months overdue", () => {
    expect(
      ['2023-04-30', '2023-05-31', '2023-06-30', '2023-08-14', '2023-08-15'].map((asOf) => {
        const lit = light('a', 'start', asOf);
        return [asOf, lit?.colour, lit?.rule];
      }),
    ).toEqual([
      ['2023-04-30', 'green', 'start.not-yet-due'],
      ['2023-05-31', 'amber', 'start.due-this-month'],
      ['2023-06-30', 'amber', 'start.overdue'],
      ['2023-08-14', 'amber', 'start.overdue'],
      ['2023-08-15', 'red', 'start.overdue-3-months'],
    ]);
  });

  it('a delay is justified while an obstacle is open on D, as known at K', () => {
    expect(light('a', 'start', '2023-08-31')).toEqual({
      kind: 'start',
      colour: 'red',
      rule: 'start.overdue-3-months',
      ruleZh: '超计划开工时间3个月以上',
      justified: true,
      justifiedBy: ['o1'],
    });
    // known before the obstacle was recorded: not justified
    expect(light('a', 'start', '2023-08-31', '2023-07-01T00:00:00Z')).toMatchObject({
      colour: 'red',
      justified: false,
    });
    // resolved on 1 September: no longer
    expect(light('a', 'start', '2023-09-30')).toMatchObject({
      colour: 'red',
      justified: false,
      justifiedBy: [],
    });
  });

  it('statistics entry: green until a month after start, amber after one, red after two, green once entered', () => {
    expect(
      ['2023-03-31', '2023-04-01', '2023-05-01', '2023-05-20'].map((asOf) => [
        asOf,
        light('b', 'statisticsEntry', asOf)?.rule,
      ]),
    ).toEqual([
      ['2023-03-31', 'statisticsEntry.pending'],
      ['2023-04-01', 'statisticsEntry.1-months'],
      ['2023-05-01', 'statisticsEntry.2-months'],
      ['2023-05-20', 'statisticsEntry.entered'],
    ]);
    expect(light('b', 'start', '2023-05-01')).toMatchObject({ colour: 'green', rule: 'start.on-plan' });
    expect(light('a', 'statisticsEntry', '2023-05-01')).toBeUndefined();
  });

  it('progress: 30 % completed at the end of June against 序时进度 181/365 is 19.6 points behind: amber', () => {
    expect(light('b', 'progress', '2023-06-30')).toMatchObject({
      colour: 'amber',
      rule: 'progress.behind-10',
    });
    // before the June report was recorded, nothing completed this year: more than 30 points behind
    expect(light('b', 'progress', '2023-06-30', '2023-07-01T00:00:00Z')).toMatchObject({
      colour: 'red',
      rule: 'progress.behind-30',
    });
    // a rule set of its own: amber only from 25 points behind
    const lenient: LightRules = {
      ...DEFAULT_LIGHT_RULES,
      progress: { amberPointsBelow: 0.25, redPointsBelow: 0.5 },
    };
    expect(light('b', 'progress', '2023-06-30', undefined, lenient)).toMatchObject({
      colour: 'green',
      rule: 'progress.on-schedule',
    });
  });

  it('lists the projects with a red light first', () => {
    expect(projectLights(model, { asOf: '2023-08-31' }).map((p) => p.projectId)).toEqual(['a', 'b']);
    expect(monthsFromTo('2023-05-15', '2023-08-14')).toBe(2);
    expect(monthsFromTo('2023-01-31', '2023-02-28')).toBe(0);
  });
});

describe("a rule's Chinese name", () => {
  it('names every rule that lights amber or red with its threshold', () => {
    // then
    expect(ruleZhOf('start.overdue-3-months')).toBe('超计划开工时间3个月以上');
    expect(ruleZhOf('start.overdue')).toBe('超计划开工时间未开工');
    expect(ruleZhOf('progress.behind-30')).toBe('投资完成率低于序时进度30个百分点以上');
    expect(ruleZhOf('statisticsEntry.2-months')).toBe('开工2个月未入统');
    expect(ruleZhOf('statisticsEntry.pending')).toBe('开工未满入统期限');
  });
});

describe('projectsWithLight (the project list filter by light)', () => {
  it('selects the projects by their worst light as of D', () => {
    // given: the colours of each project's lights on a few days
    for (const asOf of ['2023-04-30', '2023-05-31', '2023-08-15']) {
      const lit = projectLights(model, { asOf });
      const worst = (colours: string[]) =>
        colours.includes('red') ? 'red' : colours.includes('amber') ? 'amber' : 'green';
      for (const colour of ['red', 'amber', 'green'] as const) {
        // when
        const selected = projectsWithLight(model, { asOf }, colour);
        // then
        expect([...selected].sort()).toEqual(
          lit.filter((p) => worst(p.lights.map((l) => l.colour)) === colour).map((p) => p.projectId),
        );
      }
    }
    // a, never started: due in May (amber), 3 months overdue in August (red)
    expect(projectsWithLight(model, { asOf: '2023-08-15' }, 'red').has('a')).toBe(true);
    expect(projectsWithLight(model, { asOf: '2023-05-31' }, 'amber').has('a')).toBe(true);
    expect(projectsWithLight(model, { asOf: '2023-08-15' }, 'green').has('a')).toBe(false);
  });
});
