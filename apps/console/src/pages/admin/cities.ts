import { Zone } from '../../services/types';

export interface City {
  cityId: string;
  zones: Zone[];
}

/** The cities as the API knows them: the zones' cityId (the API has no city reference data). */
export function citiesOf(zones: readonly Zone[]): City[] {
  const byCity = new Map<string, Zone[]>();
  for (const zone of zones) byCity.set(zone.cityId, [...(byCity.get(zone.cityId) ?? []), zone]);
  return [...byCity]
    .map(([cityId, members]) => ({ cityId, zones: members }))
    .sort((a, b) => (a.cityId < b.cityId ? -1 : 1));
}
