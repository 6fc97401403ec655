/**
 * Events are never rewritten. When an event's shape changes, its schema version goes up
 * and an upcaster turns the stored older shape into the current one on read.
 */
export interface StoredShape {
  type: string;
  schemaVersion: number;
  data: unknown;
}

export interface Upcaster {
  type: string;
  /** The version this upcaster reads; it produces `fromVersion + 1`. */
  fromVersion: number;
  upcast(data: unknown): unknown;
}

/** Applies upcasters in version order until none matches. */
export function upcast(stored: StoredShape, upcasters: readonly Upcaster[]): StoredShape {
  let current = stored;
  for (;;) {
    const next = upcasters.find((u) => u.type === current.type && u.fromVersion === current.schemaVersion);
    if (!next) return current;
    current = {
      type: current.type,
      schemaVersion: current.schemaVersion + 1,
      data: next.upcast(current.data),
    };
  }
}

/** Current schema version of every event type the tracker writes; all start at 1. */
export const CURRENT_SCHEMA_VERSION = 1;

/** No event shape has changed yet; upcasters are added here when one does. */
export const DOMAIN_UPCASTERS: readonly Upcaster[] = [];
