import { DomainError, conflict } from '@app/domain';
import { AppendResult, ExpectedRevision, NewEvent } from '@app/event-store';
import { InMemoryEventStore } from '@app/event-store/testing';
import {
  ForbiddenError,
  IdempotencyKeyReusedError,
  RevisionMismatchError,
  UnknownReferenceError,
  WriteContentionError,
} from './application-errors';
import { Caller } from './caller';
import { Clock } from './clock';
import { CommandContext } from './command-context';
import { Decider, deterministicEventId, handleCommand } from './handle-command';
import { TrackerCommands } from './tracker-commands';

class FixedClock extends Clock {
  constructor(private readonly instant: string) {
    super();
  }

  now(): Date {
    return new Date(this.instant);
  }
}

const clock = new FixedClock('2023-03-01T02:00:00.000Z');
const ADMIN: Caller = { sub: 'admin-1', role: 'admin', zones: [], cities: [] };

const context = (overrides: Partial<CommandContext> = {}): CommandContext => ({
  caller: ADMIN,
  requestId: 'request-1',
  correlationId: 'correlation-1',
  requestHash: 'hash-1',
  ...overrides,
});

/** A tally stream: each command adds one mark; a fourth is refused. */
type Mark = { type: 'Marked'; data: { label: string } };
const evolveCalls: number[] = [];
const tally: Decider<string, number, Mark> = {
  initialState: () => 0,
  evolve: (count) => {
    evolveCalls.push(count);
    return count + 1;
  },
  decide: (label, count) => {
    if (count >= 3) throw conflict('tally-full', { zh: '三个标记已足够', en: 'three marks are enough' });
    return [{ type: 'Marked', data: { label } }];
  },
};

/** A store where another writer appends to the stream just before each of our first `races` appends. */
class RacingStore extends InMemoryEventStore {
  appends = 0;

  constructor(private races: number) {
    super();
  }

  override async append(
    streamId: string,
    events: NewEvent[],
    expected: ExpectedRevision,
  ): Promise<AppendResult> {
    this.appends++;
    if (this.races > 0) {
      this.races--;
      const head = (await this.readStream(streamId)).length - 1;
      await super.append(
        streamId,
        [
          {
            id: `rival-${this.appends}`,
            type: 'Marked',
            schemaVersion: 1,
            data: { label: 'rival' },
            metadata: events[0].metadata,
          },
        ],
        head < 0 ? 'no_stream' : head,
      );
    }
    return super.append(streamId, events, expected);
  }
}

describe('handleCommand on the in-memory store (no Nest, no HTTP)', () => {
  beforeEach(() => evolveCalls.splice(0));

  it('reads, folds once, decides and appends with metadata from the context and the clock', async () => {
    const store = new InMemoryEventStore();
    await handleCommand(store, 'tally-1', tally, 'a', context(), { clock });
    evolveCalls.splice(0);
    const result = await handleCommand(store, 'tally-1', tally, 'b', context({ requestId: 'request-2' }), {
      clock,
    });

    expect(result).toEqual({ streamId: 'tally-1', revision: 1, recorded: true, position: 2 });
    expect(evolveCalls).toEqual([0]);
    const [, second] = await store.readStream('tally-1');
    expect(second).toMatchObject({
      type: 'Marked',
      data: { label: 'b' },
      metadata: {
        recordedAt: '2023-03-01T02:00:00.000Z',
        recordedBy: 'admin-1',
        role: 'admin',
        source: { kind: 'api', requestId: 'request-2' },
        correlationId: 'correlation-1',
        causationId: 'request-2',
      },
    });
  });

  it('throws the domain error when a rule is broken, and stores nothing', async () => {
    const store = new InMemoryEventStore();
    for (const label of ['a', 'b', 'c'])
      await handleCommand(store, 'tally-1', tally, label, context(), { clock });

    const refused = handleCommand(store, 'tally-1', tally, 'd', context(), { clock });
    await expect(refused).rejects.toBeInstanceOf(DomainError);
    await expect(refused).rejects.toMatchObject({ code: 'tally-full' });
    expect(await store.readStream('tally-1')).toHaveLength(3);
  });

  it('retries on a concurrent write: re-reads, decides again on the new state and appends', async () => {
    const store = new RacingStore(2);
    await handleCommand(store, 'tally-1', tally, 'a', context(), { clock });

    const labels = (await store.readStream('tally-1')).map(
      (event) => (event.data as { label: string }).label,
    );
    expect(labels).toEqual(['rival', 'rival', 'a']);
    expect(store.appends).toBe(3);
  });

  it('refuses after repeated lost races, and at once when the caller pinned a revision', async () => {
    const unbounded: Decider<string, number, Mark> = {
      ...tally,
      decide: (label) => [{ type: 'Marked', data: { label } }],
    };
    const busy = new RacingStore(Infinity);
    await expect(handleCommand(busy, 'tally-1', unbounded, 'a', context(), { clock })).rejects.toBeInstanceOf(
      WriteContentionError,
    );
    expect(busy.appends).toBe(8);

    const pinned = new RacingStore(1);
    await expect(
      handleCommand(pinned, 'tally-1', tally, 'a', context({ expectedRevision: -1 }), { clock }),
    ).rejects.toThrow(
      new RevisionMismatchError({
        zh: '',
        en: 'the project changed while this request was handled (now at 0)',
      }),
    );
    expect(pinned.appends).toBe(1);
  });

  it('refuses an expected revision that is not the current one before deciding', async () => {
    const store = new InMemoryEventStore();
    await handleCommand(store, 'tally-1', tally, 'a', context(), { clock });

    await expect(
      handleCommand(store, 'tally-1', tally, 'b', context({ expectedRevision: 5 }), { clock }),
    ).rejects.toThrow(
      new RevisionMismatchError({ zh: '', en: 'If-Match revision 5 does not match the current revision 0' }),
    );
  });

  it('gives unkeyed events time-ordered ids (UUIDv7), each later one sorting after the one before', async () => {
    const store = new InMemoryEventStore();
    for (const label of ['a', 'b', 'c'])
      await handleCommand(store, 'tally-1', tally, label, context(), { clock });

    const ids = (await store.readStream('tally-1')).map((event) => event.id);
    expect(ids).toHaveLength(3);
    for (const id of ids)
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(3);
  });

  it('replays a repeated idempotency key: the same result, no second event, deterministic ids', async () => {
    const store = new InMemoryEventStore();
    const keyed = context({ idempotencyKey: 'key-1' });
    const first = await handleCommand(store, 'tally-1', tally, 'a', keyed, { clock });
    const again = await handleCommand(store, 'tally-1', tally, 'a', keyed, { clock });

    expect(again).toEqual(first);
    const stored = await store.readStream('tally-1');
    expect(stored).toHaveLength(1);
    expect(stored[0].id).toBe(deterministicEventId('admin-1', 'key-1', 'hash-1', 'tally-1', 0));
    expect(stored[0].metadata).toMatchObject({ idempotencyKey: 'key-1', requestHash: 'hash-1' });
  });

  it('refuses a key reused with another request', async () => {
    const store = new InMemoryEventStore();
    await handleCommand(store, 'tally-1', tally, 'a', context({ idempotencyKey: 'key-1' }), { clock });

    await expect(
      handleCommand(
        store,
        'tally-1',
        tally,
        'b',
        context({ idempotencyKey: 'key-1', requestHash: 'hash-2' }),
        {
          clock,
        },
      ),
    ).rejects.toBeInstanceOf(IdempotencyKeyReusedError);
    expect(await store.readStream('tally-1')).toHaveLength(1);
  });
});

