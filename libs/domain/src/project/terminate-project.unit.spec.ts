import {
  given,
  listed,
  progressReported,
  reached,
  signed,
  terminate,
  terminated,
} from '../testing/given-when-then';

const started = [signed('2023-02-22'), reached('construction-started', '2023-05-29')];

describe('TerminateProject (终止/退出)', () => {
  it('terminates a project with a reason', () => {
    // given
    given(started)
      // when
      .when(terminate('2023-06-30', '企业经营困难'))
      // then
      .then([terminated('2023-06-30', '企业经营困难')]);
  });

  it('may be dated on the latest milestone', () => {
    // given
    given(started)
      // when
      .when(terminate('2023-05-29'))
      // then
      .then([terminated('2023-05-29')]);
  });

  it('may not be dated before the latest milestone', () => {
    // given
    given(started)
      // when
      .when(terminate('2023-05-28'))
      // then
      .thenThrows('conflict', 'termination-out-of-order');
  });

  it('may not be dated before signing', () => {
    // given
    given([signed('2023-02-22')])
      // when
      .when(terminate('2023-02-21'))
      // then
      .thenThrows('conflict', 'termination-out-of-order');
  });

  it('may not be dated before a listing', () => {
    // given
    given([signed('2023-02-22'), listed('signing', '2023-05-29')])
      // when
      .when(terminate('2023-05-28'))
      // then
      .thenThrows('conflict', 'termination-out-of-order');
  });

  it('may not be dated before a month with reported investment progress', () => {
    // given
    given([signed('2023-02-22'), progressReported('2023-05', 1000)])
      // when
      .when(terminate('2023-04-30'))
      // then
      .thenThrows('conflict', 'termination-out-of-order');
    given([signed('2023-02-22'), progressReported('2023-05', 1000)])
      .when(terminate('2023-05-01'))
      .then([terminated('2023-05-01')]);
  });

  it('may not be dated in the future', () => {
    // given
    given(started)
      // when
      .when(terminate('2023-12-16'))
      // then
      .thenThrows('invalid', 'future-date');
  });

  it('needs a reason', () => {
    // given / when / then
    given(started).when(terminate('2023-06-30', '  ')).thenThrows('invalid', 'reason-required');
  });

  it('treats an identical repeat as a harmless retry', () => {
    // given
    given([...started, terminated('2023-06-30')])
      // when
      .when(terminate('2023-06-30'))
      // then
      .thenNothing();
  });

  it('happens once: another date or reason is a conflict', () => {
    // given
    given([...started, terminated('2023-06-30')])
      // when
      .when(terminate('2023-07-01'))
      // then
      .thenThrows('conflict', 'project-terminated');
    given([...started, terminated('2023-06-30')])
      .when(terminate('2023-06-30', '另一个原因'))
      .thenThrows('conflict', 'project-terminated');
  });
});
