import { createHash } from 'node:crypto';
import { v7 as timeOrderedUuid } from 'uuid';
import { CURRENT_SCHEMA_VERSION, DOMAIN_UPCASTERS, upcast } from '@app/domain';
import {
  EventMetadata,
  EventStore,
  NewEvent,
  RecordedEvent,
  WrongExpectedRevisionError,
} from '@app/event-store';
import { Clock } from './clock';
import { CommandContext, CommandResult } from './command-context';
import { IdempotencyKeyReusedError, RevisionMismatchError, WriteContentionError } from './application-errors';
import { Awaitable, andThen } from './awaitable';
import { StreamStateCache } from './stream-state-cache';

export interface DomainEventShape {
  type: string;
  data: unknown;
}

/** How a stream's events become a state, and a command on that state becomes new events. */
export interface Decider<Command, State, Event extends DomainEventShape> {
  initialState(): State;
  evolve(state: State, event: Event): State;
  /**
   * Checks that answer before the expected revision is looked at (RFC 9110 §13.2.1:
   * preconditions are ignored when the request would fail anyway): the resource exists,
   * the caller may write it.
   */
  check?(command: Command, state: State): void | Promise<void>;
  /** The domain's decision; throws DomainError when a rule is broken. */
  decide(command: Command, state: State): Event[] | Promise<Event[]>;
  /** The reason to store in metadata (corrections, retractions, terminations). */
  reasonOf?(command: Command): string | undefined;
}

/** How a stream's events become a state: what reading a stream needs of a decider. */
export type Fold<State, Event extends DomainEventShape> = Pick<
  Decider<never, State, Event>,
  'initialState' | 'evolve'
>;

export interface HandleCommandOptions {
  clock: Clock;
  /** States kept between commands (checked against the stream's revision before use). */
  states?: StreamStateCache;
  /** How long a key stays bound to its first request (IDEMPOTENCY_RETENTION_DAYS). */
  idempotencyRetentionDays?: number;
  /**
   * Metadata built once per context and reason and shared by the events of its commands: for
   * a batch decided as of one instant (an import row's sign, listing and milestones carry the
   * same metadata), so that the store serialises it once. A single write builds its own.
   */
  metadataOnce?: MetadataOnce;
}

/** What `HandleCommandOptions.metadataOnce` keeps: the metadata of each context, by reason. */
export type MetadataOnce = WeakMap<CommandContext, Map<string | undefined, EventMetadata>>;

/** How often a command is retried when another write to the same stream won the race. */
const MAX_ATTEMPTS = 8;

/** A stream as the command path reads it: its events folded into a state, and its revision. */
export interface StreamState<State> {
  streamId: string;
  /** Revision of the stream's last event (-1: no stream). */
  revision: number;
  state: State;
  /** The stored events, where an idempotency key's earlier result is found. */
  recorded: readonly RecordedEvent[];
}

/** What a command decides on a stream's state, before anything is written. */
export type Decision<Event> =
  | { earlier: CommandResult }
  | {
      /** The domain's new facts (none when the command repeats what is recorded). */
      events: Event[];
      /** The same facts as the store appends them, with their ids and metadata. */
      toAppend: NewEvent[];
    };

/**
 * Reads a stream and folds it (upcast first) into the decider's state; with a cache, the
 * kept state when the stream is still at its revision (then only the revision is read).
 */
export async function readStreamState<State, Event extends DomainEventShape>(
  store: EventStore,
  streamId: string,
  fold: Fold<State, Event>,
  states?: StreamStateCache,
): Promise<StreamState<State>> {
  const kept = states?.get<State>(streamId, fold.evolve);
  if (kept && (await store.streamRevision(streamId)) === kept.revision) {
    return { streamId, revision: kept.revision, state: kept.state, recorded: kept.keyed };
  }
  const stream = foldStream(streamId, await store.readStream(streamId), fold);
  states?.keep(streamId, fold.evolve, { ...stream, keyed: keyedEvents(stream.recorded) });
  return stream;
}

/** A stream's events, as read, folded (upcast first) into the decider's state. */
export function foldStream<State, Event extends DomainEventShape>(
  streamId: string,
  recorded: readonly RecordedEvent[],
  fold: Fold<State, Event>,
): StreamState<State> {
  const state = recorded.reduce(
    (current, event) => fold.evolve(current, upcastEvent(event) as Event),
    fold.initialState(),
  );
  return { streamId, revision: recorded.length - 1, state, recorded };
}

/** The events that can hold an earlier result: those written with an idempotency key. */
function keyedEvents(recorded: readonly RecordedEvent[]): RecordedEvent[] {
  return recorded.filter((event) => event.metadata.idempotencyKey !== undefined);
}

