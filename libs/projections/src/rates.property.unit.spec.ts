import fc from 'fast-check';
import {
  BATCHES,
  Listing,
  LocalDate,
  MILESTONES,
  Milestone,
  ProjectEvent,
  SignedProject,
  Zone,
  foldProject,
} from '@app/domain';
import { RecordedEvent } from '@app/event-store';
import { LifecycleReadModel } from './lifecycle-read-model';
import { CurrentRateAggregates, END_OF_TIME, RATE_KEYS, RateQuery, rateTable } from './rates';
import { HistoryBuilder } from './testing/history-builder';

/**
 * The read model's views against a reference written separately here, as plainly as
 * possible: take the raw events recorded at or before K, fold each project with the
 * domain's own evolve, and count by the rules of DOMAIN.md.
 */
function referenceTable(events: RecordedEvent[], query: RateQuery) {
  const knownAt = query.knownAt ? Date.parse(query.knownAt) : Infinity;
  const known = events.filter((e) => Date.parse(e.metadata.recordedAt) <= knownAt);
  const zones = new Map<string, Zone>();
  const streams = new Map<string, ProjectEvent[]>();
  for (const e of events) if (e.type === 'ZoneRegistered') zones.set((e.data as Zone).id, e.data as Zone);
  for (const e of known) {
    if (!e.streamId.startsWith('project-')) continue;
    streams.set(e.streamId, [
      ...(streams.get(e.streamId) ?? []),
      { type: e.type, data: e.data } as ProjectEvent,
    ]);
  }
  const rules = {
    start: ['signing', 'construction-started', false],
    production: ['construction', 'production-started', false],
    statisticsEntry: ['construction', 'statistics-entered', false],
    attainment: ['production', 'attained', true],
    aboveScale: ['production', 'enterprise-above-scale', true],
  } as const;
  const inRounds = (l: Listing) =>
    query.roundIds?.length
      ? query.roundIds.includes(l.roundId)
      : query.since
        ? l.heldOn >= query.since
        : true;
  const totals = Object.fromEntries(
    RATE_KEYS.map((k) => [k, { cohortCount: 0, cohortWan: 0, count: 0, wan: 0 }]),
  );
  for (const stream of streams.values()) {
    const state = foldProject(stream);
    if (state.status !== 'signed') continue;
    const project = state as SignedProject;
    for (const key of RATE_KEYS) {
      const [batch, milestone, industrialOnly] = rules[key];
      if (industrialOnly && !project.industrial) continue;
      const listed = project.listings.some((l) => l.batch === batch && l.heldOn <= query.asOf && inRounds(l));
      if (!listed) continue;
      totals[key].cohortCount++;
      totals[key].cohortWan += project.totalInvestmentWan;
      const date = project.milestones[milestone as Milestone];
      if (date !== undefined && date <= query.asOf) {
        totals[key].count++;
        totals[key].wan += project.totalInvestmentWan;
      }
    }
  }
  return { zones, totals };
}

const DAYS = [
  '2023-01-10',
  '2023-02-22',
  '2023-04-01',
  '2023-05-29',
  '2023-07-15',
  '2023-08-31',
  '2023-10-31',
  '2023-12-20',
];
const day = fc.constantFrom(...DAYS);

/** Random facts about a few projects, recorded at jittered (even out-of-order) times. */
const factArb = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('list' as const),
      round: fc.integer({ min: 0, max: 3 }),
      batch: fc.constantFrom(...BATCHES),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('reach' as const),
      milestone: fc.constantFrom(...MILESTONES),
      on: day,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('correct' as const),
      milestone: fc.constantFrom(...MILESTONES),
      on: day,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('retract' as const),
      milestone: fc.constantFrom(...MILESTONES),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('amend' as const),
      wan: fc.integer({ min: 1, max: 50_000 }),
      industrial: fc.boolean(),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('terminate' as const), on: day }) },
);

const historyArb = fc.array(
  fc.record({
    project: fc.integer({ min: 0, max: 3 }),
    fact: factArb,
    recordedAtDay: fc.integer({ min: 0, max: 60 }),
  }),
  { maxLength: 60 },
);

