import { StalledKind } from '../project-lists';
import { RATE_DEFINITIONS, RATE_KEYS, REPORTED_BASES, RateKey, ReportedBasis } from '../rates';

/**
 * `programme`: every round held on or before the notification's date ("2022年以来", as the
 * reports count); `year`: the rounds held in the notification's year.
 */
export const NOTIFICATION_COHORTS = ['programme', 'year'] as const;
export type NotificationCohortKind = (typeof NOTIFICATION_COHORTS)[number];

/** What a notification is judged against; captured in every issued notification. */
export interface NotificationSettings {
  /** Target of each rate on its reported basis (fraction 0..1), for the red/amber/green warnings. */
  targets: Record<RateKey, number>;
  /** A project appears in a stalled list (三未) once stuck at least this many days. */
  stalledThresholdDays: Record<StalledKind, number>;
  cohort: NotificationCohortKind;
  /** The basis each rate is quoted on (the figure, its rank, change and warning use it). */
  basis: Record<RateKey, ReportedBasis>;
}

const DEFAULT_BASIS = Object.fromEntries(
  RATE_KEYS.map((key) => [key, RATE_DEFINITIONS[key].reported]),
) as Record<RateKey, ReportedBasis>;

export const DEFAULT_NOTIFICATION_SETTINGS: NotificationSettings = {
  targets: { start: 0.9, production: 0.4, statisticsEntry: 0.8, attainment: 0.95, aboveScale: 0.7 },
  stalledThresholdDays: { signedNotStarted: 90, startedNotProducing: 180, producingNotAttained: 180 },
  cohort: 'programme',
  basis: DEFAULT_BASIS,
};

/** `all` is the earlier spelling of `programme`. */
const cohortKind = (value: unknown): NotificationCohortKind | undefined =>
  value === 'all' ? 'programme' : NOTIFICATION_COHORTS.find((kind) => kind === value);

/**
 * The settings an issued notification was composed with, as recorded in it. Issues recorded
 * before the cohort and the basis were settings were composed with the year's cohort and each
 * rate's reported basis.
 */
export function settingsOfIssue(recorded: Partial<NotificationSettings>): NotificationSettings {
  return {
    targets: { ...DEFAULT_NOTIFICATION_SETTINGS.targets, ...recorded.targets },
    stalledThresholdDays: {
      ...DEFAULT_NOTIFICATION_SETTINGS.stalledThresholdDays,
      ...recorded.stalledThresholdDays,
    },
    cohort: cohortKind(recorded.cohort) ?? 'year',
    basis: { ...DEFAULT_BASIS, ...recorded.basis },
  };
}

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
    basis: { ...DEFAULT_BASIS },
  };
  for (const [key, value] of Object.entries(given)) {
    if (key === 'cohort') {
      const kind = cohortKind(value);
      if (!kind) throw new Error('NOTIFICATION_SETTINGS.cohort must be "programme" or "year"');
      settings.cohort = kind;
    } else if (key === 'targets' || key === 'stalledThresholdDays' || key === 'basis') {
      const section = settings[key] as Record<string, unknown>;
      for (const [name, setting] of Object.entries(value as Record<string, unknown>)) {
        const valid =
          key === 'targets'
            ? typeof setting === 'number' && setting >= 0 && setting <= 1
            : key === 'basis'
              ? (REPORTED_BASES as readonly unknown[]).includes(setting)
              : Number.isInteger(setting) && (setting as number) >= 0;
        if (!(name in section) || !valid)
          throw new Error(`NOTIFICATION_SETTINGS.${key}.${name} is unknown or out of range`);
        section[name] = setting;
      }
    } else {
      throw new Error(`NOTIFICATION_SETTINGS has an unknown key "${key}"`);
    }
  }
  return settings;
}
