export * from './application-errors';
export * from './caller';
export * from './clock';
export * from './command-context';
export * from './handle-command';
export * from './reference-data';
export * from './tracker-commands';
export * from './issue-notification';
