/** Test helpers for adapters; imports jest globals, so it is not part of `@app/event-store`. */
export * from './event-store.conformance';
