import { localDateAt, LocalDate } from '@app/domain';

/** The only place the API reads the time; tests replace it. */
export abstract class Clock {
  abstract now(): Date;
}

export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}

export function todayIn(clock: Clock, utcOffsetMinutes: number): LocalDate {
  return localDateAt(clock.now(), utcOffsetMinutes);
}
