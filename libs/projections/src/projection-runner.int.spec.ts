import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@app/event-store';
import { LifecycleReadModel } from './lifecycle-read-model';
import { ProjectionRunner } from './projection-runner';
import { CurrentRateAggregates, rateTable } from './rates';
import { HistoryBuilder } from './testing/history-builder';

describe('ProjectionRunner over a real SQLite store', () => {
  let dir: string;
  let store: SqliteEventStore;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'plt-runner-'));
    store = SqliteEventStore.open({ file: join(dir, 'events.sqlite') });
    const history = new HistoryBuilder().zone({ id: 'z1' }).round('r1', '2023-02-22');
    for (let i = 0; i < 50; i++) {
      history.sign(`p${i}`, 'z1', 100 + i).list(`p${i}`, 'r1', '2023-02-22', 'signing');
      if (i % 3 === 0) history.reach(`p${i}`, 'construction-started', '2023-04-01');
    }
    for (const event of history.events) {
      await store.append(event.streamId, [event], event.revision === 0 ? 'no_stream' : event.revision - 1);
    }
  });

  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function caughtUpModel(): Promise<{
    model: LifecycleReadModel;
    runner: ProjectionRunner;
    aggregates: CurrentRateAggregates;
  }> {
    const model = new LifecycleReadModel();
    const aggregates = new CurrentRateAggregates(model);
    const runner = new ProjectionRunner(store, model);
    await runner.start();
    return { model, runner, aggregates };
  }

  it('catches up, then follows live appends', async () => {
    const { model, runner, aggregates } = await caughtUpModel();
    expect(model.position).toBe(await store.headPosition());
    expect(rateTable(model, { scope: 'province', asOf: '2023-10-31' }, aggregates).rows[0].start.count).toBe(
      17,
    );
    const extra = new HistoryBuilder().reach('p1', 'construction-started', '2023-05-01').events[0];
    await store.append('project-p1', [extra], 1);
    for (let i = 0; i < 100 && model.position < (await store.headPosition()); i++)
      await new Promise((r) => setTimeout(r, 10));
    expect(rateTable(model, { scope: 'province', asOf: '2023-10-31' }, aggregates).rows[0].start.count).toBe(
      18,
    );
    await runner.stop();
  });

  it('a replay of the same events changes nothing, and a rebuild from the start gives the same answers', async () => {
    const { model, runner, aggregates } = await caughtUpModel();
    const before = rateTable(model, { scope: 'zone', asOf: '2023-10-31' }, aggregates);
    // replayed twice (position guard)
    model.apply(await store.readAll());
    expect(rateTable(model, { scope: 'zone', asOf: '2023-10-31' }, aggregates)).toEqual(before);
    await runner.stop();
    // rebuilt into a fresh model, as after a restart with the same DATA_DIR
    const rebuilt = await caughtUpModel();
    expect(rateTable(rebuilt.model, { scope: 'zone', asOf: '2023-10-31' }, rebuilt.aggregates)).toEqual(
      before,
    );
    await rebuilt.runner.stop();
  });
});
