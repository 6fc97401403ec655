import {
  amended,
  corrected,
  listed,
  obstacleRecorded,
  obstacleResolved,
  progressReported,
  reached,
  retracted,
  signed,
  terminated,
} from '../testing/given-when-then';
import { ProjectEvent } from './project.events';
import { Bitemporal, projectAsOf } from './project.view';

const at = (recordedAt: string, event: ProjectEvent): Bitemporal<ProjectEvent> => ({ event, recordedAt });

/** Facts reported late and corrected later still. */
const history: Bitemporal<ProjectEvent>[] = [
  at('2023-02-23T10:00:00.000Z', signed('2023-02-22')),
  at('2023-02-23T10:00:01.000Z', listed('signing', '2023-02-22')),
  at('2023-06-15T08:00:00.000Z', reached('construction-started', '2023-05-20')),
  at('2023-06-20T08:00:00.000Z', progressReported('2023-05', 1000)),
  at('2023-07-10T08:00:00.000Z', corrected('construction-started', '2023-05-20', '2023-06-10')),
  at('2023-09-05T08:00:00.000Z', reached('production-started', '2023-08-31')),
  at('2023-09-06T08:00:00.000Z', amended({ totalInvestmentWan: 520_000 })),
  at('2023-10-01T08:00:00.000Z', retracted('production-started', '2023-08-31')),
  at('2023-11-02T08:00:00.000Z', terminated('2023-10-31')),
];

describe('projectAsOf: a project as of a date, as known at a time', () => {
  it('uses everything known when no date and no time are given', () => {
    // given / when
    const view = projectAsOf(history);
    // then
    expect(view).toMatchObject({
      signedOn: '2023-02-22',
      milestones: { 'construction-started': '2023-06-10' },
      totalInvestmentWan: 520_000,
      termination: { occurredOn: '2023-10-31' },
      stage: 'terminated',
    });
  });

  it('is null before the project was known', () => {
    // given / when / then
    expect(projectAsOf(history, undefined, '2023-02-23T09:59:59.999Z')).toBeNull();
    expect(projectAsOf([])).toBeNull();
  });

  it('is null as of a date before the signing', () => {
    // given / when / then
    expect(projectAsOf(history, '2023-02-21')).toBeNull();
    expect(projectAsOf(history, '2023-02-22')).toMatchObject({ stage: 'signed' });
  });

  it('uses only facts recorded at or before the known-at time', () => {
    // given
    const knownAt = '2023-06-15T08:00:00.000Z';
    // when
    const view = projectAsOf(history, '2023-06-30', knownAt);
    // then: the late report is known, its correction and the progress figure are not yet
    expect(view).toMatchObject({
      milestones: { 'construction-started': '2023-05-20' },
      investmentProgress: {},
      stage: 'construction-started',
    });
  });

  it('leaves out facts whose effective date is after the as-of date', () => {
    // given / when
    const view = projectAsOf(history, '2023-06-09');
    // then: the corrected construction start (2023-06-10) is not reached yet
    expect(view).toMatchObject({ milestones: {}, stage: 'signed', investmentProgress: { '2023-05': 1000 } });
    expect(view?.termination).toBeUndefined();
  });

  it('filters listings by their round date and progress by month', () => {
    // given
    const events = [
      at('2023-02-23T00:00:00.000Z', signed('2023-02-22')),
      at('2023-02-23T00:00:01.000Z', listed('signing', '2023-02-22')),
      at('2023-05-30T00:00:00.000Z', listed('signing', '2023-05-29')),
      at('2023-07-01T00:00:00.000Z', progressReported('2023-06', 10)),
    ];
    // when
    const view = projectAsOf(events, '2023-05-28');
    // then
    expect(view?.listings).toEqual([{ roundId: 'R-2023-02-22', heldOn: '2023-02-22', batch: 'signing' }]);
    expect(view?.investmentProgress).toEqual({});
    expect(projectAsOf(events, '2023-06-30')?.investmentProgress).toEqual({ '2023-06': 10 });
  });

  it('counts a milestone on its effective date, as known before its retraction', () => {
    // given / when / then
    expect(projectAsOf(history, '2023-09-30', '2023-09-30T00:00:00.000Z')).toMatchObject({
      milestones: { 'production-started': '2023-08-31' },
      stage: 'production-started',
    });
    expect(projectAsOf(history, '2023-09-30')).toMatchObject({
      milestones: { 'construction-started': '2023-06-10' },
      stage: 'construction-started',
    });
  });

  it('applies every amendment known at the time, whatever the as-of date', () => {
    // given / when / then
    expect(projectAsOf(history, '2023-03-01')?.totalInvestmentWan).toBe(520_000);
    expect(projectAsOf(history, '2023-03-01', '2023-09-01T00:00:00.000Z')?.totalInvestmentWan).toBe(470_300);
  });

  it('shows the termination from its effective date on', () => {
    // given / when / then
    expect(projectAsOf(history, '2023-10-30')?.stage).toBe('construction-started');
    expect(projectAsOf(history, '2023-10-31')).toMatchObject({
      stage: 'terminated',
      termination: { occurredOn: '2023-10-31' },
    });
    expect(projectAsOf(history, '2023-12-01', '2023-11-01T00:00:00.000Z')?.stage).toBe(
      'construction-started',
    );
  });

  it('reports the furthest stage reached (签约 → 开工 → 投产 → 达效)', () => {
    // given
    const events = [
      at('2023-01-01T00:00:00.000Z', signed('2023-01-01')),
      at('2023-01-02T00:00:00.000Z', reached('construction-started', '2023-01-02')),
      at('2023-01-03T00:00:00.000Z', reached('production-started', '2023-01-03')),
      at('2023-01-04T00:00:00.000Z', reached('attained', '2023-01-04')),
    ];
    // when / then
    expect(projectAsOf(events, '2023-01-01')?.stage).toBe('signed');
    expect(projectAsOf(events, '2023-01-02')?.stage).toBe('construction-started');
    expect(projectAsOf(events, '2023-01-03')?.stage).toBe('production-started');
    expect(projectAsOf(events, '2023-01-04')?.stage).toBe('attained');
  });
});

describe('projectAsOf: obstacles as of D', () => {
  const withObstacle: Bitemporal<ProjectEvent>[] = [
    at('2023-02-23T10:00:00.000Z', signed('2023-02-22')),
    at('2023-06-02T08:00:00.000Z', obstacleRecorded('2023-06-01')),
    at('2023-08-02T08:00:00.000Z', obstacleResolved('2023-08-01')),
  ];

  it('shows an obstacle from the day it was raised, resolved only from its resolution date', () => {
    expect(projectAsOf(withObstacle, '2023-05-31')?.obstacles).toEqual({});
    expect(projectAsOf(withObstacle, '2023-07-01')?.obstacles.O1).not.toHaveProperty('resolution');
    expect(projectAsOf(withObstacle, '2023-08-01')?.obstacles.O1.resolution).toEqual({
      resolvedOn: '2023-08-01',
      resolution: '已落实用地',
    });
  });
});
