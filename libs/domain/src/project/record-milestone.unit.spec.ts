import {
  given,
  reached,
  recordMilestone,
  retracted,
  signed,
  terminated,
  TODAY,
} from '../testing/given-when-then';
import { Milestone } from './milestones';
import { RecordMilestone } from './project.commands';
import { ProjectEvent } from './project.events';

/** Everything a milestone's dependency needs, dependency dated 2023-06-01. */
const upTo: Record<Milestone, { dependency: string; history: ProjectEvent[] }> = {
  'construction-started': { dependency: 'signed', history: [signed('2023-06-01')] },
  'statistics-entered': {
    dependency: 'construction-started',
    history: [signed('2023-02-22'), reached('construction-started', '2023-06-01')],
  },
  'production-started': {
    dependency: 'construction-started',
    history: [signed('2023-02-22'), reached('construction-started', '2023-06-01')],
  },
  attained: {
    dependency: 'production-started',
    history: [
      signed('2023-02-22'),
      reached('construction-started', '2023-03-01'),
      reached('production-started', '2023-06-01'),
    ],
  },
  'enterprise-above-scale': {
    dependency: 'production-started',
    history: [
      signed('2023-02-22'),
      reached('construction-started', '2023-03-01'),
      reached('production-started', '2023-06-01'),
    ],
  },
};

/** The history up to (not including) the milestone's dependency. */
const withoutDependency: Record<Exclude<Milestone, 'construction-started'>, ProjectEvent[]> = {
  'statistics-entered': [signed('2023-02-22')],
  'production-started': [signed('2023-02-22')],
  attained: [signed('2023-02-22'), reached('construction-started', '2023-03-01')],
  'enterprise-above-scale': [signed('2023-02-22'), reached('construction-started', '2023-03-01')],
};

describe('RecordMilestone: the lifecycle after signing', () => {
  describe.each(Object.entries(upTo) as [Milestone, (typeof upTo)[Milestone]][])(
    '%s',
    (milestone, { dependency, history }) => {
      it(`is recorded on or after ${dependency}`, () => {
        // given
        given(history)
          // when
          .when(recordMilestone(milestone, '2023-06-01'))
          // then
          .then([reached(milestone, '2023-06-01')]);
        given(history)
          .when(recordMilestone(milestone, '2023-07-15'))
          .then([reached(milestone, '2023-07-15')]);
      });

      it(`may not be dated before ${dependency}`, () => {
        // given
        given(history)
          // when
          .when(recordMilestone(milestone, '2023-05-31'))
          // then
          .thenThrows('conflict', 'milestone-out-of-order');
      });

      it('may not be dated in the future', () => {
        // given
        given(history)
          // when
          .when(recordMilestone(milestone, '2023-12-16'))
          // then
          .thenThrows('invalid', 'future-date');
        given(history)
          .when(recordMilestone(milestone, TODAY))
          .then([reached(milestone, TODAY)]);
      });

      it('treats the same date again as a harmless retry', () => {
        // given
        given([...history, reached(milestone, '2023-07-01')])
          // when
          .when(recordMilestone(milestone, '2023-07-01'))
          // then
          .thenNothing();
      });

      it('refuses another date once recorded (a correction is needed)', () => {
        // given
        given([...history, reached(milestone, '2023-07-01')])
          // when
          .when(recordMilestone(milestone, '2023-07-02'))
          // then
          .thenThrows('conflict', 'milestone-already-recorded');
      });

      it('may be recorded again after a retraction', () => {
        // given
        given([...history, reached(milestone, '2023-07-01'), retracted(milestone, '2023-07-01')])
          // when
          .when(recordMilestone(milestone, '2023-07-02'))
          // then
          .then([reached(milestone, '2023-07-02')]);
      });
    },
  );

  describe.each(Object.entries(withoutDependency) as [Milestone, ProjectEvent[]][])(
    '%s without its dependency',
    (milestone, history) => {
      it('is refused as out of order', () => {
        // given
        given(history)
          // when
          .when(recordMilestone(milestone, '2023-07-01'))
          // then
          .thenThrows('conflict', 'milestone-out-of-order');
      });
    },
  );

  it('does not count a retracted dependency', () => {
    // given
    given([
      signed('2023-02-22'),
      reached('construction-started', '2023-03-01'),
      retracted('construction-started', '2023-03-01'),
    ])
      // when
      .when(recordMilestone('production-started', '2023-07-01'))
      // then
      .thenThrows('conflict', 'milestone-out-of-order');
  });

  it('refuses an unknown milestone', () => {
    // given
    const bad = recordMilestone('signed' as Milestone, '2023-03-01') as RecordMilestone;
    // when / then
    given([signed('2023-02-22')])
      .when(bad)
      .thenThrows('invalid', 'invalid-milestone');
  });

  it('refuses a date that is not a calendar date', () => {
    // given / when / then
    given([signed('2023-02-22')])
      .when(recordMilestone('construction-started', '2023-02-30'))
      .thenThrows('invalid', 'invalid-date');
  });

  describe('after termination', () => {
    const history = [
      signed('2023-02-22'),
      reached('construction-started', '2023-03-01'),
      terminated('2023-06-30'),
    ];

    it('refuses a milestone dated after the termination', () => {
      // given
      given(history)
        // when
        .when(recordMilestone('production-started', '2023-07-01'))
        // then
        .thenThrows('conflict', 'project-terminated');
    });

    it('accepts a late report of a milestone dated before the termination', () => {
      // given
      given(history)
        // when
        .when(recordMilestone('production-started', '2023-06-01'))
        // then
        .then([reached('production-started', '2023-06-01')]);
    });

    it('accepts a milestone dated on the termination day', () => {
      // given
      given(history)
        // when
        .when(recordMilestone('statistics-entered', '2023-06-30'))
        // then
        .then([reached('statistics-entered', '2023-06-30')]);
    });
  });
});
