import {
  given,
  listed,
  reached,
  recordMilestone,
  retract,
  retracted,
  signed,
  terminated,
} from '../testing/given-when-then';
import { Milestone } from './milestones';
import { RetractMilestone } from './project.commands';

const started = [signed('2023-02-22'), reached('construction-started', '2023-03-01')];
const producing = [...started, reached('production-started', '2023-06-01')];

describe('RetractMilestone: withdrawing a milestone recorded in error', () => {
  it('retracts a milestone nothing depends on, saying what it was', () => {
    // given
    given(producing)
      // when
      .when(retract('production-started'))
      // then
      .then([retracted('production-started', '2023-06-01')]);
  });

  it('allows the milestone to be recorded again afterwards', () => {
    // given
    given([...producing, retracted('production-started', '2023-06-01')])
      // when
      .when(recordMilestone('production-started', '2023-07-01'))
      // then
      .then([reached('production-started', '2023-07-01')]);
  });

  it('needs a reason', () => {
    // given / when / then
    given(producing).when(retract('production-started', '')).thenThrows('invalid', 'reason-required');
  });

  it('refuses an unknown milestone (signing cannot be retracted)', () => {
    // given
    const bad = retract('signed' as Milestone) as RetractMilestone;
    // when / then
    given(producing).when(bad).thenThrows('invalid', 'invalid-milestone');
  });

  it('refuses retracting a milestone that is not recorded', () => {
    // given
    given(started)
      // when
      .when(retract('production-started'))
      // then
      .thenThrows('conflict', 'milestone-not-recorded');
  });

  it('refuses retracting twice', () => {
    // given
    given([...producing, retracted('production-started', '2023-06-01')])
      // when
      .when(retract('production-started'))
      // then
      .thenThrows('conflict', 'milestone-not-recorded');
  });

  describe('only while nothing later depends on it', () => {
    it.each<[Milestone, Milestone]>([
      ['construction-started', 'statistics-entered'],
      ['construction-started', 'production-started'],
      ['production-started', 'attained'],
      ['production-started', 'enterprise-above-scale'],
    ])('%s cannot be retracted while %s is recorded', (milestone, dependent) => {
      // given
      given([...producing, reached(dependent, '2023-07-01')])
        // when
        .when(retract(milestone))
        // then
        .thenThrows('conflict', 'milestone-has-dependents');
    });

    it('construction start cannot be retracted while a construction-batch listing needs it', () => {
      // given
      given([...started, listed('construction', '2023-05-29')])
        // when
        .when(retract('construction-started'))
        // then
        .thenThrows('conflict', 'milestone-has-dependents');
    });

    it('production start cannot be retracted while a production-batch listing needs it', () => {
      // given
      given([...producing, listed('production', '2023-08-31')])
        // when
        .when(retract('production-started'))
        // then
        .thenThrows('conflict', 'milestone-has-dependents');
    });

    it('a signing-batch listing does not hold the construction start', () => {
      // given
      given([...started, listed('signing', '2023-05-29')])
        // when
        .when(retract('construction-started'))
        // then
        .then([retracted('construction-started', '2023-03-01')]);
    });

    it('a retracted dependent no longer holds it', () => {
      // given
      given([...producing, retracted('production-started', '2023-06-01')])
        // when
        .when(retract('construction-started'))
        // then
        .then([retracted('construction-started', '2023-03-01')]);
    });
  });

  it('remains possible after termination', () => {
    // given
    given([...producing, terminated('2023-07-01')])
      // when
      .when(retract('production-started'))
      // then
      .then([retracted('production-started', '2023-06-01')]);
  });
});