/**
 * The deciding half of the command path, shared by a single write and a batch (an import):
 * an idempotency key's earlier result, the decider's checks, the expected revision, the
 * decision and the events' metadata. Writes nothing.
 */
export function decideCommand<Command, State, Event extends DomainEventShape>(
  stream: StreamState<State>,
  decider: Decider<Command, State, Event>,
  command: Command,
  context: CommandContext,
  { clock, metadataOnce }: HandleCommandOptions,
): Awaitable<Decision<Event>> {
  const { streamId, revision, state } = stream;
  const earlier = earlierResult(stream.recorded, context, streamId);
  if (earlier) return { earlier };
  // Synchronous unless the decider needs I/O (a batch's zones and rounds are read once).
  return andThen(decider.check?.(command, state), () => {
    if (context.expectedRevision !== undefined && !revisionMatches(context.expectedRevision, revision)) {
      throw new RevisionMismatchError(mismatchText(context.expectedRevision, revision));
    }
    return andThen(decider.decide(command, state), (events): Decision<Event> => {
      if (events.length === 0) return { events, toAppend: [] };
      const reason = decider.reasonOf?.(command);
      const metadata = metadataOnce
        ? sharedMetadataOf(metadataOnce, context, clock, reason)
        : metadataOf(context, clock, reason);
      return { events, toAppend: toNewEvents(events, context, metadata, streamId, revision) };
    });
  });
}

/**
 * The command path: read the stream → upcast → fold → decide → append with the expected
 * revision. Retries on a concurrent write unless the caller pinned a revision; replays an
 * earlier result for a repeated idempotency key.
 */
export async function handleCommand<Command, State, Event extends DomainEventShape>(
  store: EventStore,
  streamId: string,
  decider: Decider<Command, State, Event>,
  command: Command,
  context: CommandContext,
  options: HandleCommandOptions,
): Promise<CommandResult> {
  const { states } = options;
  await claimIdempotencyKey(store, context, options);
  for (let attempt = 1; ; attempt++) {
    const stream = await readStreamState(store, streamId, decider, states);
    const decision = await decideCommand(stream, decider, command, context, options);
    if ('earlier' in decision) return decision.earlier;
    const { revision } = stream;
    if (decision.toAppend.length === 0) return { streamId, revision, recorded: false, position: 0 };
    try {
      const appended = await store.append(streamId, decision.toAppend, revision < 0 ? 'no_stream' : revision);
      if (states) keepAppended(states, stream, decider, decision.events, appended.nextRevision, context);
      return { streamId, revision: appended.nextRevision, recorded: true, position: appended.position };
    } catch (error) {
      if (!(error instanceof WrongExpectedRevisionError)) throw error;
      states?.forget(streamId);
      // `If-Match: *` holds after a concurrent write too; a pinned revision does not.
      if (context.expectedRevision !== undefined && context.expectedRevision !== '*') {
        throw new RevisionMismatchError({
          zh: `处理请求期间项目已变化（当前版本 ${error.actual}）`,
          en: `the project changed while this request was handled (now at ${error.actual})`,
        });
      }
      if (attempt >= MAX_ATTEMPTS) throw new WriteContentionError();
    }
  }
}

/**
 * The state after a write: the kept one with only the new events folded in. A keyed write's
 * events would have to be kept as recorded (an earlier result): the next command reads them.
 */
function keepAppended<State, Event extends DomainEventShape>(
  states: StreamStateCache,
  stream: StreamState<State>,
  fold: Fold<State, Event>,
  events: Event[],
  nextRevision: number,
  context: CommandContext,
): void {
  // An append deduplicated as a retry of an earlier one may stand at another revision.
  if (context.idempotencyKey || nextRevision !== stream.revision + events.length) {
    states.forget(stream.streamId);
    return;
  }
  const state = events.reduce((current, event) => fold.evolve(current, event), stream.state);
  states.keep(stream.streamId, fold.evolve, { revision: nextRevision, state, keyed: stream.recorded });
}

/**
 * How long a key stays bound to the request it was first used with, whatever that request's
 * outcome (recorded, nothing new, refused), unless configured: README.md "Using the API".
 */
export const IDEMPOTENCY_RETENTION_DAYS = 30;

/** The first instant a key used now-or-later is still bound to its first request. */
export function idempotencyRetainedSince(now: Date, retentionDays = IDEMPOTENCY_RETENTION_DAYS): string {
  return new Date(now.getTime() - retentionDays * 86_400_000).toISOString();
}

/**
 * Records a key's first use store-wide before the command runs, so that a key first used on a
 * refused or no-op request, or on another project, can never carry a different request later.
 */
