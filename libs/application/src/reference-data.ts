import {
  Round,
  RoundEvent,
  Zone,
  ZoneEvent,
  evolveRound,
  evolveZone,
  roundStreamId,
  zoneStreamId,
} from '@app/domain';
import { EventStore } from '@app/event-store';
import { Awaitable } from './awaitable';
import { upcastEvent } from './handle-command';

/**
 * Reads a zone or round straight from its stream: write decisions never depend on a
 * projection that might lag (docs/architecture.md, "The command path").
 */
export async function readZone(store: EventStore, zoneId: string): Promise<Zone | null> {
  const events = await store.readStream(zoneStreamId(zoneId));
  return events.map((event) => upcastEvent(event) as ZoneEvent).reduce(evolveZone, null);
}

export async function readRound(store: EventStore, roundId: string): Promise<Round | null> {
  const events = await store.readStream(roundStreamId(roundId));
  return events.map((event) => upcastEvent(event) as RoundEvent).reduce(evolveRound, null);
}

/** Where the command path reads the zones and rounds its commands name. */
export interface ReferenceReads {
  zone(zoneId: string): Awaitable<Zone | null>;
  round(roundId: string): Awaitable<Round | null>;
}

/** Every read from the stream itself, as a single write does. */
export function streamReferenceReads(store: EventStore): ReferenceReads {
  return { zone: (zoneId) => readZone(store, zoneId), round: (roundId) => readRound(store, roundId) };
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
