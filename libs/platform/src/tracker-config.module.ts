import { DynamicModule, Global, Module } from '@nestjs/common';
import { TrackerConfig } from '@app/config';
import { TRACKER_CONFIG } from './tokens';

/** The parsed configuration, available everywhere as TRACKER_CONFIG. */
@Global()
@Module({})
export class TrackerConfigModule {
  static forRoot(config: TrackerConfig): DynamicModule {
    return {
      module: TrackerConfigModule,
      providers: [{ provide: TRACKER_CONFIG, useValue: config }],
      exports: [TRACKER_CONFIG],
    };
  }
}
