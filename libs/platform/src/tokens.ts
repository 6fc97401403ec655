/** DI token of the parsed TrackerConfig. */
export const TRACKER_CONFIG = Symbol('TRACKER_CONFIG');
