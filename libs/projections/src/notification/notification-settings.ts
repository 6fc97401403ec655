import { ZONE_CATEGORIES, Zone, ZoneCategory } from '@app/domain';
import { StalledKind } from '../project-lists';
import { DEFAULT_LIGHT_RULES, LightRules } from '../project-lights';
import { RATE_DEFINITIONS, RATE_KEYS, REPORTED_BASES, RateKey, ReportedBasis } from '../rates';

/**
 * `programme`: every round held on or before the notification's date ("2022年以来", as the
 * reports count); `year`: the rounds held in the notification's year.
 */
export const NOTIFICATION_COHORTS = ['programme', 'year'] as const;
export type NotificationCohortKind = (typeof NOTIFICATION_COHORTS)[number];

/** The five rates and 投资完成率 (`investment`) have targets. */
export const TARGET_KEYS = [...RATE_KEYS, 'investment'] as const;
export type TargetKey = (typeof TARGET_KEYS)[number];
/** Targets by the end of Q1, Q2, Q3 and Q4 (fractions 0..1): stepped, as the province sets them. */
export type QuarterlyTargets = [number, number, number, number];
export type TargetSet = Record<TargetKey, QuarterlyTargets>;

/** What a notification is judged against; captured in every issued notification. */
export interface NotificationSettings {
  /** Quarterly targets of each rate (on its basis) and of 投资完成率, for the warnings. */
  targets: TargetSet;
  /** Overrides per zone category, then per zone (the most specific applies). */
  targetsByZoneCategory: Partial<Record<ZoneCategory, Partial<TargetSet>>>;
  targetsByZone: Record<string, Partial<TargetSet>>;
  /** Amber down to this many points (fraction) below the quarter's target; red below that. */
  amberMargin: number;
  /** A project appears in a stalled list (三未) once stuck at least this many days. */
  stalledThresholdDays: Record<StalledKind, number>;
  cohort: NotificationCohortKind;
  /** The basis each rate is quoted on (the figure, its rank, change and warning use it). */
  basis: Record<RateKey, ReportedBasis>;
  /** The rule set of the per-project lights (红黄绿灯). */
  lights: LightRules;
}

const DEFAULT_BASIS = Object.fromEntries(
  RATE_KEYS.map((key) => [key, RATE_DEFINITIONS[key].reported]),
) as Record<RateKey, ReportedBasis>;

const flat = (target: number): QuarterlyTargets => [target, target, target, target];

/**
 * The programme's rates are cumulative (they do not restart in January), so their default
 * targets are flat; 投资完成率 restarts every year and steps to "双过半" (half by mid-year).
 */
export const DEFAULT_NOTIFICATION_SETTINGS: NotificationSettings = {
  targets: {
    start: flat(0.9),
    production: flat(0.4),
    statisticsEntry: flat(0.8),
    attainment: flat(0.95),
    aboveScale: flat(0.7),
    investment: [0.25, 0.5, 0.75, 1],
  },
  targetsByZoneCategory: {},
  targetsByZone: {},
  amberMargin: 0.1,
  stalledThresholdDays: { signedNotStarted: 90, startedNotProducing: 180, producingNotAttained: 180 },
  cohort: 'programme',
  basis: DEFAULT_BASIS,
  lights: DEFAULT_LIGHT_RULES,
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
  const targets = { ...DEFAULT_NOTIFICATION_SETTINGS.targets };
  for (const [key, value] of Object.entries(recorded.targets ?? {}) as [TargetKey, unknown][])
    targets[key] = typeof value === 'number' ? flat(value) : (value as QuarterlyTargets);
  return {
    targets,
    targetsByZoneCategory: recorded.targetsByZoneCategory ?? {},
    targetsByZone: recorded.targetsByZone ?? {},
    amberMargin: recorded.amberMargin ?? DEFAULT_NOTIFICATION_SETTINGS.amberMargin,
    stalledThresholdDays: {
      ...DEFAULT_NOTIFICATION_SETTINGS.stalledThresholdDays,
      ...recorded.stalledThresholdDays,
    },
    cohort: cohortKind(recorded.cohort) ?? 'year',
    basis: { ...DEFAULT_BASIS, ...recorded.basis },
    lights: recorded.lights ?? DEFAULT_LIGHT_RULES,
  };
}

