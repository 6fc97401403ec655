import { queryOptions } from '@tanstack/react-query';
import { getRates } from '../../services/endpoints';
import { timeMachineOf } from '../../url-state';

/** What the dashboard's link says it shows: scope (cities unless `zone`), rounds, D and K. */
export function dashboardQueryOf(search: URLSearchParams): {
  scope: 'city' | 'zone';
  roundIds: string[];
  asOf?: string;
  knownAt?: string;
} {
  const rounds = search.get('rounds');
  return {
    scope: search.get('scope') === 'zone' ? 'zone' : 'city',
    roundIds: rounds ? rounds.split(',') : [],
    ...timeMachineOf(search),
  };
}

/**
 * The rate table's query, one definition for the page and for the start-up prefetch (routes.tsx),
 * so the request sent while the session is checked is the one the page then reads.
 */
export function ratesQuery(search: URLSearchParams) {
  const { scope, roundIds, asOf, knownAt } = dashboardQueryOf(search);
  return queryOptions({
    queryKey: ['rates', { scope, roundIds, asOf, knownAt }],
    queryFn: () => getRates({ scope, roundId: roundIds, asOf, knownAt }),
  });
}
