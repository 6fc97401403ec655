/** The time machine's parameters: every view keeps them in the URL, so a link shows the same view. */
export const TIME_PARAMS = ['asOf', 'knownAt'] as const;

export interface TimeMachine {
  /** Effective date D (YYYY-MM-DD); absent: today. */
  asOf?: string;
  /** Recorded time K (ISO instant); absent: now. */
  knownAt?: string;
}

export function timeMachineOf(search: URLSearchParams): TimeMachine {
  return {
    asOf: search.get('asOf') ?? undefined,
    knownAt: search.get('knownAt') ?? undefined,
  };
}

/** `path` with the current view's asOf and knownAt carried over. */
export function linkWithTime(path: string, search: URLSearchParams): string {
  const [pathname, query = ''] = path.split('?');
  const next = new URLSearchParams(query);
  for (const name of TIME_PARAMS) {
    const value = search.get(name);
    if (value && !next.has(name)) next.set(name, value);
  }
  const text = next.toString();
  return text ? `${pathname}?${text}` : pathname;
}

/** The query string of an API read: the set values only, repeated keys for arrays. */
export function apiQuery(
  params: Record<string, string | number | boolean | string[] | undefined | null>,
): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === '') continue;
    for (const item of Array.isArray(value) ? value : [value]) query.append(name, String(item));
  }
  const text = query.toString();
  return text ? `?${text}` : '';
}

/** antd's table paging (1-based page, page size) as the API's offset and limit. */
export function pageToRange(current: number, pageSize: number): { offset: number; limit: number } {
  return { offset: Math.max(0, (current - 1) * pageSize), limit: pageSize };
}
