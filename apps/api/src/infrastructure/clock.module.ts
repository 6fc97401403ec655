import { DynamicModule, Global, Module } from '@nestjs/common';
import { Clock, SystemClock } from '@app/application';

/** The API's only clock; tests pass a ManualClock. */
@Global()
@Module({})
export class ClockModule {
  static forRoot(clock: Clock = new SystemClock()): DynamicModule {
    return { module: ClockModule, providers: [{ provide: Clock, useValue: clock }], exports: [Clock] };
  }
}
