import { Module } from '@nestjs/common';
import { Clock, TrackerCommands } from '@app/application';
import { TrackerConfig } from '@app/config';
import { EventStore } from '@app/event-store';
import { TRACKER_CONFIG } from '@app/platform';
import { IdempotencyRetention } from './idempotency-retention';

/** libs/application's command path on the API's store and clock, and its keys' retention. */
@Module({
  providers: [
    {
      provide: TrackerCommands,
      inject: [EventStore, Clock, TRACKER_CONFIG],
      useFactory: (store: EventStore, clock: Clock, config: TrackerConfig) =>
        new TrackerCommands(store, {
          clock,
          idempotencyRetentionDays: config.idempotencyRetentionDays,
          utcOffsetMinutes: config.utcOffsetMinutes,
          programmeStartOn: config.programmeStartOn,
        }),
    },
    IdempotencyRetention,
  ],
  exports: [TrackerCommands],
})
export class TrackerCommandsModule {}
