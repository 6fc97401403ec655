import { RecordedEvent } from '@app/event-store';

/** How many streams a cache keeps by default: the most recently written or read ones. */
export const DEFAULT_STREAM_STATE_CAPACITY = 10_000;

/** A stream's state as folded up to `revision`, and its keyed events (earlier results). */
export interface KeptStreamState<State> {
  revision: number;
  state: State;
  keyed: readonly RecordedEvent[];
}

interface Kept extends KeptStreamState<unknown> {
  /** The fold that made the state: another fold of the same stream starts afresh. */
  evolve: unknown;
}

/**
 * States of recently used streams, each as folded up to a revision, so that a write need not
 * read and fold the whole stream again. Only a hint: the command path uses a kept state only
 * when the stream's revision in the store is the kept one, and its append still expects that
 * revision, so a write another process or request made in between makes the state unusable
 * (the command reads the stream) and can never be decided on. States are shared, so a fold
 * must never change the state it is given (the domain's folds return new states).
 */
export class StreamStateCache {
  private readonly kept = new Map<string, Kept>();

  constructor(readonly capacity = DEFAULT_STREAM_STATE_CAPACITY) {}

  /** The kept state of a stream when the same fold made it. */
  get<State>(streamId: string, evolve: unknown): KeptStreamState<State> | undefined {
    const kept = this.kept.get(streamId);
    if (!kept || kept.evolve !== evolve) return undefined;
    // Map order is the eviction order: most recently used last.
    this.kept.delete(streamId);
    this.kept.set(streamId, kept);
    return kept as KeptStreamState<State>;
  }

  /** Keeps a state unless a later revision of the stream is already kept. */
  keep<State>(streamId: string, evolve: unknown, state: KeptStreamState<State>): void {
    const known = this.kept.get(streamId);
    if (known && known.evolve === evolve && known.revision > state.revision) return;
    this.kept.delete(streamId);
    this.kept.set(streamId, { ...state, evolve });
    if (this.kept.size > this.capacity) this.kept.delete(this.kept.keys().next().value as string);
  }

  forget(streamId: string): void {
    this.kept.delete(streamId);
  }

  get size(): number {
    return this.kept.size;
  }
}
