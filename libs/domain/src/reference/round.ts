import { LocalDate, isLocalDate } from '../shared/local-date';
import { conflict, invalid, notFound } from '../shared/domain-error';
import { isIdentifier } from '../shared/identifiers';
import { requireReferenceReason, sameFields } from './zone';

/** One province-wide "三个一批" event (一次活动), held on one day, with a main venue zone. */
export interface Round {
  id: string;
  heldOn: LocalDate;
  mainVenueZoneId?: string;
  name?: string;
}

export type RoundCorrection = Partial<Omit<Round, 'id'>>;

export type RoundRegistered = { type: 'RoundRegistered'; data: Round };
/** A round registered with a wrong date, name or main venue, corrected with a reason. */
export type RoundCorrected = {
  type: 'RoundCorrected';
  data: { id: string; changes: RoundCorrection; previous: RoundCorrection; reason: string };
};
export type RoundEvent = RoundRegistered | RoundCorrected;

export type RegisterRound = { type: 'RegisterRound'; data: Round };
/**
 * `listings` is how many listings refer to the round (from an explicit query): listings
 * take effect on the round's date, so the date may change only while there are none.
 */
export type CorrectRound = {
  type: 'CorrectRound';
  data: { id: string; changes: RoundCorrection; reason: string; listings: number };
};
export type RoundCommand = RegisterRound | CorrectRound;

export type RoundState = Round | null;

export const roundStreamId = (roundId: string) => `round-${roundId}`;

export function evolveRound(state: RoundState, event: RoundEvent): RoundState {
  if (event.type === 'RoundRegistered') return { ...event.data };
  return state && { ...state, ...event.data.changes };
}

export function decideRound(command: RoundCommand, state: RoundState): RoundEvent[] {
  if (command.type === 'CorrectRound') return correctRound(command, state);
  if (state === null) return [{ type: 'RoundRegistered', data: { ...command.data } }];
  if (sameFields(state, command.data)) return [];
  throw conflict('round-exists', {
    zh: `活动 ${state.id} 已以不同信息登记；如登记有误请提交更正`,
    en: `round ${state.id} is already registered with other details; send a correction if they were wrong`,
  });
}

const ROUND_FIELDS = ['heldOn', 'name', 'mainVenueZoneId'] as const;

function correctRound({ data }: CorrectRound, state: RoundState): RoundEvent[] {
  if (state === null) {
    throw notFound('round-not-found', {
      zh: `未登记活动 ${data.id}`,
      en: `round ${data.id} is not registered`,
    });
  }
  requireReferenceReason(data.reason);
  const { changes } = data;
  if (changes.heldOn !== undefined && !isLocalDate(changes.heldOn)) {
    throw invalid(
      'invalid-date',
      { zh: '日期须为有效的 YYYY-MM-DD', en: 'must be a calendar date YYYY-MM-DD' },
      'heldOn',
    );
  }
  if (changes.mainVenueZoneId !== undefined && !isIdentifier(changes.mainVenueZoneId)) {
    throw invalid(
      'invalid-id',
      { zh: '主会场开发区编号无效', en: 'the main venue zone id is not valid' },
      'mainVenueZoneId',
    );
  }
  const effective: RoundCorrection = {};
  const previous: RoundCorrection = {};
  for (const key of ROUND_FIELDS) {
    const value = changes[key];
    if (value !== undefined && value !== state[key]) {
      Object.assign(effective, { [key]: value });
      Object.assign(previous, { [key]: state[key] });
    }
  }
  if (effective.heldOn !== undefined && data.listings > 0) {
    throw conflict(
      'round-has-listings',
      {
        zh: `活动 ${state.id} 已有 ${data.listings} 个项目列入，不能更改举办日期；请先撤回这些列入`,
        en: `round ${state.id} already has ${data.listings} listing(s), so its date cannot change; withdraw them first`,
      },
      'heldOn',
    );
  }
  if (Object.keys(effective).length === 0) return [];
  return [
    { type: 'RoundCorrected', data: { id: state.id, changes: effective, previous, reason: data.reason } },
  ];
}
