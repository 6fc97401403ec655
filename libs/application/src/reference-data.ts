import {
  Round,
  RoundEvent,
  RoundState,
  Zone,
  ZoneEvent,
  ZoneState,
  evolveRound,
  evolveZone,
  roundStreamId,
  zoneStreamId,
} from '@app/domain';
import { EventStore } from '@app/event-store';
import { Awaitable } from './awaitable';
import { Fold, readStreamState } from './handle-command';
import { StreamStateCache } from './stream-state-cache';

const ZONE_FOLD: Fold<ZoneState, ZoneEvent> = { initialState: () => null, evolve: evolveZone };
const ROUND_FOLD: Fold<RoundState, RoundEvent> = { initialState: () => null, evolve: evolveRound };

/**
 * Reads a zone or round straight from its stream: write decisions never depend on a
 * projection that might lag (docs/architecture.md, "The command path"). With a cache, a kept
 * state still at the stream's revision.
 */
export async function readZone(
  store: EventStore,
  zoneId: string,
  states?: StreamStateCache,
): Promise<Zone | null> {
  return (await readStreamState(store, zoneStreamId(zoneId), ZONE_FOLD, states)).state;
}

export async function readRound(
  store: EventStore,
  roundId: string,
  states?: StreamStateCache,
): Promise<Round | null> {
  return (await readStreamState(store, roundStreamId(roundId), ROUND_FOLD, states)).state;
}

/** Where the command path reads the zones and rounds its commands name. */
export interface ReferenceReads {
  zone(zoneId: string): Awaitable<Zone | null>;
  round(roundId: string): Awaitable<Round | null>;
}

/** Every read from the stream itself, as a single write does. */
export function streamReferenceReads(store: EventStore, states?: StreamStateCache): ReferenceReads {
  return {
    zone: (zoneId) => readZone(store, zoneId, states),
    round: (roundId) => readRound(store, roundId, states),
  };
}

/**
 * Each zone and round read from its stream once: a batch's commands are decided on one
 * reading of them (as a single write reads them once, not once per rule). Once read, the
 * value is given at once, not as a promise.
 */
export function onceReferenceReads(store: EventStore): ReferenceReads {
  const zones = new Map<string, Awaitable<Zone | null>>();
  const rounds = new Map<string, Awaitable<Round | null>>();
  const once = <T>(cache: Map<string, Awaitable<T>>, id: string, read: () => Promise<T>) => {
    if (cache.has(id)) return cache.get(id) as Awaitable<T>;
    const reading = read().then((value) => {
      cache.set(id, value);
      return value;
    });
    cache.set(id, reading);
    return reading;
  };
  return {
    zone: (zoneId) => once(zones, zoneId, () => readZone(store, zoneId)),
    round: (roundId) => once(rounds, roundId, () => readRound(store, roundId)),
  };
}
