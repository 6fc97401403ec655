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
