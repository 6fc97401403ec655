import { RecordedEvent } from '@app/event-store';

export const PROJECT_EVENTS_TOPIC = 'project-lifecycle.events.v1';
export const NOTIFICATIONS_TOPIC = 'project-lifecycle.notifications.v1';
const CLOUD_EVENTS_SOURCE = 'urn:project-lifecycle-tracker';

/** A message as the relay hands it to the producer port: CloudEvents 1.0 binary mode. */
export interface OutgoingMessage {
  topic: string;
  key: string;
  value: string;
  headers: Record<string, string>;
  /** The event's global position in `$all` (also sent as the `position` header). */
  position: number;
  /** Its prepare position where it has one (EventStoreDB transactions; `prepare-position` header). */
  preparePosition?: number;
}

export interface RelayTopics {
  events: string;
  notifications: string;
}

export const DEFAULT_TOPICS: RelayTopics = {
  events: PROJECT_EVENTS_TOPIC,
  notifications: NOTIFICATIONS_TOPIC,
};

/** Which topic an event goes to, and under which key; `null` for events not published. */
export function routeOf(event: RecordedEvent, topics: RelayTopics): { topic: string; key: string } | null {
  if (event.streamId.startsWith('project-')) {
    return { topic: topics.events, key: event.streamId.slice('project-'.length) };
  }
  if (event.type === 'NotificationIssued' || event.type === 'NotificationWithdrawn') {
    const month = (event.data as { month?: unknown }).month;
    if (typeof month === 'string') return { topic: topics.notifications, key: month };
  }
  return null;
}

/**
 * CloudEvents binary mode (docs/architecture.md "The relay"): attributes in `ce_*` headers, the body is
 * the event's data and metadata as JSON.
 */
export function toCloudEventMessage(
  event: RecordedEvent,
  route: { topic: string; key: string },
): OutgoingMessage {
  return {
    topic: route.topic,
    key: route.key,
    value: JSON.stringify({ data: event.data, metadata: event.metadata }),
    headers: {
      ce_specversion: '1.0',
      ce_id: event.id,
      ce_source: CLOUD_EVENTS_SOURCE,
      ce_type: `project-lifecycle.${event.type}.v${event.schemaVersion}`,
      ce_time: event.metadata.recordedAt,
      ce_subject: route.key,
      'content-type': 'application/json',
      position: String(event.position),
      ...(event.preparePosition !== undefined ? { 'prepare-position': String(event.preparePosition) } : {}),
    },
    position: event.position,
    ...(event.preparePosition !== undefined ? { preparePosition: event.preparePosition } : {}),
  };
}
