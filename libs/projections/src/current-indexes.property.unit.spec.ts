import fc from 'fast-check';
import { Milestone, stageOf } from '@app/domain';
import { daysFromTo } from './days';
import { leadTimes } from './lead-times';
import { LifecycleReadModel } from './lifecycle-read-model';
import { ProjectListQuery, listProjects, stalledPage, stalledProjects, STALLED_KINDS } from './project-lists';
import { listedBy } from './project-snapshot';
import { knownAtMillis, projectMatches } from './scope';
import { HistoryBuilder } from './testing/history-builder';

const ZONES = ['z1', 'z2', 'z3', 'z4'];
const MILESTONES: Milestone[] = ['construction-started', 'production-started', 'attained'];
const DATES = ['2023-01-10', '2023-03-01', '2023-05-15', '2023-08-01', '2023-10-20'];

/** A history of signings, listings, milestones and their corrections and retractions, voids, terminations, zone moves. */
function generatedHistory(seed: number): HistoryBuilder[] {
  let state = seed >>> 0 || 1;
  const next = (n: number) => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return (state >>> 8) % n;
  };
  const pick = <T>(items: readonly T[]) => items[next(items.length)];
  const builder = new HistoryBuilder().round('r1', '2023-02-01').round('r2', '2023-06-01');
  for (const zone of ZONES)
    builder.zone({
      id: zone,
      cityId: pick(['c1', 'c2']),
      category: pick(['industrial', 'agricultural'] as const),
    });
  const chunks: HistoryBuilder[] = [];
  const ids: string[] = [];
  for (let step = 0; step < 200; step++) {
    const id = ids.length === 0 || next(4) === 0 ? `p${next(60)}` : pick(ids);
    const roll = next(20);
    if (!ids.includes(id) || roll === 0) {
      builder.sign(id, pick(ZONES), 1_000 + next(20_000), {
        industrial: next(3) > 0,
        signedOn: pick(DATES),
      });
      ids.push(id);
    } else if (roll < 4)
      builder.list(
        id,
        pick(['r1', 'r2']),
        pick(['2023-02-01', '2023-06-01']),
        pick(['signing', 'construction', 'production']),
      );
    else if (roll < 11) builder.reach(id, pick(MILESTONES), pick(DATES));
    else if (roll < 13)
      builder.correct(id, pick([...MILESTONES, 'signed'] as const), pick(DATES), '2023-01-01');
    else if (roll < 15) builder.retract(id, pick(MILESTONES), '2023-01-01');
    else if (roll === 15) builder.void(id);
    else if (roll === 16) builder.terminate(id, pick(DATES));
    else if (roll === 17) builder.correctZone(pick(ZONES), { cityId: pick(['c1', 'c2', 'c3']) });
    else if (roll === 18) builder.amend(id, { totalInvestmentWan: next(30_000), industrial: next(2) === 0 });
    else builder.withdraw(id, 'r1', '2023-02-01', 'signing');
    if (next(25) === 0) chunks.push(builder);
  }
  return [...chunks, builder];
}

/** The list as a scan gives it: every project filtered, sorted by id, one page. */
function scannedList(model: LifecycleReadModel, query: ProjectListQuery) {
  const zones = model.zonesAt(knownAtMillis(query.knownAt));
  const { asOf } = query;
  const needle = query.q?.toLocaleLowerCase();
  const ids = model
    .snapshots()
    .filter(
      (p) =>
        p.signedOn <= asOf &&
        projectMatches(p, zones.get(p.zoneId), query) &&
        (!needle || p.projectId.includes(needle)) &&
        (!query.batch || listedBy(p, query.batch, asOf, () => true)) &&
        (!query.stage || stageOf(p, asOf) === query.stage),
    )
    .map((p) => p.projectId)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const offset = query.offset ?? 0;
  return { total: ids.length, ids: ids.slice(offset, offset + (query.limit ?? 100)) };
}

const QUERIES = [
  { asOf: '2099-01-01' },
  { asOf: '2099-01-01', zoneId: 'z2', limit: 3, offset: 1 },
  { asOf: '2099-01-01', cityId: 'c1', industrialOnly: true },
  { asOf: '2099-01-01', minTotalInvestmentWan: 10_000, listedOnly: true },
  { asOf: '2099-01-01', roundIds: ['r2'], limit: 2, offset: 2 },
  { asOf: '2099-01-01', since: '2023-05-01', zoneCategory: 'agricultural' as const },
  { asOf: '2099-01-01', minDays: { signedNotStarted: 27_500, startedNotProducing: 27_400 } },
  // thresholds met exactly by the projects stalled since a generated date
  {
    asOf: '2099-01-01',
    listedOnly: true,
    minDays: {
      signedNotStarted: daysFromTo('2023-03-01', '2099-01-01'),
      startedNotProducing: daysFromTo('2023-05-15', '2099-01-01'),
      producingNotAttained: daysFromTo('2023-08-01', '2099-01-01'),
    },
  },
  { asOf: '2023-07-01', limit: 4 },
  { asOf: '2023-07-01', listedOnly: true, minDays: { producingNotAttained: 30 } },
];

describe('the current-state indexes answer what the scans answer', () => {
  it('project lists, lead times and stalled pages, after every chunk of a generated history', () => {
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        const model = new LifecycleReadModel();
        let applied = 0;
        for (const chunk of generatedHistory(seed)) {
          model.apply(chunk.events.slice(applied));
          applied = chunk.events.length;
          for (const query of QUERIES) {
            const { limit = 100, offset = 0 } = query;
            const page = stalledPage(model, query, offset, limit);
            const all = stalledProjects(model, query);
            for (const kind of STALLED_KINDS) {
              expect(page.lists[kind]).toEqual(all[kind].slice(offset, offset + limit));
              expect(page.totals[kind]).toBe(all[kind].length);
            }
            for (const scope of ['province', 'city', 'zone'] as const) {
              if ('roundIds' in query || 'since' in query) continue;
              // every round chosen: the same cohort, by the scan
              const scanned = leadTimes(model, { ...query, scope, roundIds: ['r1', 'r2'] });
              expect(leadTimes(model, { ...query, scope })).toEqual(scanned);
            }
            for (const listQuery of [
              query,
              { ...query, stage: 'construction-started' as const },
              { ...query, batch: 'signing' as const },
              { ...query, q: 'p1' },
            ]) {
              const list = listProjects(model, listQuery);
              expect({ total: list.total, ids: list.items.map((p) => p.projectId) }).toEqual(
                scannedList(model, listQuery),
              );
            }
          }
        }
      }),
      { numRuns: 40 },
    );
  });
});
