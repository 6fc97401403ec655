import { StalledKind } from '../project-lists';
import { RateKey } from '../rates';

/** What a notification is judged against; captured in every issued notification. */
export interface NotificationSettings {
  /** Target of each rate on its reported basis (fraction 0..1), for the red/amber/green warnings. */
  targets: Record<RateKey, number>;
  /** A project appears in a stalled list (三未) once stuck at least this many days. */
  stalledThresholdDays: Record<StalledKind, number>;
  /** `year`: the cohort is the rounds held in the notification's year; `all`: every round. */
  cohort: 'year' | 'all';
}

export const DEFAULT_NOTIFICATION_SETTINGS: NotificationSettings = {
  targets: { start: 0.9, production: 0.4, statisticsEntry: 0.8, attainment: 0.95, aboveScale: 0.7 },
  stalledThresholdDays: { signedNotStarted: 90, startedNotProducing: 180, producingNotAttained: 180 },
  cohort: 'year',
};

/**
 * Settings from NOTIFICATION_SETTINGS (JSON, any subset of the defaults' shape), merged over
 * the defaults. Throws a readable error for unknown keys or values out of range.
 */
export function parseNotificationSettings(json: string | undefined): NotificationSettings {
  if (!json) return DEFAULT_NOTIFICATION_SETTINGS;
  const given = JSON.parse(json) as Partial<Record<keyof NotificationSettings, unknown>>;
  const settings: NotificationSettings = {
    targets: { ...DEFAULT_NOTIFICATION_SETTINGS.targets },
    stalledThresholdDays: { ...DEFAULT_NOTIFICATION_SETTINGS.stalledThresholdDays },
    cohort: DEFAULT_NOTIFICATION_SETTINGS.cohort,
  };
  for (const [key, value] of Object.entries(given)) {
    if (key === 'cohort') {
      if (value !== 'year' && value !== 'all')
        throw new Error('NOTIFICATION_SETTINGS.cohort must be "year" or "all"');
      settings.cohort = value;
    } else if (key === 'targets' || key === 'stalledThresholdDays') {
      const section = settings[key] as Record<string, number>;
      for (const [name, number] of Object.entries(value as Record<string, unknown>)) {
        const valid =
          key === 'targets'
            ? typeof number === 'number' && number >= 0 && number <= 1
            : Number.isInteger(number) && (number as number) >= 0;
        if (!(name in section) || !valid)
          throw new Error(`NOTIFICATION_SETTINGS.${key}.${name} is unknown or out of range`);
        section[name] = number as number;
      }
    } else {
      throw new Error(`NOTIFICATION_SETTINGS has an unknown key "${key}"`);
    }
  }
  return settings;
}
