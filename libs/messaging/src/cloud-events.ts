import type { ProjectState } from '@app/domain';
import { EventMetadata, RecordedEvent } from '@app/event-store';
import { ProjectContext } from './project-context';
import {
  CurrentProject,
  DeadLetterMessage,
  NotificationIssuedSummary,
  ProjectStateMessage,
  WireMetadata,
} from './wire';

export const PROJECT_EVENTS_TOPIC = 'project-lifecycle.events.v1';
export const NOTIFICATIONS_TOPIC = 'project-lifecycle.notifications.v1';
export const REFERENCE_TOPIC = 'project-lifecycle.reference.v1';
export const PROJECTS_TOPIC = 'project-lifecycle.projects.v1';
export const DEAD_LETTER_TOPIC = 'project-lifecycle.dead-letter.v1';
export const CLOUD_EVENTS_SOURCE = 'urn:project-lifecycle-tracker';

/** `ce_dataschema`: the `$id` of the body's JSON Schema (libs/messaging/contract/schemas). */
export const dataSchemaOf = (ceType: string) => `urn:project-lifecycle-tracker:schema:${ceType}`;

/** A message as the relay hands it to the producer port: CloudEvents 1.0 binary mode. */
export interface OutgoingMessage {
  topic: string;
  key: string;
  /** `null` is a tombstone (the compacted projects topic: a voided project). */
  value: string | null;
  headers: Record<string, string>;
  /** The event's global position in `$all` (also sent as the `ce_position` attribute). */
  position: number;
  /** Its prepare position where it has one (EventStoreDB transactions; `prepare-position` header). */
  preparePosition?: number;
}

export interface RelayTopics {
  events: string;
  notifications: string;
  reference: string;
  /** Compacted: each project's current facts, keyed by project id. */
  projects: string;
  deadLetter: string;
}

export const DEFAULT_TOPICS: RelayTopics = {
  events: PROJECT_EVENTS_TOPIC,
  notifications: NOTIFICATIONS_TOPIC,
  reference: REFERENCE_TOPIC,
  projects: PROJECTS_TOPIC,
  deadLetter: DEAD_LETTER_TOPIC,
};

/** The topics that carry events (not the dead-letter topic), whose partition counts are recorded. */
export const eventTopicsOf = (topics: RelayTopics) => [
  topics.events,
  topics.notifications,
  topics.reference,
  topics.projects,
];

/** Which topic an event goes to, and under which key; `null` for events not published. */
export function routeOf(event: RecordedEvent, topics: RelayTopics): { topic: string; key: string } | null {
  if (event.streamId.startsWith('project-')) {
    return { topic: topics.events, key: event.streamId.slice('project-'.length) };
  }
  if (event.type === 'NotificationIssued' || event.type === 'NotificationWithdrawn') {
    const month = (event.data as { month?: unknown }).month;
    if (typeof month === 'string') return { topic: topics.notifications, key: month };
  }
  // Zones (with their city) and rounds, keyed by stream so each one's events stay in order.
  if (event.streamId.startsWith('zone-') || event.streamId.startsWith('round-')) {
    return { topic: topics.reference, key: event.streamId };
  }
  return null;
}

/** What a message may say beyond the event itself. */
export interface WireOptions {
  /** KAFKA_PUBLISH_RECORDED_BY: the recording officer's id (`recordedBy`, `role`) goes out too. */
  recordedBy: boolean;
}

/**
 * The metadata fields of the contract (wire.ts WireMetadata), nothing else: never the client's
 * idempotency key or request hash, and the officer only where configured.
 */
function wireMetadata(metadata: EventMetadata, options: WireOptions): WireMetadata {
  // Assigned field by field, not spread: this runs for every message (see cloudEventHeaders).
  const source = metadata.source as WireMetadata['source'];
  const wire: WireMetadata = { recordedAt: metadata.recordedAt } as WireMetadata;
  if (options.recordedBy) {
    wire.recordedBy = metadata.recordedBy;
    if (metadata.role) wire.role = metadata.role;
  }
  const wireSource: WireMetadata['source'] = { kind: source.kind };
  if (source.requestId !== undefined) wireSource.requestId = source.requestId;
  if (source.file !== undefined) {
    wireSource.file = source.file;
    wireSource.sha256 = source.sha256;
    wireSource.row = source.row;
  }
  wire.source = wireSource;
  if (metadata.reason !== undefined) wire.reason = metadata.reason;
  wire.correlationId = metadata.correlationId;
  wire.causationId = metadata.causationId;
  return wire;
}

/**
 * The CloudEvents attributes of a message about `event`. Built by assignment: object spreads
 * here cost ~15 µs a message (V8 copies each spread through a slow path), as much as all
 * the rest of the relay's own encoding.
 */
function cloudEventHeaders(
  event: RecordedEvent,
  context: ProjectContext | null | undefined,
  ceId: string,
  ceType: string,
  subject: string,
): Record<string, string> {
  const headers: Record<string, string> = {};
  if (context) {
    headers.ce_zoneid = context.zoneId;
    if (context.cityId) headers.ce_cityid = context.cityId;
  }
  headers.ce_specversion = '1.0';
  headers.ce_id = ceId;
  headers.ce_source = CLOUD_EVENTS_SOURCE;
  headers.ce_type = ceType;
  headers.ce_time = event.metadata.recordedAt;
  headers.ce_dataschema = dataSchemaOf(ceType);
  headers.ce_subject = subject;
  const position = String(event.position);
  headers.ce_position = position;
  headers.ce_streamrevision = String(event.revision);
  headers['content-type'] = 'application/json';
  headers.position = position;
  return headers;
}

