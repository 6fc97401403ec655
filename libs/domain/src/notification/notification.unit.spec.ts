import { DomainError } from '../shared/domain-error';
import {
  NotificationEvent,
  decideWithdrawal,
  issuedNotifications,
  notificationSeries,
  planErratum,
  planIssue,
} from './notification';

const issued = (
  month: string,
  issue: number,
  supersedes?: { issue: number; reason: string },
): NotificationEvent => ({
  type: 'NotificationIssued',
  data: {
    month,
    issue,
    asOf: `${month}-28`,
    knownAt: '2023-12-01T00:00:00.000Z',
    knownThroughPosition: issue,
    contentHash: `h${issue}`,
    content: {},
    ...(supersedes ? { supersedes } : {}),
  },
});
const withdrawn = (month: string, issue: number, reason = '误发'): NotificationEvent => ({
  type: 'NotificationWithdrawn',
  data: { month, issue, reason },
});

const refusal = (run: () => unknown): DomainError => {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
};

describe('the monthly notification series (月通报)', () => {
  it('numbers issues in order and compares each with the month before', () => {
    expect(planIssue([], '2023-09', '2023-12-15')).toEqual({ issue: 1, previousIssue: null });
    expect(planIssue([issued('2023-09', 1)], '2023-10', '2023-12-15')).toEqual({
      issue: 2,
      previousIssue: 1,
    });
  });

  it('refuses a month out of order, with both languages', () => {
    const error = refusal(() => planIssue([issued('2025-10', 1)], '2023-10', '2025-12-15'));
    expect(error.code).toBe('out-of-order');
    expect(error.text.zh).toContain('2025-10');
    expect(error.text.en).toContain('2025-10');
  });

  it('frees the months after a withdrawal, without reusing the withdrawn number', () => {
    // given: 2025-10 issued on an empty store by mistake, then withdrawn
    const history = [issued('2025-10', 1), withdrawn('2025-10', 1)];
    // when / then: an earlier month can be issued, as issue 2
    expect(planIssue(history, '2023-10', '2025-12-15')).toEqual({ issue: 2, previousIssue: null });
    expect(issuedNotifications(history)).toEqual([]);
  });

  it('shows the withdrawal in the series', () => {
    expect(
      notificationSeries([issued('2025-10', 1), withdrawn('2025-10', 1, '月份选错'), issued('2023-10', 2)]),
    ).toEqual([
      { month: '2025-10', issue: 1, status: 'withdrawn', withdrawal: { reason: '月份选错' } },
      { month: '2023-10', issue: 2, status: 'in-force' },
    ]);
  });

  it('withdraws only the latest month in force, with a reason', () => {
    const history = [issued('2023-09', 1), issued('2023-10', 2)];
    expect(decideWithdrawal(history, '2023-10', '误发')).toEqual([withdrawn('2023-10', 2)]);
    expect(refusal(() => decideWithdrawal(history, '2023-09', '误发')).code).toBe('not-latest-issue');
    expect(refusal(() => decideWithdrawal(history, '2023-10', ' ')).code).toBe('reason-required');
    expect(refusal(() => decideWithdrawal(history, '2023-11', '误发')).code).toBe('notification-not-found');
    expect(
      refusal(() => decideWithdrawal([...history, withdrawn('2023-10', 2)], '2023-10', '误发')).code,
    ).toBe('notification-not-found');
  });

  it('plans an erratum (更正) as a new number superseding the issue in force', () => {
    // given
    const history = [issued('2023-09', 1), issued('2023-10', 2)];
    // when
    const erratum = planErratum(history, '2023-10', '晋中数据录入有误');
    // then
    expect(erratum).toEqual({
      issue: 3,
      previousIssue: 1,
      supersedes: { issue: 2, reason: '晋中数据录入有误' },
    });
    const after = [...history, issued('2023-10', 3, erratum.supersedes)];
    expect(notificationSeries(after)).toEqual([
      { month: '2023-09', issue: 1, status: 'in-force' },
      { month: '2023-10', issue: 2, status: 'superseded', supersededBy: 3 },
      {
        month: '2023-10',
        issue: 3,
        status: 'in-force',
        supersedes: { issue: 2, reason: '晋中数据录入有误' },
      },
    ]);
    // and the month stays issued: the next month follows the erratum
    expect(planIssue(after, '2023-11', '2023-12-15')).toEqual({ issue: 4, previousIssue: 3 });
    expect(refusal(() => planIssue(after, '2023-10', '2023-12-15')).code).toBe('already-issued');
  });

  it('refuses an erratum for a month not in force, or without a reason', () => {
    expect(refusal(() => planErratum([], '2023-10', '有误')).code).toBe('notification-not-found');
    expect(refusal(() => planErratum([issued('2023-10', 1)], '2023-10', '')).code).toBe('reason-required');
  });
});
