export * from './logger';
export * from './write-log';
export * from './shutdown';
