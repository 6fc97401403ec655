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
  zone(zoneId: string): Promise<Zone | null>;
  round(roundId: string): Promise<Round | null>;
}

/** Every read from the stream itself, as a single write does. */
export function streamReferenceReads(store: EventStore): ReferenceReads {
  return { zone: (zoneId) => readZone(store, zoneId), round: (roundId) => readRound(store, roundId) };
}

/**
 * Each zone and round read from its stream once: a batch's commands are decided on one
 * reading of them (as a single write reads them once, not once per rule).
 */
export function onceReferenceReads(store: EventStore): ReferenceReads {
  const zones = new Map<string, Promise<Zone | null>>();
  const rounds = new Map<string, Promise<Round | null>>();
  const once = <T>(cache: Map<string, Promise<T>>, id: string, read: () => Promise<T>) => {
    let value = cache.get(id);
    if (!value) {
      value = read();
      cache.set(id, value);
    }
    return value;
  };
  return {
    zone: (zoneId) => once(zones, zoneId, () => readZone(store, zoneId)),
    round: (roundId) => once(rounds, roundId, () => readRound(store, roundId)),
  };
}