/** The target of a zone for D's quarter: per zone, else per zone category, else the default. */
export function targetFor(
  settings: NotificationSettings,
  zone: Zone | undefined,
  key: TargetKey,
  quarter: number,
) {
  const steps =
    (zone && settings.targetsByZone[zone.id]?.[key]) ??
    (zone && settings.targetsByZoneCategory[zone.category]?.[key]) ??
    settings.targets[key];
  return steps[quarter - 1];
}

const isFraction = (value: unknown) => typeof value === 'number' && value >= 0 && value <= 1;

/** A target as given: one fraction for every quarter, or four (Q1..Q4). */
function quarterly(value: unknown, where: string): QuarterlyTargets {
  if (isFraction(value)) return flat(value as number);
  if (Array.isArray(value) && value.length === 4 && value.every(isFraction)) return value as QuarterlyTargets;
  throw new Error(`NOTIFICATION_SETTINGS.${where} must be a fraction 0..1 or four of them (Q1..Q4)`);
}

function targetSet(value: unknown, where: string): Partial<TargetSet> {
  const set: Partial<TargetSet> = {};
  for (const [name, given] of Object.entries(value as Record<string, unknown>)) {
    if (!(TARGET_KEYS as readonly string[]).includes(name))
      throw new Error(`NOTIFICATION_SETTINGS.${where}.${name} is unknown`);
    set[name as TargetKey] = quarterly(given, `${where}.${name}`);
  }
  return set;
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
    targetsByZoneCategory: {},
    targetsByZone: {},
    amberMargin: DEFAULT_NOTIFICATION_SETTINGS.amberMargin,
    stalledThresholdDays: { ...DEFAULT_NOTIFICATION_SETTINGS.stalledThresholdDays },
    cohort: DEFAULT_NOTIFICATION_SETTINGS.cohort,
    basis: { ...DEFAULT_BASIS },
    lights: structuredClone(DEFAULT_LIGHT_RULES),
  };
  for (const [key, value] of Object.entries(given)) {
    if (key === 'cohort') {
      const kind = cohortKind(value);
      if (!kind) throw new Error('NOTIFICATION_SETTINGS.cohort must be "programme" or "year"');
      settings.cohort = kind;
    } else if (key === 'targets') {
      Object.assign(settings.targets, targetSet(value, 'targets'));
    } else if (key === 'targetsByZoneCategory' || key === 'targetsByZone') {
      for (const [name, set] of Object.entries(value as Record<string, unknown>)) {
        if (key === 'targetsByZoneCategory' && !(ZONE_CATEGORIES as readonly string[]).includes(name))
          throw new Error(`NOTIFICATION_SETTINGS.targetsByZoneCategory.${name} is not a zone category`);
        (settings[key] as Record<string, Partial<TargetSet>>)[name] = targetSet(set, `${key}.${name}`);
      }
    } else if (key === 'lights') {
      for (const [kind, rule] of Object.entries(value as Record<string, unknown>)) {
        const section = (settings.lights as unknown as Record<string, Record<string, number> | undefined>)[
          kind
        ];
        if (!section) throw new Error(`NOTIFICATION_SETTINGS.lights.${kind} is unknown`);
        for (const [name, setting] of Object.entries(rule as Record<string, unknown>)) {
          const valid = name.endsWith('PointsBelow')
            ? isFraction(setting)
            : Number.isInteger(setting) && (setting as number) >= 0;
          if (!(name in section) || !valid)
            throw new Error(`NOTIFICATION_SETTINGS.lights.${kind}.${name} is unknown or out of range`);
          section[name] = setting as number;
        }
      }
    } else if (key === 'amberMargin') {
      if (!isFraction(value)) throw new Error('NOTIFICATION_SETTINGS.amberMargin must be a fraction 0..1');
      settings.amberMargin = value as number;
    } else if (key === 'stalledThresholdDays' || key === 'basis') {
      const section = settings[key] as Record<string, unknown>;
      for (const [name, setting] of Object.entries(value as Record<string, unknown>)) {
        const valid =
          key === 'basis'
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
