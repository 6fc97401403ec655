import { SqliteEventStore } from '@app/event-store';
import {
  DEFAULT_NOTIFICATION_SETTINGS,
  LifecycleReadModel,
  NotificationContent,
  composeNotification,
  contentHashOf,
} from '@app/projections';
import { ensureHistory } from '../lib/history';
import { Measurement } from '../lib/report';
import { now, round, summarise } from '../lib/stats';

export interface NotificationOptions {
  cacheDir: string;
  events: number;
  zones: number;
  projects: number;
}

/** Province scale (issue 4): 100 zones, 5,000 projects, ~45k events over three years. */
export const DEFAULT_NOTIFICATION_OPTIONS: Omit<NotificationOptions, 'cacheDir'> = {
  events: 45_000,
  zones: 100,
  projects: 5_000,
};

/**
 * Issues the twelve notifications of 2024 in order, each with the previous one, the way the
 * API does (compose from the caught-up model, then hash the canonical JSON).
 */
export async function runNotification(options: NotificationOptions): Promise<Measurement[]> {
  const history = await ensureHistory(
    options.cacheDir,
    { events: options.events, zones: options.zones, projects: options.projects, seed: 4 },
    (line) => console.log(`  ${line}`),
  );
  const store = SqliteEventStore.open({ file: history.file });
  const model = new LifecycleReadModel();
  try {
    for (let after = 0; ;) {
      const page = await store.readAll({ after, limit: 10_000 });
      if (page.length === 0) break;
      model.apply(page);
      after = page[page.length - 1].position;
    }
  } finally {
    await store.close();
  }
  const settings = {
    ...history,
    events: model.eventCount,
    projects: model.projects.size,
    zones: model.zones.size,
  };
  const samples: number[] = [];
  let previous: NotificationContent | undefined;
  const started = now();
  for (let month = 1; month <= 12; month++) {
    const t0 = now();
    const content = composeNotification(model, {
      month: `2024-${String(month).padStart(2, '0')}`,
      issue: month,
      knownAt: new Date(Date.UTC(2024, month, 1, 2)).toISOString(),
      knownThroughPosition: model.position,
      settings: DEFAULT_NOTIFICATION_SETTINGS,
      previous,
    });
    contentHashOf(content);
    samples.push(now() - t0);
    previous = content;
  }
  const totalMs = now() - started;
  const latency = summarise(samples);
  const common = { part: 'notification', settings };
  return [
    {
      ...common,
      name: 'issue 12 monthly notifications (total)',
      value: round(totalMs),
      unit: 'ms',
      target: 'seconds, not minutes',
      met: totalMs < 60_000,
    },
    { ...common, name: 'one monthly notification p50', value: round(latency.p50Ms, 1), unit: 'ms' },
    { ...common, name: 'one monthly notification p99', value: round(latency.p99Ms, 1), unit: 'ms' },
  ];
}
