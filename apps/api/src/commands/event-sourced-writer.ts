import { createHash, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { CURRENT_SCHEMA_VERSION, DOMAIN_UPCASTERS, upcast } from '@app/domain';
import {
  EventMetadata,
  EventStore,
  NewEvent,
  RecordedEvent,
  WrongExpectedRevisionError,
} from '@app/event-store';
import { conflictProblem, preconditionFailed } from '../http/problem';
import { Clock } from '../infrastructure/clock';
import { ProjectionsService } from '../projections/projections.service';
import { WriteContext, WriteResult } from './write-context';

export interface DomainEventShape {
  type: string;
  data: unknown;
}

export interface StreamDecision<Event extends DomainEventShape> {
  streamId: string;
  /**
   * Checks that answer before `If-Match` is looked at (RFC 9110 §13.2.1: preconditions are
   * ignored when the request would fail anyway): the resource exists, the caller may write it.
   */
  check?(history: Event[]): void | Promise<void>;
  /** Turns the stream's events into the domain's decision; may throw DomainError or a Problem. */
  decide(history: Event[]): Event[] | Promise<Event[]>;
  /** The reason to store in metadata (corrections, retractions, terminations). */
  reason?: string;
}

/** How often a write is retried when another write to the same stream won the race. */
const MAX_ATTEMPTS = 8;

/**
 * The command path: read stream → fold → decide → append with the expected revision.
 * Retries on a concurrent write unless the client pinned a revision with If-Match; replays
 * an earlier result for a repeated Idempotency-Key.
 */
@Injectable()
export class EventSourcedWriter {
  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    private readonly clock: Clock,
    private readonly projections: ProjectionsService,
  ) {}

  async write<Event extends DomainEventShape>(
    decision: StreamDecision<Event>,
    context: WriteContext,
  ): Promise<WriteResult> {
    for (let attempt = 1; ; attempt++) {
      const stored = await this.store.readStream(decision.streamId);
      const revision = stored.length - 1;
      const earlier = this.earlierResult(stored, context, decision.streamId);
      if (earlier) return earlier;
      const history = stored.map((event) => upcastEvent(event) as Event);
      await decision.check?.(history);
      if (context.expectedRevision !== undefined && context.expectedRevision !== revision) {
        throw preconditionFailed(
          `If-Match revision ${context.expectedRevision} does not match the current revision ${revision}`,
        );
      }
      const events = await decision.decide(history);
      if (events.length === 0) return { streamId: decision.streamId, revision, recorded: false, position: 0 };
      try {
        const appended = await this.store.append(
          decision.streamId,
          this.toNewEvents(events, context, decision, revision),
          revision < 0 ? 'no_stream' : revision,
        );
        await this.projections.waitFor(appended.position);
        return {
          streamId: decision.streamId,
          revision: appended.nextRevision,
          recorded: true,
          position: appended.position,
        };
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError)) throw error;
        if (context.expectedRevision !== undefined) {
          throw preconditionFailed(
            `the project changed while this request was handled (now at ${error.actual})`,
          );
        }
        if (attempt >= MAX_ATTEMPTS) {
          throw conflictProblem(
            'too many concurrent writes to this project; retry the request',
            'write-contention',
          );
        }
      }
    }
  }

  /** The result of an earlier request with the same Idempotency-Key from the same caller. */
  private earlierResult(
    stored: RecordedEvent[],
    context: WriteContext,
    streamId: string,
  ): WriteResult | undefined {
    if (!context.idempotencyKey) return undefined;
    const mine = stored.filter(
      (event) =>
        event.metadata.idempotencyKey === context.idempotencyKey &&
        event.metadata.recordedBy === context.caller.sub,
    );
    if (mine.length === 0) return undefined;
    if (mine[0].metadata.requestHash !== context.requestHash) {
      throw conflictProblem(
        'this Idempotency-Key was already used for a different request; use a new key',
        'idempotency-key-reused',
      );
    }
    const last = mine[mine.length - 1];
    return { streamId, revision: last.revision, recorded: true, position: last.position };
  }

  private toNewEvents(
    events: DomainEventShape[],
    context: WriteContext,
    decision: StreamDecision<DomainEventShape>,
    revision: number,
  ): NewEvent[] {
    const metadata: EventMetadata = {
      recordedAt: this.clock.now().toISOString(),
      recordedBy: context.caller.sub,
      role: context.caller.role,
      source: { kind: 'api', requestId: context.requestId },
      correlationId: context.correlationId,
      causationId: context.requestId,
      ...(decision.reason ? { reason: decision.reason } : {}),
      ...(context.idempotencyKey
        ? { idempotencyKey: context.idempotencyKey, requestHash: context.requestHash }
        : {}),
    };
    return events.map((event, index) => ({
      // The request hash is part of the id: only a true retry (same key and body) may be
      // deduplicated by the store; a racing request reusing the key with another body must
      // conflict, retry and be refused as `idempotency-key-reused`, not be reported as done.
      id: context.idempotencyKey
        ? deterministicEventId(
            context.caller.sub,
            context.idempotencyKey,
            context.requestHash,
            decision.streamId,
            revision + 1 + index,
          )
        : randomUUID(),
      type: event.type,
      schemaVersion: CURRENT_SCHEMA_VERSION,
      data: event.data,
      metadata,
    }));
  }
}

/**
 * A retried keyed request produces the same event ids, so a retry that races its original
 * is deduplicated by the store itself (as EventStoreDB does by event id).
 */
export function deterministicEventId(...parts: (string | number)[]): string {
  return uuidFromHash(createHash('sha256').update(parts.join('\u0000')).digest());
}

/** Formats 16 bytes of a hash as an RFC 9562 UUID (version 8: custom). */
export function uuidFromHash(hash: Buffer): string {
  const bytes = Buffer.from(hash.subarray(0, 16));
  bytes[6] = (bytes[6] & 0x0f) | 0x80;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function upcastEvent(event: RecordedEvent): DomainEventShape {
  const { type, data } = upcast(
    { type: event.type, schemaVersion: event.schemaVersion, data: event.data },
    DOMAIN_UPCASTERS,
  );
  return { type, data };
}