async function claimIdempotencyKey(
  store: EventStore,
  context: CommandContext,
  { clock, idempotencyRetentionDays }: HandleCommandOptions,
): Promise<void> {
  if (!context.idempotencyKey || !store.rememberIdempotencyKey) return;
  const now = clock.now();
  const first = await store.rememberIdempotencyKey(
    {
      caller: context.caller.sub,
      key: context.idempotencyKey,
      requestHash: context.requestHash,
      usedAt: now.toISOString(),
    },
    idempotencyRetainedSince(now, idempotencyRetentionDays),
  );
  if (first.requestHash !== context.requestHash) throw new IdempotencyKeyReusedError();
}

/** RFC 9110 §13.1.1 with strong comparison: `*` matches any current revision, a list any of its own. */
function revisionMatches(expected: number | readonly number[] | '*', revision: number): boolean {
  if (expected === '*') return revision >= 0;
  return typeof expected === 'number' ? expected === revision : expected.includes(revision);
}

function mismatchText(expected: number | readonly number[] | '*', revision: number) {
  if (expected === '*')
    return { zh: '项目不存在，If-Match: * 不成立', en: 'If-Match: * needs the project to exist' };
  const given = typeof expected === 'number' ? String(expected) : expected.join(', ');
  return given === ''
    ? {
        zh: `If-Match 中没有与当前版本 ${revision} 相符的强 ETag`,
        en: `If-Match has no strong entity tag that could match the current revision ${revision}`,
      }
    : {
        zh: `If-Match 版本 ${given} 与当前版本 ${revision} 不符`,
        en: `If-Match revision ${given} does not match the current revision ${revision}`,
      };
}

/** The result of an earlier request with the same idempotency key from the same caller. */
function earlierResult(
  stored: readonly RecordedEvent[],
  context: CommandContext,
  streamId: string,
): CommandResult | undefined {
  if (!context.idempotencyKey) return undefined;
  const mine = stored.filter(
    (event) =>
      event.metadata.idempotencyKey === context.idempotencyKey &&
      event.metadata.recordedBy === context.caller.sub,
  );
  if (mine.length === 0) return undefined;
  if (mine[0].metadata.requestHash !== context.requestHash) throw new IdempotencyKeyReusedError();
  const last = mine[mine.length - 1];
  return { streamId, revision: last.revision, recorded: true, position: last.position };
}

function sharedMetadataOf(
  once: MetadataOnce,
  context: CommandContext,
  clock: Clock,
  reason: string | undefined,
): EventMetadata {
  let byReason = once.get(context);
  if (!byReason) once.set(context, (byReason = new Map<string | undefined, EventMetadata>()));
  let metadata = byReason.get(reason);
  if (!metadata) byReason.set(reason, (metadata = metadataOf(context, clock, reason)));
  return metadata;
}

function metadataOf(context: CommandContext, clock: Clock, reason: string | undefined): EventMetadata {
  return {
    recordedAt: clock.now().toISOString(),
    recordedBy: context.caller.sub,
    ...(context.caller.name ? { recordedByName: context.caller.name } : {}),
    role: context.caller.role,
    source: context.source ?? { kind: 'api', requestId: context.requestId },
    correlationId: context.correlationId,
    causationId: context.requestId,
    ...(reason ? { reason } : {}),
    ...(context.idempotencyKey
      ? { idempotencyKey: context.idempotencyKey, requestHash: context.requestHash }
      : {}),
  };
}

function toNewEvents(
  events: DomainEventShape[],
  context: CommandContext,
  metadata: EventMetadata,
  streamId: string,
  revision: number,
): NewEvent[] {
  return events.map((event, index) => ({
    // The request hash is part of the id: only a true retry (same key and body) may be
    // deduplicated by the store; a racing request reusing the key with another body must
    // conflict, retry and be refused as `idempotency-key-reused`, not be reported as done.
    id: context.idempotencyKey
      ? deterministicEventId(
          context.caller.sub,
          context.idempotencyKey,
          context.requestHash,
          streamId,
          revision + 1 + index,
        )
      : // Time-ordered (UUIDv7): the store's unique index on event ids then grows at its end
        // instead of at random places (an import's 35,000 inserts ~25 % faster, flat with size).
        timeOrderedUuid(),
    type: event.type,
    schemaVersion: CURRENT_SCHEMA_VERSION,
    data: event.data,
    metadata,
  }));
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

/** A stored event in its current shape. */
export function upcastEvent(event: RecordedEvent): DomainEventShape {
  const { type, data } = upcast(
    { type: event.type, schemaVersion: event.schemaVersion, data: event.data },
    DOMAIN_UPCASTERS,
  );
  return { type, data };
}
