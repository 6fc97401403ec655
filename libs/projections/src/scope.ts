import { Listing, LocalDate, Zone, ZoneCategory } from '@app/domain';
import { byCodePoint } from './days';
import { ProjectSnapshot } from './project-snapshot';

export type Scope = 'province' | 'city' | 'zone';

/** Which rounds' listings form the cohort: some rounds, rounds since a date, or all. */
export interface CohortSelection {
  roundIds?: string[];
  since?: LocalDate;
}

/** Filters officers use: 亿元以上 projects, industrial projects, a zone category, a place. */
export interface ProjectFilters {
  minTotalInvestmentWan?: number;
  industrialOnly?: boolean;
  zoneCategory?: ZoneCategory;
  cityId?: string;
  zoneId?: string;
}

export interface ScopeUnit {
  scope: Scope;
  id: string;
  name: string;
}

const PROVINCE: ScopeUnit = { scope: 'province', id: 'province', name: '全省' };

/** Some rounds or rounds since a date were chosen (not all rounds). */
export function selectsRounds(selection: CohortSelection): boolean {
  return Boolean((selection.roundIds && selection.roundIds.length > 0) || selection.since);
}

/** All rounds and no filter on the project's own fields: what the aggregates and indexes keep. */
export function overAllProjects(
  query: CohortSelection & { minTotalInvestmentWan?: number; industrialOnly?: boolean },
): boolean {
  return !selectsRounds(query) && query.minTotalInvestmentWan === undefined && !query.industrialOnly;
}

export function roundSelector(selection: CohortSelection): (listing: Listing) => boolean {
  if (selection.roundIds && selection.roundIds.length > 0) {
    const ids = new Set(selection.roundIds);
    return (listing) => ids.has(listing.roundId);
  }
  if (selection.since) {
    const since = selection.since;
    return (listing) => listing.heldOn >= since;
  }
  return () => true;
}

/** A project of an unregistered zone matches only when no place or category is asked for. */
export function zoneMatches(zone: Zone | undefined, filters: ProjectFilters): boolean {
  if (filters.zoneId && zone?.id !== filters.zoneId) return false;
  if (filters.cityId && zone?.cityId !== filters.cityId) return false;
  if (filters.zoneCategory && zone?.category !== filters.zoneCategory) return false;
  return true;
}

export function projectMatches(
  snapshot: ProjectSnapshot,
  zone: Zone | undefined,
  filters: ProjectFilters,
): boolean {
  if (!zoneMatches(zone, filters)) return false;
  if (
    filters.minTotalInvestmentWan !== undefined &&
    snapshot.totalInvestmentWan < filters.minTotalInvestmentWan
  ) {
    return false;
  }
  if (filters.industrialOnly && !snapshot.industrial) return false;
  return true;
}

/** The rows a table has for a scope: the province, each city, or each zone (filtered). */
export function scopeUnits(scope: Scope, zones: Iterable<Zone>, filters: ProjectFilters): ScopeUnit[] {
  if (scope === 'province') return [PROVINCE];
  const matching = [...zones].filter((zone) => zoneMatches(zone, filters));
  if (scope === 'zone') {
    return matching
      .sort((a, b) => byCodePoint(a.cityId, b.cityId) || byCodePoint(a.id, b.id))
      .map((zone) => ({ scope, id: zone.id, name: zone.name }));
  }
  const cities = [...new Set(matching.map((zone) => zone.cityId))].sort(byCodePoint);
  return cities.map((cityId) => ({ scope, id: cityId, name: cityId }));
}

export function unitIdOf(scope: Scope, zone: Zone | undefined): string | undefined {
  if (scope === 'province') return PROVINCE.id;
  if (!zone) return undefined;
  return scope === 'city' ? zone.cityId : zone.id;
}

/** K as epoch ms (undefined: everything known). */
export function knownAtMillis(knownAt: string | undefined): number | undefined {
  if (knownAt === undefined) return undefined;
  const millis = Date.parse(knownAt);
  if (Number.isNaN(millis)) throw new RangeError(`knownAt ${knownAt} is not an ISO-8601 instant`);
  return millis;
}
