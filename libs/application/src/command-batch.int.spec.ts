import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { conflict } from '@app/domain';
import { SqliteEventStore, WrongExpectedRevisionError } from '@app/event-store';
import { InMemoryEventStore } from '@app/event-store/testing';
import { AtomicAppendUnsupportedError, CommandBatch } from './command-batch';
import { Clock } from './clock';
import { CommandContext } from './command-context';
import { Decider, handleCommand } from './handle-command';

const clock: Clock = { now: () => new Date('2023-03-01T02:00:00.000Z') };

const context = (row: number): CommandContext => ({
  caller: { sub: 'admin-1', role: 'admin', zones: [], cities: [] },
  requestId: 'import-1',
  correlationId: 'import-1',
  requestHash: 'sha',
  source: { kind: 'import', file: 'a.csv', sha256: 'sha', row },
});

/** A tally stream: each new label adds a mark, a repeated one adds nothing, a fourth mark is refused. */
type Mark = { type: 'Marked'; data: { label: string } };
const tally: Decider<string, string[], Mark> = {
  initialState: () => [],
  evolve: (labels, event) => [...labels, event.data.label],
  decide: (label, labels) => {
    if (labels.includes(label)) return [];
    if (labels.length >= 3)
      throw conflict('tally-full', { zh: '三个标记已足够', en: 'three marks are enough' });
    return [{ type: 'Marked', data: { label } }];
  },
};

describe('a command batch (the command path of an import)', () => {
  let dir: string;
  let store: SqliteEventStore;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'plt-batch-'));
    store = SqliteEventStore.open({ file: join(dir, 'events.sqlite') });
  });

  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("gives one context's commands one metadata, stored for each event as a single write stores it", async () => {
    // given: one row's context for two streams' commands, another row's for a third
    const batch = new CommandBatch(store, { clock });
    const row = context(7);
    await batch.decide('tally-1', tally, 'a', row);
    await batch.decide('tally-2', tally, 'b', row);
    await batch.decide('tally-3', tally, 'c', context(8));
    // when
    await batch.commit();
    // then: the same metadata a single write records, once per event
    await handleCommand(store, 'tally-4', tally, 'd', context(7), { clock });
    const [first, second, third, single] = await store.readAll();
    expect(first.metadata).toEqual(single.metadata);
    expect(second.metadata).toEqual(single.metadata);
    expect(third.metadata).toEqual({ ...single.metadata, source: { ...single.metadata.source, row: 8 } });
  });

  it('decides each command on the state the earlier ones leave, and writes nothing before the commit', async () => {
    // given: the stream holds one mark
    await handleCommand(store, 'tally-1', tally, 'a', context(0), { clock });
    const batch = new CommandBatch(store, { clock });
    // when
    const decided = [
      await batch.decide('tally-1', tally, 'b', context(3)),
      await batch.decide('tally-1', tally, 'b', context(4)),
      await batch.decide('tally-2', tally, 'x', context(5)),
    ];
    // a stream already read is decided at once: a refusal may be thrown, not rejected
    const refused = (async () => {
      await batch.decide('tally-1', tally, 'c', context(6));
      await batch.decide('tally-1', tally, 'd', context(7));
    })();
    // then
    expect(decided.map((events) => events.length)).toEqual([1, 0, 1]);
    await expect(refused).rejects.toMatchObject({ code: 'tally-full' });
    expect(await batch.stateOf('tally-1', tally)).toEqual(['a', 'b', 'c']);
    expect(batch.eventCount).toBe(3);
    expect((await store.readStream('tally-1')).length).toBe(1);
    expect(await store.readStream('tally-2')).toEqual([]);
  });

  it('appends every decided event in one atomic append, with each command’s metadata', async () => {
    // given
    await handleCommand(store, 'tally-1', tally, 'a', context(0), { clock });
    const batch = new CommandBatch(store, { clock });
    await batch.decide('tally-1', tally, 'b', context(3));
    await batch.decide('tally-2', tally, 'x', context(4));
    // when
    const position = await batch.commit();
    // then
    const written = await store.readAll({ after: 1 });
    expect(written.map((event) => [event.streamId, event.revision, event.data])).toEqual([
      ['tally-1', 1, { label: 'b' }],
      ['tally-2', 0, { label: 'x' }],
    ]);
    expect(written[1].metadata).toEqual({
      recordedAt: '2023-03-01T02:00:00.000Z',
      recordedBy: 'admin-1',
      role: 'admin',
      source: { kind: 'import', file: 'a.csv', sha256: 'sha', row: 4 },
      correlationId: 'import-1',
      causationId: 'import-1',
    });
    expect(position).toBe(await store.headPosition());
  });

  it('writes none of its events when a stream moved since it was read', async () => {
    // given
    const batch = new CommandBatch(store, { clock });
    await batch.decide('tally-1', tally, 'a', context(3));
    await batch.decide('tally-2', tally, 'x', context(4));
    await handleCommand(store, 'tally-2', tally, 'y', context(0), { clock });
    const head = await store.headPosition();
    // when
    const commit = batch.commit();
    // then
    await expect(commit).rejects.toBeInstanceOf(WrongExpectedRevisionError);
    expect(await store.headPosition()).toBe(head);
    expect(await store.readStream('tally-1')).toEqual([]);
  });

  it('decides on prefetched streams at once, as if it had read each, and commits at the revisions prefetched', async () => {
    // given: one stream with a mark, one without
    await handleCommand(store, 'tally-1', tally, 'a', context(0), { clock });
    const batch = new CommandBatch(store, { clock });
    await batch.prefetch(['tally-1', 'tally-2']);
    // when: decided without I/O (no promise), and a write lands on tally-2 before the commit
    const decided = [
      batch.decide('tally-1', tally, 'b', context(3)),
      batch.decide('tally-2', tally, 'x', context(4)),
    ];
    await handleCommand(store, 'tally-2', tally, 'y', context(0), { clock });
    // then
    expect(decided).toEqual([
      [{ type: 'Marked', data: { label: 'b' } }],
      [{ type: 'Marked', data: { label: 'x' } }],
    ]);
    expect(await batch.stateOf('tally-1', tally)).toEqual(['a', 'b']);
    await expect(batch.commit()).rejects.toBeInstanceOf(WrongExpectedRevisionError);
    expect((await store.readStream('tally-1')).length).toBe(1);
  });

  it('refuses to commit on a store that cannot append atomically', async () => {
    const batch = new CommandBatch(new InMemoryEventStore(), { clock });
    await batch.decide('tally-1', tally, 'a', context(3));
    await expect(batch.commit()).rejects.toBeInstanceOf(AtomicAppendUnsupportedError);
  });
});
