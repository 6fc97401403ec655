import { DomainError } from '../shared/domain-error';
import { Round, RoundState, decideRound, evolveRound, roundStreamId } from './round';

const first: Round = {
  id: '2023-1',
  heldOn: '2023-02-22',
  mainVenueZoneId: 'jz-kfq',
  name: '2023年第一次"三个一批"活动',
};

function thrown(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (error) {
    return error as DomainError;
  }
  throw new Error('expected a DomainError');
}

describe('rounds (一次"三个一批"活动)', () => {
  it('registers an unknown round', () => {
    // given
    const state: RoundState = null;
    // when
    const events = decideRound({ type: 'RegisterRound', data: first }, state);
    // then
    expect(events).toEqual([{ type: 'RoundRegistered', data: first }]);
    expect(evolveRound(state, events[0])).toEqual(first);
  });

  it('treats registering the same round again as a harmless retry', () => {
    // given
    const state = evolveRound(null, { type: 'RoundRegistered', data: first });
    // when / then
    expect(decideRound({ type: 'RegisterRound', data: { ...first } }, state)).toEqual([]);
  });

  it('refuses registering the round again on another date', () => {
    // given
    const state = evolveRound(null, { type: 'RoundRegistered', data: first });
    // when
    const error = thrown(() =>
      decideRound({ type: 'RegisterRound', data: { ...first, heldOn: '2023-02-23' } }, state),
    );
    // then
    expect(error).toBeInstanceOf(DomainError);
    expect({ kind: error.kind, code: error.code }).toEqual({ kind: 'conflict', code: 'round-exists' });
  });

  it('refuses registering the round again without its main venue', () => {
    // given
    const state = evolveRound(null, { type: 'RoundRegistered', data: first });
    // when
    const error = thrown(() =>
      decideRound({ type: 'RegisterRound', data: { ...first, mainVenueZoneId: undefined } }, state),
    );
    // then
    expect(error.code).toBe('round-exists');
  });

  it('lives on its own stream', () => {
    expect(roundStreamId('2023-1')).toBe('round-2023-1');
  });
});
