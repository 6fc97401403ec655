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
