import {
  corrected,
  correctDate,
  given,
  listed,
  progressReported,
  reached,
  retracted,
  signed,
  terminated,
} from '../testing/given-when-then';
import { DatedFact } from './milestones';
import { CorrectMilestoneDate } from './project.commands';

const lifecycle = [
  signed('2023-02-22'),
  reached('construction-started', '2023-05-29'),
  reached('statistics-entered', '2023-06-30'),
  reached('production-started', '2023-08-31'),
  reached('attained', '2023-10-31'),
  reached('enterprise-above-scale', '2023-11-30'),
];

describe('CorrectMilestoneDate: a new fact that moves an effective date', () => {
  it('moves a milestone date within its bounds, saying what it was', () => {
    // given
    given(lifecycle)
      // when
      .when(correctDate('production-started', '2023-08-01'))
      // then
      .then([corrected('production-started', '2023-08-31', '2023-08-01')]);
  });

  it('treats a correction to the date already recorded as a harmless retry', () => {
    // given
    given(lifecycle)
      // when
      .when(correctDate('production-started', '2023-08-31'))
      // then
      .thenNothing();
  });

  it('applies to the latest corrected date', () => {
    // given
    given([...lifecycle, corrected('attained', '2023-10-31', '2023-10-01')])
      // when
      .when(correctDate('attained', '2023-09-15'))
      // then
      .then([corrected('attained', '2023-10-01', '2023-09-15')]);
  });

  it('refuses a future date', () => {
    // given
    given(lifecycle)
      // when
      .when(correctDate('enterprise-above-scale', '2023-12-16'))
      // then
      .thenThrows('invalid', 'future-date');
  });

  it('needs a reason', () => {
    // given / when / then
    given(lifecycle)
      .when(correctDate('attained', '2023-10-30', ' '))
      .thenThrows('invalid', 'reason-required');
  });

  it('refuses an unknown fact', () => {
    // given
    const bad = correctDate('listed' as DatedFact, '2023-10-30') as CorrectMilestoneDate;
    // when / then
    given(lifecycle).when(bad).thenThrows('invalid', 'invalid-milestone');
  });

  it('refuses correcting a milestone that is not recorded', () => {
    // given
    given([signed('2023-02-22')])
      // when
      .when(correctDate('construction-started', '2023-03-01'))
      // then
      .thenThrows('conflict', 'milestone-not-recorded');
  });

  it('refuses correcting a retracted milestone', () => {
    // given
    given([
      signed('2023-02-22'),
      reached('construction-started', '2023-03-01'),
      retracted('construction-started', '2023-03-01'),
    ])
      // when
      .when(correctDate('construction-started', '2023-03-02'))
      // then
      .thenThrows('conflict', 'milestone-not-recorded');
  });

  describe('not before its dependency', () => {
    it.each<[DatedFact, string]>([
      ['construction-started', '2023-02-21'],
      ['statistics-entered', '2023-05-28'],
      ['production-started', '2023-05-28'],
      ['attained', '2023-08-30'],
      ['enterprise-above-scale', '2023-08-30'],
    ])('%s may not move before its dependency (to %s)', (milestone, date) => {
      // given
      given(lifecycle)
        // when
        .when(correctDate(milestone, date))
        // then
        .thenThrows('conflict', 'milestone-out-of-order');
    });

    it('may move onto its dependency date', () => {
      // given
      given(lifecycle)
        // when
        .when(correctDate('attained', '2023-08-31'))
        // then
        .then([corrected('attained', '2023-10-31', '2023-08-31')]);
    });
  });

  describe('not after a dependent milestone', () => {
    it.each<[DatedFact, string]>([
      ['signed', '2023-05-30'],
      ['construction-started', '2023-07-01'],
      ['production-started', '2023-11-01'],
    ])('%s may not move after a milestone depending on it (to %s)', (fact, date) => {
      // given
      given(lifecycle)
        // when
        .when(correctDate(fact, date))
        // then
        .thenThrows('conflict', 'milestone-out-of-order');
    });

    it('construction start is bounded by statistics entry as well as production start', () => {
      // given
      given([
        signed('2023-02-22'),
        reached('construction-started', '2023-03-01'),
        reached('statistics-entered', '2023-04-01'),
      ])
        // when
        .when(correctDate('construction-started', '2023-04-02'))
        // then
        .thenThrows('conflict', 'milestone-out-of-order');
    });

    it('production start is bounded by above-scale entry as well as attainment', () => {
      // given
      given([
        signed('2023-02-22'),
        reached('construction-started', '2023-03-01'),
        reached('production-started', '2023-04-01'),
        reached('enterprise-above-scale', '2023-05-01'),
      ])
        // when
        .when(correctDate('production-started', '2023-05-02'))
        // then
        .thenThrows('conflict', 'milestone-out-of-order');
    });

    it('may move up to a dependent milestone date', () => {
      // given
      given(lifecycle)
        // when
        .when(correctDate('construction-started', '2023-06-30'))
        // then
        .then([corrected('construction-started', '2023-05-29', '2023-06-30')]);
    });
  });

  describe('not after a listing that needs it', () => {
    it('signing may not move after any listing', () => {
      // given
      given([signed('2023-02-22'), listed('signing', '2023-05-29')])
        // when
        .when(correctDate('signed', '2023-05-30'))
        // then
        .thenThrows('conflict', 'milestone-out-of-order');
    });

    it('signing may move later up to the earliest listing', () => {
      // given
      given([signed('2023-02-22'), listed('signing', '2023-05-29')])
        // when
        .when(correctDate('signed', '2023-05-29'))
        // then
        .then([corrected('signed', '2023-02-22', '2023-05-29')]);
    });

    it('construction start may not move after its construction-batch listing', () => {
      // given
      given([
        signed('2023-02-22'),
        reached('construction-started', '2023-05-01'),
        listed('construction', '2023-05-29'),
      ])
        // when
        .when(correctDate('construction-started', '2023-06-01'))
        // then
        .thenThrows('conflict', 'milestone-out-of-order');
    });

    it('construction start is not bounded by a signing-batch listing', () => {
      // given
      given([
        signed('2023-02-22'),
        listed('signing', '2023-02-22'),
        reached('construction-started', '2023-03-01'),
      ])
        // when
        .when(correctDate('construction-started', '2023-06-01'))
        // then
        .then([corrected('construction-started', '2023-03-01', '2023-06-01')]);
    });

    it('production start may not move after its production-batch listing', () => {
      // given
      given([
        signed('2023-02-22'),
        reached('construction-started', '2023-03-01'),
        reached('production-started', '2023-08-01'),
        listed('production', '2023-08-31'),
      ])
        // when
        .when(correctDate('production-started', '2023-09-01'))
        // then
        .thenThrows('conflict', 'milestone-out-of-order');
    });
  });

  describe('not after termination', () => {
    it('a milestone may not move after the termination date', () => {
      // given
      given([signed('2023-02-22'), reached('construction-started', '2023-03-01'), terminated('2023-04-01')])
        // when
        .when(correctDate('construction-started', '2023-04-02'))
        // then
        .thenThrows('conflict', 'milestone-out-of-order');
    });

    it('signing may not move after the termination date', () => {
      // given
      given([signed('2023-02-22'), terminated('2023-04-01')])
        // when
        .when(correctDate('signed', '2023-04-02'))
        // then
        .thenThrows('conflict', 'milestone-out-of-order');
    });

    it('a correction within the bounds remains possible after termination', () => {
      // given
      given([signed('2023-02-22'), reached('construction-started', '2023-03-01'), terminated('2023-04-01')])
        // when
        .when(correctDate('construction-started', '2023-04-01'))
        // then
        .then([corrected('construction-started', '2023-03-01', '2023-04-01')]);
    });
  });

  describe('signing date', () => {
    it('may move earlier freely (it depends on nothing)', () => {
      // given
      given(lifecycle)
        // when
        .when(correctDate('signed', '2022-01-01'))
        // then
        .then([corrected('signed', '2023-02-22', '2022-01-01')]);
    });

    it('may not move past a month with reported investment progress', () => {
      // given
      given([signed('2023-02-22'), progressReported('2023-03', 1000)])
        // when
        .when(correctDate('signed', '2023-04-01'))
        // then
        .thenThrows('conflict', 'milestone-out-of-order');
      given([signed('2023-02-22'), progressReported('2023-03', 1000)])
        .when(correctDate('signed', '2023-03-31'))
        .then([corrected('signed', '2023-02-22', '2023-03-31')]);
    });
  });
});
