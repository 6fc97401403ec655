export * from './tokens';
export * from './tracker-config.module';
export * from './event-store.module';
