export * from './tracker-config';
