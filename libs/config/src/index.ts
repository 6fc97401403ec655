export * from './tracker-config';
export * from './kafka-config';
