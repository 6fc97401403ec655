import { EventStore, NewEvent, RecordedEvent, StreamAppend } from '@app/event-store';
import { Awaitable, andThen } from './awaitable';
import { CommandContext } from './command-context';
import {
  Decider,
  DomainEventShape,
  Fold,
  HandleCommandOptions,
  StreamState,
  decideCommand,
  foldStream,
  readStreamState,
} from './handle-command';

/** A stream read once by a batch, with the batch's decisions applied to its state. */
interface PendingStream extends StreamState<unknown> {
  /** Revision when read: the expected revision of the batch's append. */
  readRevision: number;
  toAppend: NewEvent[];
}

/** The store cannot append to several streams in one transaction, so a batch cannot promise all or none. */
export class AtomicAppendUnsupportedError extends Error {
  constructor() {
    super('this event store cannot append to several streams atomically');
    this.name = 'AtomicAppendUnsupportedError';
  }
}

/**
 * Commands decided one after another by the command path's own `decideCommand`, each on the
 * state the batch's earlier commands leave (as if they had been applied), and written by
 * `commit` in one atomic append: all of them or none. An import is one batch.
 */
export class CommandBatch {
  private readonly streams = new Map<string, PendingStream>();
  /** Streams read ahead by `prefetch` and not used yet; a prefetched id absent here has no events. */
  private readonly prefetched = new Map<string, readonly RecordedEvent[]>();
  private readonly prefetchedIds = new Set<string>();

  private readonly options: HandleCommandOptions;

  constructor(
    private readonly store: EventStore,
    options: HandleCommandOptions,
  ) {
    // The batch is decided as of one instant, so a context's metadata is the same for each of
    // its commands: built once, serialised once by the store.
    this.options = { ...options, metadataOnce: new WeakMap() };
  }

  /**
   * Reads the streams the batch will decide on in one go (the store's `readStreams`: one query
   * for an import's thousands of projects instead of one each), so that deciding on them
   * needs no I/O. The revisions read here are the ones the commit expects.
   */
  async prefetch(streamIds: readonly string[]): Promise<void> {
    const wanted = streamIds.filter((id) => !this.streams.has(id) && !this.prefetchedIds.has(id));
    if (wanted.length === 0) return;
    const read = await this.store.readStreams(wanted);
    for (const id of wanted) {
      this.prefetchedIds.add(id);
      const events = read.get(id);
      if (events) this.prefetched.set(id, events);
    }
  }

  /** The stream's state with the batch's decisions so far applied (at once once read). */
  stateOf<State, Event extends DomainEventShape>(
    streamId: string,
    fold: Fold<State, Event>,
  ): Awaitable<State> {
    return andThen(this.stream(streamId, fold), (stream) => stream.state as State);
  }

  /**
   * Decides the command on the stream as the batch has left it and keeps its events for the
   * commit. Returns the new facts (none when the command repeats what is known); throws what
   * the command path throws (a broken rule, a refusal), leaving the batch as it was. Answers
   * at once when the stream has been read and the decider needs no I/O.
   */
  decide<Command, State, Event extends DomainEventShape>(
    streamId: string,
    decider: Decider<Command, State, Event>,
    command: Command,
    context: CommandContext,
  ): Awaitable<Event[]> {
    return andThen(this.stream(streamId, decider), (stream) =>
      andThen(
        decideCommand(stream as StreamState<State>, decider, command, context, this.options),
        (decision) => {
          if ('earlier' in decision) return [];
          for (const event of decision.events) stream.state = decider.evolve(stream.state as State, event);
          stream.revision += decision.events.length;
          stream.toAppend.push(...decision.toAppend);
          return decision.events;
        },
      ),
    );
  }

  /** Events decided so far. */
  get eventCount(): number {
    let count = 0;
    for (const stream of this.streams.values()) count += stream.toAppend.length;
    return count;
  }

  /**
   * Appends every decided event in one atomic append, each stream at the revision it was read
   * at: `WrongExpectedRevisionError` (nothing written) when another write came in between.
   * Returns the global position of the last event written (0 when there was nothing to write).
   */
  async commit(): Promise<number> {
    const appends: StreamAppend[] = [...this.streams.values()]
      .filter((stream) => stream.toAppend.length > 0)
      .map((stream) => ({
        streamId: stream.streamId,
        expected: stream.readRevision < 0 ? 'no_stream' : stream.readRevision,
        events: stream.toAppend,
      }));
    if (appends.length === 0) return 0;
    if (!this.store.appendAtomically) throw new AtomicAppendUnsupportedError();
    const results = await this.store.appendAtomically(appends);
    return Math.max(...results.map((result) => result.position));
  }

  private stream<State, Event extends DomainEventShape>(
    streamId: string,
    fold: Fold<State, Event>,
  ): Awaitable<PendingStream> {
    const known = this.streams.get(streamId);
    if (known) return known;
    if (this.prefetchedIds.has(streamId)) {
      const recorded = this.prefetched.get(streamId) ?? [];
      this.prefetched.delete(streamId);
      return this.keep(foldStream(streamId, recorded, fold));
    }
    return readStreamState(this.store, streamId, fold).then((read) => {
      // Another command of the batch may have read it meanwhile: keep its decisions.
      return this.streams.get(streamId) ?? this.keep(read);
    });
  }

  private keep(read: StreamState<unknown>): PendingStream {
    // Only keyed events can hold an earlier result: a batch of thousands of streams
    // need not keep every event it read until the commit.
    const recorded = read.recorded.filter((event) => event.metadata.idempotencyKey !== undefined);
    const stream = { ...read, recorded, readRevision: read.revision, toAppend: [] };
    this.streams.set(read.streamId, stream);
    return stream;
  }
}
