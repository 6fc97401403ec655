export * from './cells';
export * from './columns';
export * from './import-issue';
export * from './read-spreadsheet';
export * from './parse-rows';
export * from './plan-import';
export * from './run-import';
export * from './template';
