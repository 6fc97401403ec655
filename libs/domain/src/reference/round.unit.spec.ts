import { givenRound } from '../testing/given-when-then';
import { Round, RoundRegistered, evolveRound, roundStreamId } from './round';

const first: Round = {
  id: '2023-1',
  heldOn: '2023-02-22',
  mainVenueZoneId: 'jz-kfq',
  name: '2023年第一次"三个一批"活动',
};
const registered: RoundRegistered = { type: 'RoundRegistered', data: first };

describe('rounds (一次"三个一批"活动)', () => {
  it('registers an unknown round', () => {
    // given
    givenRound([])
      // when
      .when({ type: 'RegisterRound', data: first })
      // then
      .then([registered]);
  });

  it('folds the registration into the round', () => {
    // given / when / then
    expect(evolveRound(null, registered)).toEqual(first);
  });

  it('treats registering the same round again as a harmless retry', () => {
    // given
    givenRound([registered])
      // when
      .when({ type: 'RegisterRound', data: { ...first } })
      // then
      .thenNothing();
  });

  it('refuses registering the round again on another date', () => {
    // given
    givenRound([registered])
      // when
      .when({ type: 'RegisterRound', data: { ...first, heldOn: '2023-02-23' } })
      // then
      .thenThrows('conflict', 'round-exists');
  });

  it('refuses registering the round again without its main venue', () => {
    // given
    givenRound([registered])
      // when
      .when({ type: 'RegisterRound', data: { ...first, mainVenueZoneId: undefined } })
      // then
      .thenThrows('conflict', 'round-exists');
  });

  it('lives on its own stream', () => {
    expect(roundStreamId('2023-1')).toBe('round-2023-1');
  });
});

describe('correcting a round registered with wrong details', () => {
  const correct = (changes: Partial<Round>, listings = 0, reason = '日期登记有误') => ({
    type: 'CorrectRound' as const,
    data: { id: '2023-1', changes, reason, listings },
  });

  it('corrects the date while no listing depends on it', () => {
    // given / when / then
    givenRound([registered])
      .when(correct({ heldOn: '2023-02-23' }))
      .then([
        {
          type: 'RoundCorrected',
          data: {
            id: '2023-1',
            changes: { heldOn: '2023-02-23' },
            previous: { heldOn: '2023-02-22' },
            reason: '日期登记有误',
          },
        },
      ]);
  });

  it('refuses moving the date once projects are listed in the round', () => {
    // given / when
    const error = givenRound([registered])
      .when(correct({ heldOn: '2023-02-23' }, 3))
      .thenThrows('conflict', 'round-has-listings');
    // then
    expect(error.text.zh).toContain('3');
  });

  it('corrects the name and main venue even with listings', () => {
    givenRound([registered])
      .when(correct({ name: '2023年第一次活动', heldOn: '2023-02-22' }, 5))
      .then([
        {
          type: 'RoundCorrected',
          data: {
            id: '2023-1',
            changes: { name: '2023年第一次活动' },
            previous: { name: '2023年第一次"三个一批"活动' },
            reason: '日期登记有误',
          },
        },
      ]);
  });

  it('folds the correction into the round', () => {
    expect(
      evolveRound(first, {
        type: 'RoundCorrected',
        data: {
          id: '2023-1',
          changes: { heldOn: '2023-02-23' },
          previous: { heldOn: '2023-02-22' },
          reason: 'r',
        },
      }),
    ).toEqual({ ...first, heldOn: '2023-02-23' });
  });

  it('needs a reason, a registered round and a calendar date', () => {
    givenRound([registered])
      .when(correct({ name: 'x' }, 0, ''))
      .thenThrows('invalid', 'reason-required');
    givenRound([])
      .when(correct({ name: 'x' }))
      .thenThrows('not-found', 'round-not-found');
    givenRound([registered])
      .when(correct({ heldOn: '2023-02-30' }))
      .thenThrows('invalid', 'invalid-date');
  });
});
