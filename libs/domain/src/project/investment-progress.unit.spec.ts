import {
  PROJECT_ID,
  correctProgress,
  given,
  progressReported,
  reportProgress,
  signed,
  terminated,
} from '../testing/given-when-then';
import { decideProject } from './project.decide';
import { foldProject } from './project.state';

describe('ReportInvestmentProgress (完成投资): cumulative completed investment by month', () => {
  it('records a month figure', () => {
    // given
    given([signed('2023-02-22')])
      // when
      .when(reportProgress('2023-03', 12_000))
      // then
      .then([progressReported('2023-03', 12_000)]);
  });

  it('accepts the signing month and the current month', () => {
    // given / when / then
    given([signed('2023-02-22')])
      .when(reportProgress('2023-02', 0))
      .then([progressReported('2023-02', 0)]);
    given([signed('2023-02-22')])
      .when(reportProgress('2023-12', 5))
      .then([progressReported('2023-12', 5)]);
  });

  it('refuses a month that has not begun', () => {
    // given
    given([signed('2023-02-22')])
      // when
      .when(reportProgress('2024-01', 12_000))
      // then
      .thenThrows('invalid', 'future-month');
  });

  it('refuses a month before the signing month', () => {
    // given
    given([signed('2023-02-22')])
      // when
      .when(reportProgress('2023-01', 12_000))
      // then
      .thenThrows('conflict', 'progress-before-signing');
  });

  it('refuses a month that is not YYYY-MM', () => {
    // given / when / then
    given([signed('2023-02-22')])
      .when(reportProgress('2023-13', 1))
      .thenThrows('invalid', 'invalid-month');
    given([signed('2023-02-22')])
      .when(reportProgress('2023-3', 1))
      .thenThrows('invalid', 'invalid-month');
  });

  it('refuses an amount that is not a whole number of 万元, 0 or more', () => {
    // given / when / then
    given([signed('2023-02-22')])
      .when(reportProgress('2023-03', -1))
      .thenThrows('invalid', 'invalid-amount');
    given([signed('2023-02-22')])
      .when(reportProgress('2023-03', 0.5))
      .thenThrows('invalid', 'invalid-amount');
  });

  describe('cumulative', () => {
    const history = [
      signed('2023-02-22'),
      progressReported('2023-03', 1000),
      progressReported('2023-06', 3000),
    ];

    it('accepts a figure between the earlier and the later month', () => {
      // given
      given(history)
        // when
        .when(reportProgress('2023-04', 2000))
        // then
        .then([progressReported('2023-04', 2000)]);
      given(history)
        .when(reportProgress('2023-04', 1000))
        .then([progressReported('2023-04', 1000)]);
      given(history)
        .when(reportProgress('2023-04', 3000))
        .then([progressReported('2023-04', 3000)]);
    });

    it('refuses a figure below an earlier month', () => {
      // given
      given(history)
        // when
        .when(reportProgress('2023-04', 999))
        // then
        .thenThrows('conflict', 'progress-not-cumulative');
    });

    it('refuses a figure above a later month', () => {
      // given
      given(history)
        // when
        .when(reportProgress('2023-04', 3001))
        // then
        .thenThrows('conflict', 'progress-not-cumulative');
    });

    it('refuses revising a month so it breaks the order', () => {
      // given
      given(history)
        // when
        .when(reportProgress('2023-06', 500))
        // then
        .thenThrows('conflict', 'progress-not-cumulative');
    });

    it('accepts a revision of a month that keeps the order', () => {
      // given
      given(history)
        // when
        .when(reportProgress('2023-06', 3500))
        // then
        .then([progressReported('2023-06', 3500)]);
    });

    it('treats the same figure again as a harmless retry', () => {
      // given
      given(history)
        // when
        .when(reportProgress('2023-06', 3000))
        // then
        .thenNothing();
    });
  });

  describe('after termination', () => {
    it('refuses a month after the termination month', () => {
      // given
      given([signed('2023-02-22'), terminated('2023-05-10')])
        // when
        .when(reportProgress('2023-06', 1000))
        // then
        .thenThrows('conflict', 'project-terminated');
    });

    it('accepts a late report for the termination month', () => {
      // given
      given([signed('2023-02-22'), terminated('2023-05-10')])
        // when
        .when(reportProgress('2023-05', 1000))
        // then
        .then([progressReported('2023-05', 1000)]);
    });
  });
});

describe('ReportInvestmentProgress: corrections', () => {
  const history = [
    signed('2023-02-22'),
    progressReported('2023-03', 1000),
    progressReported('2023-06', 3000),
  ];

  it('a figure below the one reported for the same month is a correction: it needs a reason and names the month', () => {
    expect(() => decideProject(reportProgress('2023-06', 2500), foldProject(history))).toThrow(
      'cumulative completed investment 2500 for 2023-06 conflicts with 3000 reported for 2023-06 (a correction needs a reason)',
    );
    given(history)
      .when(correctProgress('2023-06', 2500, '统计口径调整'))
      .then([
        {
          type: 'InvestmentProgressReported',
          data: {
            projectId: PROJECT_ID,
            month: '2023-06',
            completedInvestmentWan: 2500,
            reason: '统计口径调整',
          },
        },
      ]);
  });

  it('even a correction stays cumulative: below an earlier month it names that month', () => {
    expect(() => decideProject(correctProgress('2023-06', 500, '更正'), foldProject(history))).toThrow(
      /conflicts with 1000 reported for 2023-03$/,
    );
  });
});
