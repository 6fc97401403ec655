export * from './project-snapshot';
export * from './lifecycle-read-model';
export * from './scope';
export * from './rates';
export * from './lead-times';
export * from './project-lists';
export * from './projection-runner';
export * from './notification';
