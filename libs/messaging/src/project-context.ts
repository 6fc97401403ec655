import { EventStore, RecordedEvent } from '@app/event-store';

/** What a consumer needs beside a project event to place it: its zone, and the zone's city then. */
export interface ProjectContext {
  zoneId: string;
  /** The zone's city as of the event (a later zone correction does not rewrite it). */
  cityId: string | null;
}

const PROJECT_PREFIX = 'project-';
const ZONE_PREFIX = 'zone-';

/**
 * The zone and city of each project event, as of its position. A project's zone never changes
 * (it is given when signing); a zone's city may be corrected, so each zone keeps its city by
 * position. Both are read from their streams on first use and then kept up to date from the
 * events the relay sees in `$all` order.
 */
export class ProjectContexts {
  /** `null`: the stream's first event names no zone (its first event never changes, so that holds). */
  private readonly zoneOfProject = new Map<string, string | null>();
  private readonly citiesOfZone = new Map<string, { position: number; cityId: string }[]>();

  constructor(private readonly store: EventStore) {}

  /** Tells the view about an event of `$all`, in position order. */
  seen(event: RecordedEvent): void {
    if (event.type === 'ProjectSigned' && event.streamId.startsWith(PROJECT_PREFIX)) {
      const zoneId = (event.data as { zoneId?: unknown }).zoneId;
      if (typeof zoneId === 'string') this.zoneOfProject.set(event.streamId, zoneId);
    }
    if (event.streamId.startsWith(ZONE_PREFIX)) {
      const history = this.citiesOfZone.get(event.streamId.slice(ZONE_PREFIX.length));
      const cityId = cityIdIn(event);
      if (history && cityId && !history.some((entry) => entry.position === event.position)) {
        history.push({ position: event.position, cityId });
      }
    }
  }

  async of(event: RecordedEvent): Promise<ProjectContext | null> {
    const zoneId = await this.zoneOf(event.streamId);
    if (!zoneId) return null;
    const history = await this.cityHistory(zoneId);
    const current = history.filter((entry) => entry.position <= event.position).at(-1);
    return { zoneId, cityId: current?.cityId ?? null };
  }

  private async zoneOf(projectStream: string): Promise<string | null> {
    const known = this.zoneOfProject.get(projectStream);
    if (known !== undefined) return known;
    const [signed] = await this.store.readStream(projectStream);
    if (!signed) return null;
    const zoneId = (signed.data as { zoneId?: unknown }).zoneId;
    const found = typeof zoneId === 'string' ? zoneId : null;
    this.zoneOfProject.set(projectStream, found);
    return found;
  }

  private async cityHistory(zoneId: string): Promise<{ position: number; cityId: string }[]> {
    const known = this.citiesOfZone.get(zoneId);
    if (known) return known;
    const history = (await this.store.readStream(`${ZONE_PREFIX}${zoneId}`)).flatMap((event) => {
      const cityId = cityIdIn(event);
      return cityId ? [{ position: event.position, cityId }] : [];
    });
    this.citiesOfZone.set(zoneId, history);
    return history;
  }
}

/** The city a zone event sets: at registration, or a correction that changes it. */
function cityIdIn(event: RecordedEvent): string | undefined {
  const data = event.data as { cityId?: unknown; changes?: { cityId?: unknown } };
  const cityId =
    event.type === 'ZoneRegistered'
      ? data.cityId
      : event.type === 'ZoneCorrected'
        ? data.changes?.cityId
        : undefined;
  return typeof cityId === 'string' ? cityId : undefined;
}
