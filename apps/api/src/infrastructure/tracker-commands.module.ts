import { Module } from '@nestjs/common';
import { Clock, TrackerCommands } from '@app/application';
import { TrackerConfig } from '@app/config';
import { EventStore } from '@app/event-store';
import { TRACKER_CONFIG } from '@app/platform';

/** libs/application's command path on the API's store and clock. */
@Module({
  providers: [
    {
      provide: TrackerCommands,
      inject: [EventStore, Clock, TRACKER_CONFIG],
      useFactory: (store: EventStore, clock: Clock, config: TrackerConfig) =>
        new TrackerCommands(store, {
          clock,
          utcOffsetMinutes: config.utcOffsetMinutes,
          programmeStartOn: config.programmeStartOn,
        }),
    },
  ],
  exports: [TrackerCommands],
})
export class TrackerCommandsModule {}