/**
 * An issued notification goes out as a summary and a reference to the document: the content
 * (thousands of projects) can exceed any broker's message limit, the summary never does, and
 * `contentHash` lets a consumer check the document it fetches.
 */
function wireData(event: RecordedEvent): unknown {
  if (event.type !== 'NotificationIssued') return event.data;
  const { content: _content, ...summary } = event.data as NotificationIssuedSummary & { content?: unknown };
  return {
    ...summary,
    document: { href: `/api/v1/notifications/${summary.month}?issue=${summary.issue}` },
  } satisfies NotificationIssuedSummary;
}

/**
 * CloudEvents binary mode (docs/architecture.md "The relay"): attributes in `ce_*` headers, the
 * body is the event's data and metadata as JSON, and for a project event its `context` (zone, and
 * the zone's city as of the event; also `ce_zoneid`, `ce_cityid`). `ce_position` and
 * `ce_streamrevision` are extension attributes; the plain `position` header stays for consumers
 * written before them.
 */
export function toCloudEventMessage(
  event: RecordedEvent,
  route: { topic: string; key: string },
  context?: ProjectContext | null,
  options: WireOptions = { recordedBy: false },
): OutgoingMessage {
  const body = {
    data: wireData(event),
    metadata: wireMetadata(event.metadata, options),
    ...(context ? { context } : {}),
  };
  const ceType = `project-lifecycle.${event.type}.v${event.schemaVersion}`;
  const headers = cloudEventHeaders(event, context, event.id, ceType, route.key);
  const message: OutgoingMessage = {
    topic: route.topic,
    key: route.key,
    value: JSON.stringify(body),
    headers,
    position: event.position,
  };
  if (event.preparePosition !== undefined) {
    headers['prepare-position'] = String(event.preparePosition);
    message.preparePosition = event.preparePosition;
  }
  return message;
}

export const PROJECT_STATE_TYPE = 'project-lifecycle.ProjectState.v1';

/**
 * A project's current facts after `event` (the domain's fold of its upcast stream: corrections
 * applied, retractions removed), keyed by project id for the compacted projects topic. A voided
 * project is a tombstone (null value) with the same headers, so compaction forgets it.
 */
export function toProjectStateMessage(
  event: RecordedEvent,
  state: ProjectState,
  context: ProjectContext | null,
  topic: string,
): OutgoingMessage {
  const projectId = event.streamId.slice('project-'.length);
  let value: string | null = null;
  if (state.status === 'signed' && !state.voided) {
    const { status: _status, voided: _voided, ...current } = state;
    value = JSON.stringify({
      data: current satisfies CurrentProject,
      context: context ?? { zoneId: state.zoneId, cityId: null },
    } satisfies ProjectStateMessage);
  }
  return {
    topic,
    key: projectId,
    value,
    // The state after this event: one id per project and revision.
    headers: cloudEventHeaders(event, context, `${event.id}.state`, PROJECT_STATE_TYPE, projectId),
    position: event.position,
  };
}

/** Bytes a message takes in a record batch, a little over (key, value, headers, record framing). */
export function messageBytes(message: OutgoingMessage): number {
  let bytes = Buffer.byteLength(message.key) + Buffer.byteLength(message.value ?? '') + 32;
  for (const name in message.headers) {
    bytes += Buffer.byteLength(name) + Buffer.byteLength(message.headers[name]) + 10;
  }
  return bytes;
}

export const DEAD_LETTER_TYPE = 'project-lifecycle.DeadLetter.v1';

/** Why an event went to the dead-letter topic instead of its own. */
export type DeadLetterReason = DeadLetterMessage['reason'];

/**
 * What stands in for an event that cannot be published: keyed by the event id, with the
 * event's own CloudEvents attributes (so it can be found and replayed by hand from the store)
 * and the reason; never the event's body.
 */
export function toDeadLetterMessage(
  message: OutgoingMessage,
  event: RecordedEvent,
  reason: DeadLetterReason,
  deadLetterTopic: string,
): OutgoingMessage {
  return {
    topic: deadLetterTopic,
    // The event id, or for a project's state `<event id>.state`.
    key: message.headers.ce_id,
    value: JSON.stringify({
      reason,
      intendedTopic: message.topic,
      intendedKey: message.key,
      event: {
        id: event.id,
        type: event.type,
        schemaVersion: event.schemaVersion,
        streamId: event.streamId,
        revision: event.revision,
        position: event.position,
      },
    }),
    headers: {
      ...message.headers,
      // A message of its own: its own id and type; the event's id and type are in the body.
      ce_id: `${message.headers.ce_id}.dead-letter`,
      ce_type: DEAD_LETTER_TYPE,
      ce_dataschema: dataSchemaOf(DEAD_LETTER_TYPE),
      ce_deadletterreason: reason.code,
    },
    position: event.position,
  };
}
