import type {
  NotificationIssuedData,
  NotificationWithdrawn,
  ProjectEvent,
  RoundEvent,
  SignedProject,
  ZoneEvent,
} from '@app/domain';
import type { ProjectContext } from './project-context';

/**
 * The messages' bodies as consumers see them: the source the contract (libs/messaging/contract,
 * `npm run contract`) is generated from. A change here is a change of the published contract
 * (docs/kafka-contract.md "Versioning").
 */

/** What of an event's metadata goes out: never the client's idempotency key or request hash. */
export interface WireMetadata {
  /** When the tracker learned the fact (ISO-8601 UTC instant). */
  recordedAt: string;
  /** Who recorded it (the token's `sub`): only where KAFKA_PUBLISH_RECORDED_BY=true. */
  recordedBy?: string;
  role?: string;
  /** The API (with its request id) or an import file and row. */
  source: { kind: string; requestId?: string; file?: string; sha256?: string; row?: number };
  /** Why: required for corrections, retractions, amendments and terminations. */
  reason?: string;
  correlationId: string;
  causationId: string;
}

/** An issued notification on the wire: everything but its content, and where the document is. */
export type NotificationIssuedSummary = Omit<NotificationIssuedData, 'content'> & {
  /** The API path of the issued document; its JSON hashes to `contentHash`. */
  document: { href: string };
};

export interface ProjectMessage<Event extends { data: unknown }> {
  data: Event['data'];
  metadata: WireMetadata;
  context: ProjectContext;
}

export interface PlainMessage<Event extends { data: unknown }> {
  data: Event['data'];
  metadata: WireMetadata;
}

/** project-lifecycle.events.v1 */
export type ProjectsTopicEvent = ProjectEvent;
/** project-lifecycle.notifications.v1 */
export type NotificationsTopicEvent =
  NotificationWithdrawn | { type: 'NotificationIssued'; data: NotificationIssuedSummary };
/** project-lifecycle.reference.v1 */
export type ReferenceTopicEvent = ZoneEvent | RoundEvent;

/** A project's current facts: the domain's fold of its events (a voided project has none). */
export type CurrentProject = Omit<SignedProject, 'status' | 'voided'>;

/** project-lifecycle.projects.v1 (compacted; key: the project id; a voided project: a null value). */
export interface ProjectStateMessage {
  data: CurrentProject;
  /** The project's zone, and the zone's city as of the project's latest event. */
  context: ProjectContext;
}

/** project-lifecycle.dead-letter.v1: what stands in for an event that could not be published. */
export interface DeadLetterMessage {
  reason: { code: 'too-large'; detail: string; sizeBytes: number; limitBytes: number };
  intendedTopic: string;
  intendedKey: string;
  event: {
    id: string;
    type: string;
    schemaVersion: number;
    streamId: string;
    revision: number;
    position: number;
  };
}
