import { EventStore, RecordedEvent } from '@app/event-store';
import { leadTimes } from './lead-times';
import { LifecycleReadModel } from './lifecycle-read-model';
import { listProjects, stalledProjects } from './project-lists';
import { ProjectionRunner } from './projection-runner';
import { rateTable } from './rates';
import { HistoryBuilder } from './testing/history-builder';
import { EventStoreDbEventStore } from '@app/event-store';
import { FakeEventStoreDbServer, InMemoryEventStore } from '@app/event-store/testing';

/** Appends a built history to a store, stream by stream with exact expected revisions. */
async function appendAll(store: EventStore, events: RecordedEvent[]): Promise<void> {
  for (const { streamId, revision, position: _position, ...event } of events) {
    await store.append(streamId, [event], revision === 0 ? 'no_stream' : revision - 1);
  }
}

function history(): HistoryBuilder {
  const builder = new HistoryBuilder()
    .zone({ id: 'z1', cityId: 'c1' })
    .zone({ id: 'z2', cityId: 'c2' })
    .round('r1', '2023-02-22')
    .round('r2', '2023-05-29');
  for (let i = 0; i < 60; i++) {
    const id = `p${i}`;
    builder
      .sign(id, i % 2 ? 'z1' : 'z2', 100 + i, { signedOn: '2023-02-01' })
      .list(id, 'r1', '2023-02-22', 'signing');
    if (i % 3 === 0) builder.reach(id, 'construction-started', '2023-04-01');
    if (i % 6 === 0) builder.list(id, 'r2', '2023-05-29', 'construction');
    if (i % 12 === 0) builder.reach(id, 'production-started', '2023-09-01');
    if (i % 7 === 0) builder.amend(id, { totalInvestmentWan: 1_000 + i });
    if (i === 5) builder.at('2023-11-20T00:00:00Z');
  }
  return builder;
}

/** Every view the API serves, for comparing two models. */
function answers(model: LifecycleReadModel) {
  const asOf = '2023-10-31';
  const knownAt = '2023-06-01T00:00:00Z';
  return {
    rates: (['province', 'city', 'zone'] as const).map((scope) => rateTable(model, { scope, asOf })),
    ratesKnown: rateTable(model, { scope: 'zone', asOf, knownAt }),
    ratesScanned: rateTable(model, { scope: 'zone', asOf, roundIds: ['r2'] }),
    leadTimes: leadTimes(model, { scope: 'zone', asOf }),
    projects: listProjects(model, { asOf, limit: 1_000 }),
    stalled: stalledProjects(model, { asOf, knownAt }),
  };
}

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 2));
  expect(condition()).toBe(true);
}

