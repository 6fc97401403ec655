import { QueryClient, queryOptions } from '@tanstack/react-query';
import { getSession } from './services/endpoints';

export const queryClient = new QueryClient({
  defaultOptions: { queries: { retry: false, refetchOnWindowFocus: false } },
});

/** Who is signed in: one definition for the start-up read (main.tsx) and the app's. */
export const sessionQuery = queryOptions({
  queryKey: ['session'],
  queryFn: getSession,
  retry: false,
  staleTime: 60_000,
});
