import { ComponentType, ReactNode, createElement, useEffect, useState } from 'react';

/** What a chunk component draws before its chunk has arrived, and if it cannot. */
export interface ChunkStates {
  fallback?: ReactNode;
  failed: ReactNode;
}

export interface ChunkComponent<P extends object> {
  (props: P & ChunkStates): ReactNode;
  /** Starts loading the chunk (once); resolves when it can be drawn. */
  preload(): Promise<void>;
}

/**
 * A component whose code is a chunk of its own, like React.lazy but without Suspense: drawn at
 * once when the chunk has arrived (main.tsx starts the page's chunk before the App's), otherwise
 * `fallback` until it does, then drawn by a plain state update. React holds a Suspense
 * boundary's reveal until 300 ms after the last fallback it showed or hid, which held the
 * dashboard's first paint 200–300 ms after its code and data had arrived (bench/README.md,
 * "console"). Only React here: routes.tsx, in the start-up chunk, makes its pages with it.
 */
export function chunkComponent<P extends object>(
  load: () => Promise<{ default: ComponentType<P> }>,
): ChunkComponent<P> {
  let loaded: ComponentType<P> | undefined;
  let loading: Promise<void> | undefined;
  const preload = () =>
    (loading ??= load().then(
      (module) => {
        loaded = module.default;
      },
      (error: unknown) => {
        loading = undefined;
        throw error;
      },
    ));

  function Chunk({ fallback = null, failed: whenFailed, ...props }: P & ChunkStates) {
    const [, setArrived] = useState(false);
    const [failed, setFailed] = useState(false);
    useEffect(() => {
      if (loaded) return;
      let mounted = true;
      preload().then(
        () => mounted && setArrived(true),
        () => mounted && setFailed(true),
      );
      return () => {
        mounted = false;
      };
    }, []);
    if (loaded) return createElement(loaded, props as P);
    return failed ? whenFailed : fallback;
  }
  return Object.assign(Chunk, { preload });
}
