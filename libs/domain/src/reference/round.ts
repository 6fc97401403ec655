import { LocalDate } from '../shared/local-date';
import { conflict } from '../shared/domain-error';
import { sameFields } from './zone';

/** One province-wide "三个一批" event (一次活动), held on one day, with a main venue zone. */
export interface Round {
  id: string;
  heldOn: LocalDate;
  mainVenueZoneId?: string;
  name?: string;
}

export type RoundRegistered = { type: 'RoundRegistered'; data: Round };
export type RoundEvent = RoundRegistered;

export type RegisterRound = { type: 'RegisterRound'; data: Round };

export type RoundState = Round | null;

export const roundStreamId = (roundId: string) => `round-${roundId}`;

export function evolveRound(_state: RoundState, event: RoundEvent): RoundState {
  return { ...event.data };
}

export function decideRound(command: RegisterRound, state: RoundState): RoundEvent[] {
  if (state === null) return [{ type: 'RoundRegistered', data: { ...command.data } }];
  if (sameFields(state, command.data)) return [];
  throw conflict('round-exists', `round ${state.id} is already registered with other details`);
}
