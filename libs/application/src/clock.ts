import { LocalDate, localDateAt } from '@app/domain';

/** The only place commands and queries read the time; tests replace it. */
export abstract class Clock {
  abstract now(): Date;
}

export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}

/** Today's date where the programme runs (TrackerConfig.utcOffsetMinutes). */
export function todayIn(clock: Clock, utcOffsetMinutes: number): LocalDate {
  return localDateAt(clock.now(), utcOffsetMinutes);
}
