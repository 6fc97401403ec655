import { conflict, invalid, notFound } from '../shared/domain-error';
import { isIdentifier } from '../shared/identifiers';

export const ZONE_CATEGORIES = ['industrial', 'agricultural', 'cultural-tourism'] as const;
export type ZoneCategory = (typeof ZONE_CATEGORIES)[number];
export const ZONE_LEVELS = ['national', 'provincial'] as const;
export type ZoneLevel = (typeof ZONE_LEVELS)[number];

/** A development zone (开发区) of a city (地市). */
export interface Zone {
  id: string;
  name: string;
  cityId: string;
  category: ZoneCategory;
  level: ZoneLevel;
}

export type ZoneCorrection = Partial<Omit<Zone, 'id'>>;

export type ZoneRegistered = { type: 'ZoneRegistered'; data: Zone };
/** A zone registered with a wrong name, city, category or level, corrected with a reason. */
export type ZoneCorrected = {
  type: 'ZoneCorrected';
  data: { id: string; changes: ZoneCorrection; previous: ZoneCorrection; reason: string };
};
export type ZoneEvent = ZoneRegistered | ZoneCorrected;

export type RegisterZone = { type: 'RegisterZone'; data: Zone };
export type CorrectZone = {
  type: 'CorrectZone';
  data: { id: string; changes: ZoneCorrection; reason: string };
};
export type ZoneCommand = RegisterZone | CorrectZone;

export type ZoneState = Zone | null;

export const zoneStreamId = (zoneId: string) => `zone-${zoneId}`;

export function evolveZone(state: ZoneState, event: ZoneEvent): ZoneState {
  if (event.type === 'ZoneRegistered') return { ...event.data };
  return state && { ...state, ...event.data.changes };
}

/** Registering the same zone again is a harmless retry; registering it differently is not. */
export function decideZone(command: ZoneCommand, state: ZoneState): ZoneEvent[] {
  if (command.type === 'CorrectZone') return correctZone(command, state);
  if (state === null) return [{ type: 'ZoneRegistered', data: { ...command.data } }];
  if (sameFields(state, command.data)) return [];
  throw conflict('zone-exists', {
    zh: `开发区 ${state.id} 已以不同信息登记；如登记有误请提交更正`,
    en: `zone ${state.id} is already registered with other details; send a correction if they were wrong`,
  });
}

const ZONE_FIELDS = ['name', 'cityId', 'category', 'level'] as const;

function correctZone({ data }: CorrectZone, state: ZoneState): ZoneEvent[] {
  if (state === null) {
    throw notFound('zone-not-found', {
      zh: `未登记开发区 ${data.id}`,
      en: `zone ${data.id} is not registered`,
    });
  }
  requireReferenceReason(data.reason);
  const { changes } = data;
  if (changes.name !== undefined && changes.name.trim().length === 0) {
    throw invalid('required', { zh: '须填写开发区名称', en: 'the zone name is required' }, 'name');
  }
  if (changes.cityId !== undefined && !isIdentifier(changes.cityId)) {
    throw invalid('invalid-id', { zh: '地市编号无效', en: 'the city id is not valid' }, 'cityId');
  }
  if (changes.category !== undefined && !(ZONE_CATEGORIES as readonly string[]).includes(changes.category)) {
    throw invalid(
      'invalid-category',
      { zh: '类别须为工业类、农业类或文旅类', en: `category must be one of ${ZONE_CATEGORIES.join(', ')}` },
      'category',
    );
  }
  if (changes.level !== undefined && !(ZONE_LEVELS as readonly string[]).includes(changes.level)) {
    throw invalid(
      'invalid-level',
      { zh: '级别须为国家级或省级', en: `level must be one of ${ZONE_LEVELS.join(', ')}` },
      'level',
    );
  }
  const effective: ZoneCorrection = {};
  const previous: ZoneCorrection = {};
  for (const key of ZONE_FIELDS) {
    const value = changes[key];
    if (value !== undefined && value !== state[key]) {
      Object.assign(effective, { [key]: value });
      Object.assign(previous, { [key]: state[key] });
    }
  }
  if (Object.keys(effective).length === 0) return [];
  return [
    { type: 'ZoneCorrected', data: { id: state.id, changes: effective, previous, reason: data.reason } },
  ];
}

export function requireReferenceReason(reason: unknown): void {
  if (typeof reason !== 'string' || reason.trim().length === 0) {
    throw invalid('reason-required', { zh: '须说明原因', en: 'a reason is required' }, 'reason');
  }
}

export function sameFields<T extends object>(a: T, b: T): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]) as Set<keyof T>;
  for (const key of keys) if ((a[key] ?? null) !== (b[key] ?? null)) return false;
  return true;
}
