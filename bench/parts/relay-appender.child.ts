/**
 * The writer for the relay's lag measurement, in its own process (like the API next to the
 * relay): appends at a steady rate, `eventsPerAppend` events to one project stream every
 * `eventsPerAppend / rate` seconds (so the rate holds even where one fsync'd append per event
 * cannot), each event carrying the wall-clock time taken just before its append.
 */
import { randomUUID } from 'node:crypto';
import { SqliteEventStore } from '@app/event-store';
import { serveChild } from '../lib/workers';

export interface AppenderTask {
  file: string;
  ratePerSecond: number;
  durationSeconds: number;
  projects: number;
  eventsPerAppend: number;
}

export interface AppenderResult {
  appended: number;
  elapsedMs: number;
}

async function append(task: AppenderTask): Promise<AppenderResult> {
  const store = SqliteEventStore.open({ file: task.file });
  const appends = Math.round((task.ratePerSecond * task.durationSeconds) / task.eventsPerAppend);
  const total = appends * task.eventsPerAppend;
  const interval = (1000 * task.eventsPerAppend) / task.ratePerSecond;
  const start = Date.now();
  try {
    for (let i = 0; i < appends; i++) {
      const due = start + i * interval;
      const wait = due - Date.now();
      if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
      const projectId = `lag${i % task.projects}`;
      const sentAt = Date.now();
      const events = Array.from({ length: task.eventsPerAppend }, (_, j) => ({
        id: randomUUID(),
        type: 'InvestmentProgressReported',
        schemaVersion: 1,
        data: {
          projectId,
          month: '2024-05',
          completedInvestmentWan: i * task.eventsPerAppend + j + 1,
          benchSentAt: sentAt,
        },
        metadata: {
          recordedAt: new Date(sentAt).toISOString(),
          recordedBy: 'officer-1',
          source: { kind: 'api' },
          correlationId: randomUUID(),
          causationId: randomUUID(),
        },
      }));
      await store.append(`project-${projectId}`, events, 'any');
    }
    return { appended: total, elapsedMs: Date.now() - start };
  } finally {
    await store.close();
  }
}

serveChild(append);
