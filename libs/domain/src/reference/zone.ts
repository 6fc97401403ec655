import { conflict } from '../shared/domain-error';

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

export type ZoneRegistered = { type: 'ZoneRegistered'; data: Zone };
export type ZoneEvent = ZoneRegistered;

export type RegisterZone = { type: 'RegisterZone'; data: Zone };

export type ZoneState = Zone | null;

export const zoneStreamId = (zoneId: string) => `zone-${zoneId}`;

export function evolveZone(_state: ZoneState, event: ZoneEvent): ZoneState {
  return { ...event.data };
}

/** Registering the same zone again is a harmless retry; registering it differently is not. */
export function decideZone(command: RegisterZone, state: ZoneState): ZoneEvent[] {
  if (state === null) return [{ type: 'ZoneRegistered', data: { ...command.data } }];
  if (sameFields(state, command.data)) return [];
  throw conflict('zone-exists', `zone ${state.id} is already registered with other details`);
}

export function sameFields<T extends object>(a: T, b: T): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]) as Set<keyof T>;
  for (const key of keys) if ((a[key] ?? null) !== (b[key] ?? null)) return false;
  return true;
}
