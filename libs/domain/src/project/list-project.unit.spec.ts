import {
  given,
  list,
  listed,
  reached,
  signed,
  terminated,
  corrected,
  retracted,
  TODAY,
} from '../testing/given-when-then';
import { ListProject } from './project.commands';

describe('ListProject: a listing in one batch of a round (三个一批)', () => {
  describe('signing batch (签约一批)', () => {
    it('lists a project signed on or before the round date', () => {
      // given
      given([signed('2023-02-22')])
        // when
        .when(list('signing', '2023-02-22'))
        // then
        .then([listed('signing', '2023-02-22')]);
    });

    it('refuses a listing in a round held before the project was signed', () => {
      // given
      given([signed('2023-02-22')])
        // when
        .when(list('signing', '2023-02-21'))
        // then
        .thenThrows('conflict', 'listing-before-signing');
    });

    it('measures the signing date as corrected', () => {
      // given
      given([signed('2023-02-22'), corrected('signed', '2023-02-22', '2023-03-01')])
        // when
        .when(list('signing', '2023-02-22'))
        // then
        .thenThrows('conflict', 'listing-before-signing');
    });
  });

  describe('construction batch (开工一批)', () => {
    it('needs construction started (开工) recorded', () => {
      // given
      given([signed('2023-02-22')])
        // when
        .when(list('construction', '2023-05-29'))
        // then
        .thenThrows('conflict', 'listing-needs-milestone');
    });

    it('needs construction started on or before the round date', () => {
      // given
      given([signed('2023-02-22'), reached('construction-started', '2023-05-30')])
        // when
        .when(list('construction', '2023-05-29'))
        // then
        .thenThrows('conflict', 'listing-needs-milestone');
    });

    it('lists a project whose construction started on the round date', () => {
      // given
      given([signed('2023-02-22'), reached('construction-started', '2023-05-29')])
        // when
        .when(list('construction', '2023-05-29'))
        // then
        .then([listed('construction', '2023-05-29')]);
    });

    it('does not count a retracted construction start', () => {
      // given
      given([
        signed('2023-02-22'),
        reached('construction-started', '2023-05-01'),
        retracted('construction-started', '2023-05-01'),
      ])
        // when
        .when(list('construction', '2023-05-29'))
        // then
        .thenThrows('conflict', 'listing-needs-milestone');
    });
  });

  describe('production batch (投产一批)', () => {
    const started = [signed('2023-02-22'), reached('construction-started', '2023-03-01')];

    it('needs production started (投产) recorded', () => {
      // given
      given(started)
        // when
        .when(list('production', '2023-08-31'))
        // then
        .thenThrows('conflict', 'listing-needs-milestone');
    });

    it('needs production started on or before the round date', () => {
      // given
      given([...started, reached('production-started', '2023-09-01')])
        // when
        .when(list('production', '2023-08-31'))
        // then
        .thenThrows('conflict', 'listing-needs-milestone');
    });

    it('lists a project in production by the round date', () => {
      // given
      given([...started, reached('production-started', '2023-08-31')])
        // when
        .when(list('production', '2023-08-31'))
        // then
        .then([listed('production', '2023-08-31')]);
    });
  });

  describe('one batch per round', () => {
    it('treats the same round and batch again as a harmless retry', () => {
      // given
      given([signed('2023-02-22'), listed('signing', '2023-02-22')])
        // when
        .when(list('signing', '2023-02-22'))
        // then
        .thenNothing();
    });

    it('refuses the same round in another batch', () => {
      // given
      given([
        signed('2023-02-22'),
        reached('construction-started', '2023-02-22'),
        listed('signing', '2023-02-22'),
      ])
        // when
        .when(list('construction', '2023-02-22'))
        // then
        .thenThrows('conflict', 'listed-in-round');
    });

    it('lists the project in later rounds too: each listing is a fact of its own', () => {
      // given
      given([
        signed('2023-02-22'),
        listed('signing', '2023-02-22'),
        reached('construction-started', '2023-05-01'),
      ])
        // when
        .when(list('construction', '2023-05-29'))
        // then
        .then([listed('construction', '2023-05-29')]);
    });
  });

  it('refuses a round that has not been held yet: a listing takes effect on its round date', () => {
    // given
    given([signed('2023-02-22')])
      // when
      .when(list('signing', '2023-12-16'))
      // then
      .thenThrows('invalid', 'future-date');
    given([signed('2023-02-22')])
      .when(list('signing', TODAY))
      .then([listed('signing', TODAY)]);
  });

  it('refuses an unknown batch', () => {
    // given
    const command = list('signing', '2023-02-22');
    const bad = { ...command, data: { ...command.data, batch: 'other' } } as unknown as ListProject;
    // when / then
    given([signed('2023-02-22')])
      .when(bad)
      .thenThrows('invalid', 'invalid-batch');
  });

  describe('after termination', () => {
    it('refuses a listing in a round held after the termination', () => {
      // given
      given([signed('2023-02-22'), terminated('2023-04-01')])
        // when
        .when(list('signing', '2023-05-29'))
        // then
        .thenThrows('conflict', 'project-terminated');
    });

    it('accepts a late report of a listing in a round held before the termination', () => {
      // given
      given([signed('2023-02-22'), terminated('2023-04-01')])
        // when
        .when(list('signing', '2023-02-22'))
        // then
        .then([listed('signing', '2023-02-22')]);
    });
  });
});
