import { LifecycleReadModel } from './lifecycle-read-model';
import { HistoryBuilder } from './testing/history-builder';

describe('LifecycleReadModel checkpoints', () => {
  it('applies every event of a transaction that shares one position, once, and resumes inside it', () => {
    // given: a project signed and started in one EventStoreDB transaction (one commit
    // position, three prepare positions), as an older TCP client wrote it
    const history = new HistoryBuilder()
      .zone({ id: 'z1' })
      .sign('a', 'z1', 100)
      .reach('a', 'construction-started', '2023-03-01')
      .reach('a', 'production-started', '2023-09-01').events;
    const commit = 9_000;
    const [zone, ...transaction] = history;
    const events = [
      zone,
      ...transaction.map((event, i) => ({ ...event, position: commit, preparePosition: 8_000 + i * 100 })),
    ];
    const model = new LifecycleReadModel();

    // when: applied in two batches that split the transaction, then delivered again
    model.apply(events.slice(0, 2));
    expect(model.checkpoint).toEqual({ after: commit, afterPrepare: 8_000 });
    model.apply(events.slice(2));
    model.apply(events);

    // then
    expect(model.eventCount).toBe(4);
    expect(model.position).toBe(commit);
    expect(model.checkpoint).toEqual({ after: commit, afterPrepare: 8_200 });
    expect(model.projects.get('a')?.facts).toHaveLength(3);
  });
});
