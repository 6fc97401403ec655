export * from './canonical-json';
export * from './notification-settings';
export * from './compose-notification';
export * from './notification-verification';
export * from './notification-export';
export * from './notification-input';