const ROUND_DAYS = ['2023-02-22', '2023-05-29', '2023-08-31', '2023-11-30'];

type RandomFact = typeof historyArb extends fc.Arbitrary<infer T> ? T : never;

function buildHistory(facts: RandomFact) {
  const h = new HistoryBuilder().zone({ id: 'z0', cityId: 'c0' }).zone({ id: 'z1', cityId: 'c1' });
  ROUND_DAYS.forEach((heldOn, i) => h.round(`r${i}`, heldOn));
  for (let p = 0; p <= 3; p++) h.sign(`p${p}`, `z${p % 2}`, 1_000 * (p + 1), { industrial: p % 3 !== 0 });
  const at = (d: number) => new Date(Date.parse('2023-01-01T00:00:00Z') + d * 86_400_000).toISOString();
  for (const { project, fact, recordedAtDay } of facts) {
    const projectId = `p${project}`;
    h.at(at(recordedAtDay));
    if (fact.kind === 'list') h.list(projectId, `r${fact.round}`, ROUND_DAYS[fact.round], fact.batch);
    else if (fact.kind === 'reach') h.reach(projectId, fact.milestone, fact.on);
    else if (fact.kind === 'correct')
      h.project({
        type: 'MilestoneDateCorrected',
        data: {
          projectId,
          milestone: fact.milestone,
          occurredOn: fact.on,
          previousOccurredOn: fact.on,
          reason: 'r',
        },
      });
    else if (fact.kind === 'retract')
      h.project({
        type: 'MilestoneRetracted',
        data: { projectId, milestone: fact.milestone, previousOccurredOn: '2023-01-01', reason: 'r' },
      });
    else if (fact.kind === 'amend')
      h.project({
        type: 'ProjectAmended',
        data: {
          projectId,
          changes: { totalInvestmentWan: fact.wan, industrial: fact.industrial },
          reason: 'r',
        },
      });
    else h.project({ type: 'ProjectTerminated', data: { projectId, occurredOn: fact.on, reason: 'r' } });
  }
  return h;
}

describe('rates: incremental, scanned and reference views agree on random histories', () => {
  it('the incremental current view equals a from-scratch scan', () => {
    fc.assert(
      fc.property(historyArb, (facts) => {
        const history = buildHistory(facts);
        const model = new LifecycleReadModel();
        const aggregates = new CurrentRateAggregates(model);
        // fed in several batches, as a live subscription would
        for (let i = 0; i < history.events.length; i += 7) model.apply(history.events.slice(i, i + 7));
        for (const scope of ['province', 'city', 'zone'] as const) {
          const query: RateQuery = { scope, asOf: END_OF_TIME };
          expect(rateTable(model, query, aggregates)).toEqual(rateTable(model, query));
        }
      }),
      { numRuns: 150 },
    );
  });

  it('every (asOf D, knownAt K) view equals the naive reference', () => {
    fc.assert(
      fc.property(
        historyArb,
        fc.constantFrom<LocalDate>(...DAYS, END_OF_TIME),
        fc.option(fc.integer({ min: 0, max: 65 }), { nil: undefined, freq: 4 }),
        fc.constantFrom<Partial<RateQuery>>(
          {},
          { roundIds: ['r1'] },
          { roundIds: ['r0', 'r2'] },
          { since: '2023-05-01' },
        ),
        (facts, asOf, knownAtDay, cohort) => {
          const history = buildHistory(facts);
          const model = new LifecycleReadModel();
          model.apply(history.events);
          const knownAt =
            knownAtDay === undefined
              ? undefined
              : new Date(Date.parse('2023-01-01T00:00:00Z') + knownAtDay * 86_400_000).toISOString();
          const query: RateQuery = { scope: 'province', asOf, knownAt, ...cohort };
          const row = rateTable(model, query).rows[0];
          const { totals } = referenceTable(history.events, query);
          for (const key of RATE_KEYS) {
            expect({ key, ...row[key] }).toMatchObject({ key, ...totals[key] });
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