describe('ProjectionRunner over an EventStore', () => {
  let store: InMemoryEventStore;
  let events: RecordedEvent[];

  beforeEach(async () => {
    store = new InMemoryEventStore({ batchSize: 25 });
    events = history().events;
    await appendAll(store, events);
  });

  afterEach(() => store.close());

  it('catches up from the start (caughtUp, position), then follows live appends', async () => {
    // given
    const model = new LifecycleReadModel();
    const applied: number[] = [];
    const runner = new ProjectionRunner(store, model, { onApplied: (position) => applied.push(position) });
    // when
    void runner.start();
    await runner.caughtUp;
    // then
    expect(runner.position).toBe(await store.headPosition());
    expect(model.eventCount).toBe(events.length);
    expect(applied.length).toBeGreaterThan(1);
    const startCount = () => rateTable(model, { scope: 'province', asOf: '2023-10-31' }).rows[0].start.count;
    expect(startCount()).toBe(20);
    // when a milestone is recorded live
    const live = new HistoryBuilder().reach('p1', 'construction-started', '2023-05-01').events[0];
    await store.append('project-p1', [live], 1);
    // then
    await until(() => runner.position === events.length + 1);
    expect(startCount()).toBe(21);
    await runner.stop();
  });

  it('resumes from the model checkpoint: a second start after stop applies only what is new', async () => {
    const model = new LifecycleReadModel();
    const runner = new ProjectionRunner(store, model);
    await runner.start();
    await runner.stop();
    const extra = new HistoryBuilder().sign('late', 'z1', 5).events[0];
    await store.append('project-late', [extra], 'no_stream');
    await runner.start();
    expect(runner.position).toBe(events.length + 1);
    expect(model.eventCount).toBe(events.length + 1);
    await runner.stop();
  });

  it('answers the same when every batch re-delivers events already applied (position guard)', async () => {
    // given: one store that delivers each event once, one that re-sends 10 events per batch
    const once = new LifecycleReadModel();
    const onceRunner = new ProjectionRunner(store, once);
    await onceRunner.start();
    const redelivering = new InMemoryEventStore({ batchSize: 25, redeliver: 10 });
    await appendAll(redelivering, events);
    const twice = new LifecycleReadModel();
    const twiceRunner = new ProjectionRunner(redelivering, twice);
    await twiceRunner.start();
    // when the whole log is applied once more by hand
    twice.apply(await redelivering.readAll());
    // then
    expect(twice.eventCount).toBe(events.length);
    expect(answers(twice)).toEqual(answers(once));
    await Promise.all([onceRunner.stop(), twiceRunner.stop(), redelivering.close()]);
  });

  it('rebuilds: drops the model, replays from the start, reports events/s, gives identical answers, keeps following', async () => {
    // given
    const model = new LifecycleReadModel();
    const runner = new ProjectionRunner(store, model);
    await runner.start();
    const before = answers(model);
    // when
    const report = await runner.rebuild();
    // then
    expect(report).toMatchObject({ events: events.length, position: events.length });
    expect(report.eventsPerSecond).toBeGreaterThan(0);
    expect(answers(model)).toEqual(before);
    await runner.caughtUp;
    const live = new HistoryBuilder().sign('after-rebuild', 'z1', 5).events[0];
    await store.append('project-after-rebuild', [live], 'no_stream');
    await until(() => model.projects.has('after-rebuild'));
    await runner.stop();
  });

  it('rejects caughtUp when the subscription fails or is stopped before catching up', async () => {
    // given: a model that cannot apply what it is given
    const failing = new ProjectionRunner(store, new LifecycleReadModel(), { onError: () => undefined });
    jest.spyOn(failing.readModel, 'apply').mockImplementation(() => {
      throw new Error('disk on fire');
    });
    await expect(failing.start()).rejects.toThrow('disk on fire');
    // and a runner stopped at once
    const stopped = new ProjectionRunner(store, new LifecycleReadModel());
    void stopped.start();
    await stopped.stop();
    await expect(stopped.caughtUp).rejects.toThrow(/stopped before it caught up/);
  });
});

describe('ProjectionRunner on EventStoreDB through faults (the extended fake server)', () => {
  it('gives the same answers as an undisturbed run when the subscription drops, stalls and is cut off mid-load', async () => {
    // given: the history written to a fake server while the projections follow it live
    const events = history().events;
    const server = new FakeEventStoreDbServer({ sendsCaughtUp: true, maxSubscriptionBuffer: 40 });
    const store = new EventStoreDbEventStore(server.connect(), {
      retryDelayMs: 2,
      maxRetryDelayMs: 10,
      watchdogIntervalMs: 10,
    });
    const model = new LifecycleReadModel();
    const interruptions: unknown[] = [];
    const runner = new ProjectionRunner(store, model, {
      onInterrupted: (error) => interruptions.push(error),
    });
    await runner.start();
    // when: writes go on while the server drops, stalls and goes offline, each fault once the
    // subscription is back from the one before
    const resubscribed = () => until(() => server.subscriptions.size > 0);
    for (const [i, { streamId, revision, position: _position, ...event }] of events.entries()) {
      await store.append(streamId, [event], revision === 0 ? 'no_stream' : revision - 1);
      if (i % 50 === 10) server.dropSubscriptions(new Error('leader changed'));
      if (i % 50 === 25) server.dropSubscriptions();
      if (i % 50 === 40) server.stallSubscriptions();
      if (i === 120) {
        server.goOffline();
        await new Promise((resolve) => setTimeout(resolve, 15));
        server.goOnline();
      }
      if (i % 50 === 12 || i % 50 === 27 || i % 50 === 42 || i === 122) await resubscribed();
    }
    const head = await store.headPosition();
    await until(() => runner.position === head);
    // then: every event applied once, and the same answers as a model fed the log directly
    const undisturbed = new LifecycleReadModel();
    undisturbed.apply(await store.readAll());
    expect(model.eventCount).toBe(events.length);
    expect(answers(model)).toEqual(answers(undisturbed));
    expect(interruptions.length).toBeGreaterThanOrEqual(5);
    await runner.stop();
    await store.close();
  });
});
