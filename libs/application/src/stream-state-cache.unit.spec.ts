import fc from 'fast-check';
import { conflict } from '@app/domain';
import { AppendResult, ExpectedRevision, NewEvent, RecordedEvent } from '@app/event-store';
import { InMemoryEventStore } from '@app/event-store/testing';
import { ForbiddenError, IdempotencyKeyReusedError, RevisionMismatchError } from './application-errors';
import { Caller } from './caller';
import { Clock } from './clock';
import { CommandContext, CommandResult } from './command-context';
import { Decider, handleCommand } from './handle-command';
import { StreamStateCache } from './stream-state-cache';
import { TrackerCommands } from './tracker-commands';

const clock: Clock = { now: () => new Date('2023-03-01T02:00:00.000Z') };
const ADMIN: Caller = { sub: 'admin-1', role: 'admin', zones: [], cities: [] };
const context = (overrides: Partial<CommandContext> = {}): CommandContext => ({
  caller: ADMIN,
  requestId: 'request-1',
  correlationId: 'correlation-1',
  requestHash: 'hash-1',
  ...overrides,
});

/** A tally stream: each command adds one mark; a sixth is refused; a repeated label adds nothing. */
type Mark = { type: 'Marked'; data: { label: string } };
type Tally = { count: number; labels: string[] };
let folded = 0;
const tally: Decider<string, Tally, Mark> = {
  initialState: () => ({ count: 0, labels: [] }),
  evolve: (state, event) => {
    folded++;
    return { count: state.count + 1, labels: [...state.labels, event.data.label] };
  },
  decide: (label, state) => {
    if (state.labels.includes(label)) return [];
    if (state.count >= 5) throw conflict('tally-full', { zh: '五个标记已足够', en: 'five marks are enough' });
    return [{ type: 'Marked', data: { label } }];
  },
};

/**
 * Counts whole-stream reads; `rivalBeforeNextAppend` makes another writer append to the
 * stream between our command's read and its append (after the revision check).
 */
class WatchedStore extends InMemoryEventStore {
  streamReads = 0;
  rivalBeforeNextAppend: string | undefined;

  override readStream(streamId: string): Promise<RecordedEvent[]> {
    this.streamReads++;
    return super.readStream(streamId);
  }

  override async append(
    streamId: string,
    events: NewEvent[],
    expected: ExpectedRevision,
  ): Promise<AppendResult> {
    const rival = this.rivalBeforeNextAppend;
    if (rival !== undefined) {
      this.rivalBeforeNextAppend = undefined;
      await this.rivalAppend(streamId, rival);
    }
    return super.append(streamId, events, expected);
  }

  /** Another process's write: not through our command path, so not in our cache. */
  async rivalAppend(streamId: string, label: string): Promise<void> {
    const head = await this.streamRevision(streamId);
    await super.append(
      streamId,
      [{ id: `rival-${label}-${head}`, type: 'Marked', schemaVersion: 1, data: { label }, metadata: META }],
      head < 0 ? 'no_stream' : head,
    );
  }
}

const META = {
  recordedAt: '2023-03-01T01:00:00.000Z',
  recordedBy: 'other-process',
  role: 'admin' as const,
  source: { kind: 'api' as const, requestId: 'rival' },
  correlationId: 'rival',
  causationId: 'rival',
};

const labels = async (store: InMemoryEventStore) =>
  (await store.readStream('tally-1')).map((event) => (event.data as { label: string }).label);

