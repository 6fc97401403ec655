export const ROLES = ['officer', 'auditor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Who is acting: from a verified bearer token in the API, from the operator in the CLI. */
export interface Caller {
  sub: string;
  role: Role;
  /** Zones an officer may act for. */
  zones: string[];
  /** Cities an officer may act for (every zone of the city). */
  cities: string[];
  /** Display name of a console account, recorded with the events it writes. */
  name?: string;
}

/** Whether the caller may record facts about a project of `zone`. */
export function mayActFor(caller: Caller, zone: { id: string; cityId: string }): boolean {
  if (caller.role === 'admin') return true;
  if (caller.role !== 'officer') return false;
  return caller.zones.includes(zone.id) || caller.cities.includes(zone.cityId);
}