describe('TrackerCommands: project commands completed from the store and the clock', () => {
  const zone = {
    id: 'jinzhong-kfq',
    name: '晋中开发区',
    cityId: 'jinzhong',
    category: 'industrial',
    level: 'national',
  } as const;
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

  async function commands() {
    const store = new InMemoryEventStore();
    // 18:00 UTC is already the next day at UTC+8
    const tracker = new TrackerCommands(store, {
      clock: new FixedClock('2023-02-21T18:00:00Z'),
      utcOffsetMinutes: 480,
    });
    await tracker.registerZone(zone, context());
    await tracker.registerRound({ id: '2023-r1', heldOn: '2023-02-22' }, context());
    return { store, tracker };
  }

  it("signs and lists a project, loading the round and taking today from the clock's zone", async () => {
    const { store, tracker } = await commands();
    await tracker.executeProject(sign, context());
    const listed = await tracker.executeProject(
      { type: 'ListProject', data: { projectId: 'p1', roundId: '2023-r1', batch: 'signing' } },
      context(),
    );

    expect(listed).toMatchObject({ streamId: 'project-p1', revision: 1, recorded: true });
    expect((await store.readStream('project-p1')).map((event) => event.type)).toEqual([
      'ProjectSigned',
      'ProjectListed',
    ]);
    // today is 2023-02-22 at UTC+8, so a milestone dated the 23rd is in the future
    await expect(
      tracker.executeProject(
        {
          type: 'RecordMilestone',
          data: { projectId: 'p1', milestone: 'construction-started', occurredOn: '2023-02-23' },
        },
        context(),
      ),
    ).rejects.toMatchObject({ kind: 'invalid' });
  });

  it('refuses officers of other zones, unknown zones and rounds, and unsigned projects', async () => {
    const { tracker } = await commands();
    const officer: Caller = { sub: 'o-1', role: 'officer', zones: ['linfen-kfq'], cities: [] };
    await expect(tracker.executeProject(sign, context({ caller: officer }))).rejects.toBeInstanceOf(
      ForbiddenError,
    );
    await expect(
      tracker.executeProject({ ...sign, data: { ...sign.data, zoneId: 'nowhere' } }, context()),
    ).rejects.toMatchObject(UnknownReferenceError.of('zone', 'nowhere', 'zoneId'));
    await expect(
      tracker.registerRound({ id: '2023-r2', heldOn: '2023-05-29', mainVenueZoneId: 'nowhere' }, context()),
    ).rejects.toBeInstanceOf(UnknownReferenceError);
    await expect(
      tracker.executeProject(
        { type: 'ListProject', data: { projectId: 'p2', roundId: '2023-r1', batch: 'signing' } },
        context(),
      ),
    ).rejects.toMatchObject({ kind: 'not-found', code: 'project-not-found' });
    await tracker.executeProject(sign, context());
    await expect(
      tracker.executeProject(
        { type: 'ListProject', data: { projectId: 'p1', roundId: 'no-round', batch: 'signing' } },
        context(),
      ),
    ).rejects.toMatchObject({ errors: [{ field: 'roundId', text: { en: 'unknown round no-round' } }] });
  });
});
