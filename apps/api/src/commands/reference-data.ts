import { Inject, Injectable } from '@nestjs/common';
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
import { upcastEvent } from './event-sourced-writer';

/**
 * Reads a zone or round straight from its stream: write decisions never depend on a
 * projection that might lag (ARCHITECTURE.md "Data flows one way").
 */
@Injectable()
export class ReferenceData {
  constructor(@Inject(EventStore) private readonly store: EventStore) {}

  async zone(zoneId: string): Promise<Zone | null> {
    const events = await this.store.readStream(zoneStreamId(zoneId));
    return events.map((event) => upcastEvent(event) as ZoneEvent).reduce(evolveZone, null);
  }

  async round(roundId: string): Promise<Round | null> {
    const events = await this.store.readStream(roundStreamId(roundId));
    return events.map((event) => upcastEvent(event) as RoundEvent).reduce(evolveRound, null);
  }
}
