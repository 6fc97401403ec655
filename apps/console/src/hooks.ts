import { useQuery } from '@tanstack/react-query';
import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';
import { Me } from './access';
import { getRounds, getSession, getZones } from './services/endpoints';
import { TIME_PARAMS, TimeMachine, linkWithTime, timeMachineOf } from './url-state';

/** The caller, cached: `can` reads it synchronously everywhere. */
export function useMe(): Me | undefined {
  return useQuery({ queryKey: ['session'], queryFn: getSession, staleTime: 60_000, retry: false }).data;
}

export function useZones() {
  return useQuery({ queryKey: ['zones'], queryFn: getZones, staleTime: 60_000 });
}

export function useRounds() {
  return useQuery({ queryKey: ['rounds'], queryFn: getRounds, staleTime: 60_000 });
}

/** asOf / knownAt from the URL, a setter that keeps the other parameters, and a link builder. */
export function useTimeMachine(): TimeMachine & {
  set(change: TimeMachine): void;
  link(path: string): string;
  historical: boolean;
} {
  const [search, setSearch] = useSearchParams();
  const current = useMemo(() => timeMachineOf(search), [search]);
  const set = useCallback(
    (change: TimeMachine) => {
      setSearch((previous) => {
        const next = new URLSearchParams(previous);
        for (const name of TIME_PARAMS) {
          if (!(name in change)) continue;
          const value = change[name];
          if (value) next.set(name, value);
          else next.delete(name);
        }
        return next;
      });
    },
    [setSearch],
  );
  const link = useCallback((path: string) => linkWithTime(path, search), [search]);
  return { ...current, set, link, historical: Boolean(current.asOf || current.knownAt) };
}

/** A URL search parameter as state (filters and paging are kept in the URL). */
export function useSearchParam(name: string): [string | undefined, (value: string | undefined) => void] {
  const [search, setSearch] = useSearchParams();
  const set = useCallback(
    (value: string | undefined) =>
      setSearch((previous) => {
        const next = new URLSearchParams(previous);
        if (value) next.set(name, value);
        else next.delete(name);
        if (name !== 'page') next.delete('page');
        return next;
      }),
    [name, setSearch],
  );
  return [search.get(name) ?? undefined, set];
}
