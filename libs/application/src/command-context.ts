import { EventMetadata } from '@app/event-store';
import { Caller } from './caller';

/** What a command brings besides its data: who, which request, and its preconditions. */
export interface CommandContext {
  caller: Caller;
  requestId: string;
  correlationId: string;
  /** Client key: the same key and request give the same result and no second event. */
  idempotencyKey?: string;
  /** Hash of the request, to tell a retry from a different request reusing a key. */
  requestHash: string;
  /**
   * `If-Match`: the revision the client last saw, the revisions it accepts (a list of strong
   * entity tags; empty when none can match, e.g. only weak ones), or `*`: the project exists.
   */
  expectedRevision?: number | readonly number[] | '*';
  /** Where the command came from; `{ kind: 'api', requestId }` when not given. */
  source?: EventMetadata['source'];
}

export interface CommandResult {
  streamId: string;
  /** Revision of the stream's last event after the write. */
  revision: number;
  /** Whether this command recorded new facts (false: it repeated what was known). */
  recorded: boolean;
  /** Global position of the last event written or found (0 when nothing new). */
  position: number;
}