describe('StreamStateCache in the command path', () => {
  beforeEach(() => {
    folded = 0;
  });

  it('decides a write on the kept state: no events read, only the new event folded', async () => {
    const store = new WatchedStore();
    const states = new StreamStateCache();
    await handleCommand(store, 'tally-1', tally, 'a', context(), { clock, states });
    await handleCommand(store, 'tally-1', tally, 'b', context(), { clock, states });
    store.streamReads = 0;
    folded = 0;

    const result = await handleCommand(store, 'tally-1', tally, 'c', context(), { clock, states });

    expect(result).toEqual({ streamId: 'tally-1', revision: 2, recorded: true, position: 3 });
    expect(store.streamReads).toBe(0);
    expect(folded).toBe(1);
    expect(states.get<Tally>('tally-1', tally.evolve)).toMatchObject({
      revision: 2,
      state: { count: 3, labels: ['a', 'b', 'c'] },
    });
  });

  it('makes a kept state unusable once another writer appended: the command reads the stream and decides on what is there', async () => {
    const store = new WatchedStore();
    const states = new StreamStateCache();
    for (const label of ['a', 'b', 'c', 'd'])
      await handleCommand(store, 'tally-1', tally, label, context(), { clock, states });
    await store.rivalAppend('tally-1', 'e');
    store.streamReads = 0;

    // On the kept state (4 marks) 'f' would be accepted; on the stream (5 marks) it is refused.
    await expect(
      handleCommand(store, 'tally-1', tally, 'f', context(), { clock, states }),
    ).rejects.toMatchObject({
      code: 'tally-full',
    });
    expect(store.streamReads).toBe(1);
    // and a repeat of the rival's label is known, not recorded again
    expect(await handleCommand(store, 'tally-1', tally, 'e', context(), { clock, states })).toMatchObject({
      revision: 4,
      recorded: false,
    });
    expect(await labels(store)).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('refuses If-Match on the revision the store has, not the kept one', async () => {
    const store = new WatchedStore();
    const states = new StreamStateCache();
    await handleCommand(store, 'tally-1', tally, 'a', context(), { clock, states });
    await store.rivalAppend('tally-1', 'b');

    await expect(
      handleCommand(store, 'tally-1', tally, 'c', context({ expectedRevision: 0 }), { clock, states }),
    ).rejects.toBeInstanceOf(RevisionMismatchError);
    expect(
      await handleCommand(store, 'tally-1', tally, 'c', context({ expectedRevision: 1 }), { clock, states }),
    ).toMatchObject({ revision: 2, recorded: true });
  });

  it('a write racing ours after the revision check fails our append; the retry reads the stream', async () => {
    const store = new WatchedStore();
    const states = new StreamStateCache();
    await handleCommand(store, 'tally-1', tally, 'a', context(), { clock, states });
    store.rivalBeforeNextAppend = 'rival';
    store.streamReads = 0;

    const result = await handleCommand(store, 'tally-1', tally, 'b', context(), { clock, states });

    expect(result).toMatchObject({ revision: 2, recorded: true });
    expect(store.streamReads).toBe(1);
    expect(await labels(store)).toEqual(['a', 'rival', 'b']);
    expect(states.get<Tally>('tally-1', tally.evolve)?.state.labels).toEqual(['a', 'rival', 'b']);
  });

  it('keeps a keyed write for the next command to read, which then finds its earlier result', async () => {
    const store = new WatchedStore();
    const states = new StreamStateCache();
    const keyed = context({ idempotencyKey: 'k-1' });
    const first = await handleCommand(store, 'tally-1', tally, 'a', keyed, { clock, states });
    const again = await handleCommand(store, 'tally-1', tally, 'a', keyed, { clock, states });

    expect(again).toEqual(first);
    await expect(
      handleCommand(store, 'tally-1', tally, 'b', { ...keyed, requestHash: 'hash-2' }, { clock, states }),
    ).rejects.toBeInstanceOf(IdempotencyKeyReusedError);
    expect(await labels(store)).toEqual(['a']);
  });

  it('answers as the path without a cache for any interleaving of our writes and other writers', async () => {
    type Step =
      | { kind: 'ours'; label: string; key?: string; pinned?: boolean }
      | { kind: 'rival'; label: string }
      | { kind: 'racing'; label: string; rival: string };
    const label = fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g');
    const step: fc.Arbitrary<Step> = fc.oneof(
      fc.record(
        { kind: fc.constant('ours' as const), label, key: fc.constantFrom('k1', 'k2'), pinned: fc.boolean() },
        { requiredKeys: ['kind', 'label'] },
      ),
      fc.record({ kind: fc.constant('rival' as const), label }),
      fc.record({ kind: fc.constant('racing' as const), label, rival: label }),
    );
    const run = async (steps: Step[], states?: StreamStateCache) => {
      const store = new WatchedStore();
      const outcomes: (CommandResult | string)[] = [];
      let seen = -1;
      for (const [index, s] of steps.entries()) {
        if (s.kind === 'rival') {
          await store.rivalAppend('tally-1', s.label);
          continue;
        }
        if (s.kind === 'racing') store.rivalBeforeNextAppend = s.rival;
        const ours = context({
          requestId: `request-${index}`,
          ...(s.kind === 'ours' && s.key ? { idempotencyKey: s.key, requestHash: `hash-${s.label}` } : {}),
          ...(s.kind === 'ours' && s.pinned ? { expectedRevision: seen } : {}),
        });
        try {
          const result = await handleCommand(store, 'tally-1', tally, s.label, ours, { clock, states });
          seen = result.revision;
          outcomes.push(result);
        } catch (error) {
          outcomes.push((error as { code?: string; name: string }).code ?? (error as Error).name);
        }
        store.rivalBeforeNextAppend = undefined;
      }
      const stored = (await store.readStream('tally-1')).map(({ type, data, revision, position }) => ({
        type,
        data,
        revision,
        position,
      }));
      return { outcomes, stored };
    };
    await fc.assert(
      fc.asyncProperty(fc.array(step, { maxLength: 14 }), async (steps) => {
        expect(await run(steps, new StreamStateCache())).toEqual(await run(steps));
      }),
      { numRuns: 150 },
    );
  });

  it('keeps the most recently used streams up to its capacity, and a state only for the fold that made it', () => {
    const states = new StreamStateCache(2);
    const evolve = () => 0;
    states.keep('s-1', evolve, { revision: 0, state: 1, keyed: [] });
    states.keep('s-2', evolve, { revision: 0, state: 2, keyed: [] });
    states.get('s-1', evolve);
    states.keep('s-3', evolve, { revision: 0, state: 3, keyed: [] });

    expect(states.size).toBe(2);
    expect(states.get('s-2', evolve)).toBeUndefined();
    expect(states.get('s-1', evolve)?.state).toBe(1);
    expect(states.get('s-1', () => 1)).toBeUndefined();
    // an older revision does not replace a later one
    states.keep('s-1', evolve, { revision: -1, state: 0, keyed: [] });
    expect(states.get('s-1', evolve)?.revision).toBe(0);
  });
});

describe('TrackerCommands with a cache: two processes writing one project', () => {
  const zone = {
    id: 'jz',
    name: '晋中开发区',
    cityId: 'jinzhong',
    category: 'industrial',
    level: 'national',
  } as const;

  it('each decides on what the other wrote', async () => {
    const store = new InMemoryEventStore();
    const options = { clock, utcOffsetMinutes: 480 };
    const api = new TrackerCommands(store, options);
    const cli = new TrackerCommands(store, options);
    await api.registerZone(zone, context());
    const sign = {
      type: 'SignProject',
      data: {
        projectId: 'p1',
        name: '项目',
        enterprise: 'e',
        zoneId: zone.id,
        totalInvestmentWan: 100_000,
        industrial: true,
        signedOn: '2023-02-22',
      },
    } as const;
    const started = {
      type: 'RecordMilestone',
      data: { projectId: 'p1', milestone: 'construction-started', occurredOn: '2023-02-25' },
    } as const;
    await api.executeProject(sign, context());
    await cli.executeProject(started, context());

    // The API kept the project as signed only; the repeat is known from the stream.
    expect(await api.executeProject(started, context())).toMatchObject({ revision: 1, recorded: false });
    // A zone moved to another city by the CLI: the API's officer of the old city is refused.
    await cli.correctZone(zone.id, { cityId: 'linfen' }, 'moved', context());
    const officer: Caller = { sub: 'o-1', role: 'officer', zones: [], cities: ['jinzhong'] };
    await expect(
      api.executeProject(
        {
          type: 'RecordMilestone',
          data: { projectId: 'p1', milestone: 'production-started', occurredOn: '2023-02-27' },
        },
        context({ caller: officer }),
      ),
    ).rejects.toBeInstanceOf(ForbiddenError);
  });
});
