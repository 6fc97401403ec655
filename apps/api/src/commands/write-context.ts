import { Caller } from '../auth/caller';

/** What an HTTP write brings besides its body: who, which request, and its preconditions. */
export interface WriteContext {
  caller: Caller;
  requestId: string;
  correlationId: string;
  /** Client key: the same key and body give the same result and no second event. */
  idempotencyKey?: string;
  /** Hash of method, path and body, to tell a retry from a different request reusing a key. */
  requestHash: string;
  /** `If-Match`: the revision the client last saw. */
  expectedRevision?: number;
}

export interface WriteResult {
  streamId: string;
  /** Revision of the stream's last event after the write. */
  revision: number;
  /** Whether this request recorded new facts (false: it repeated what was known). */
  recorded: boolean;
  /** Global position of the last event written or found (0 when nothing new). */
  position: number;
}
