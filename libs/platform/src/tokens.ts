/** DI token of the parsed TrackerConfig. */
export const TRACKER_CONFIG = Symbol('TRACKER_CONFIG');

/**
 * DI token of an optional EventStoreObserver (logs, metrics) the store is opened with; the
 * API's observability module provides one, the relay none.
 */
export const STORE_OBSERVER = Symbol('STORE_OBSERVER');

/** DI token of the IntegrityOptions a store is checked with before the process serves (EventStoreModule.forRoot). */
export const STORE_INTEGRITY = Symbol('STORE_INTEGRITY');
