/**
 * Test helpers, imported as `@app/event-store/testing`: the adapters' conformance suite (it
 * imports jest globals), a store held in memory, a fake EventStoreDB server and a real
 * PostgreSQL server (a throwaway cluster, or TEST_DATABASE_URL's). Never part of
 * `@app/event-store` nor of the build (tsconfig.build.json excludes `testing/`).
 */
export * from './event-store.conformance';
export * from './atomic-append.conformance';
export * from './in-memory-event-store';
export * from './fake-eventstoredb';
export * from './postgres-server';
