export * from './cloud-events';
export * from './message-publisher.port';
export * from './event-relay';
export * from './kafka-publisher';
export * from './kafka-leadership';
export * from './relay-health';
