import { LifecycleReadModel } from './lifecycle-read-model';

export interface References {
  zoneId?: string;
  cityId?: string;
  roundIds?: readonly string[];
}

export interface UnknownReference {
  kind: 'zone' | 'city' | 'round';
  id: string;
}

/**
 * The first zone, city or round a query names that the model does not know: a mistyped id
 * must be refused, not answered with empty lists that read as "nothing stalled". Cities are
 * known through their zones (a city a zone was corrected away from stays known: as known
 * before the correction, the zone was there).
 */
export function unknownReference(
  model: LifecycleReadModel,
  references: References,
): UnknownReference | undefined {
  const { zoneId, cityId, roundIds = [] } = references;
  if (zoneId !== undefined && !model.zones.has(zoneId)) return { kind: 'zone', id: zoneId };
  if (cityId !== undefined && !model.knowsCity(cityId)) return { kind: 'city', id: cityId };
  const round = roundIds.find((id) => !model.rounds.has(id));
  return round === undefined ? undefined : { kind: 'round', id: round };
}
