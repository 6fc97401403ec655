import { Project, ProjectSummary } from '../../services/types';
import { compareFacts, compareProjectLists, factsOf, recordedBetween } from './changes';

const project = (overrides: Partial<Project> = {}): Project => ({
  projectId: 'p1',
  name: '新材料项目',
  enterprise: '山西某企业',
  zoneId: 'jinzhong-kfq',
  totalInvestmentWan: 50_000,
  industrial: true,
  signedOn: '2023-02-22',
  milestones: { 'construction-started': '2023-05-01' },
  listings: [{ roundId: '2023-r2', heldOn: '2023-05-29', batch: 'construction' }],
  investmentProgress: {},
  stage: 'construction-started',
  revision: 3,
  ...overrides,
});

const summary = (projectId: string, overrides: Partial<ProjectSummary> = {}): ProjectSummary => ({
  projectId,
  name: `项目${projectId}`,
  enterprise: 'e',
  zoneId: 'z',
  cityId: 'c',
  totalInvestmentWan: 10_000,
  industrial: true,
  stage: 'signed',
  signedOn: '2023-02-22',
  milestones: {},
  listings: [],
  terminatedOn: null,
  ...overrides,
});

describe('compareFacts(before, after)', () => {
  it('names each fact that differs with its value at K1 and at K2, nothing else', () => {
    // given: between K1 and K2 the start was corrected, the project produced and an obstacle was raised
    const before = project();
    const after = project({
      milestones: { 'construction-started': '2023-05-10', 'production-started': '2023-09-01' },
      stage: 'production-started',
      obstacles: {
        o1: {
          obstacleId: 'o1',
          category: 'land',
          description: '用地',
          responsibleUnit: '自然资源局',
          raisedOn: '2023-06-01',
        },
      },
      revision: 6,
    });
    // when
    const changes = compareFacts(before, after);
    // then
    expect(changes).toEqual([
      { key: 'stage', before: 'construction-started', after: 'production-started' },
      { key: 'milestone:construction-started', before: '2023-05-01', after: '2023-05-10' },
      { key: 'milestone:production-started', before: undefined, after: '2023-09-01' },
      { key: 'obstacle:o1', before: undefined, after: 'land | 用地 | 自然资源局 |  | open' },
    ]);
  });

  it('shows every fact as new when the project was not known at K1, and none when nothing changed', () => {
    expect(compareFacts(undefined, project()).map((change) => change.key)).toEqual(
      expect.arrayContaining(['name', 'signedOn', 'milestone:construction-started', 'listings']),
    );
    expect(compareFacts(undefined, project()).every((change) => change.before === undefined)).toBe(true);
    expect(compareFacts(project(), project({ revision: 9 }))).toEqual([]);
  });

  it('compares listings as a set of round and batch, whatever their order', () => {
    const two = [
      { roundId: 'r1', heldOn: '2023-02-22', batch: 'signing' as const },
      { roundId: 'r2', heldOn: '2023-05-29', batch: 'construction' as const },
    ];
    expect(compareFacts(project({ listings: two }), project({ listings: [...two].reverse() }))).toEqual([]);
    expect(factsOf(project({ listings: two })).get('listings')).toBe('r1:signing, r2:construction');
  });
});

describe('compareProjectLists(before, after)', () => {
  it('tells added, removed and changed projects apart, in id order, leaving unchanged ones out', () => {
    // given
    const before = [summary('b'), summary('a'), summary('gone')];
    const after = [
      summary('a'),
      summary('b', { stage: 'construction-started', milestones: { 'construction-started': '2023-04-01' } }),
      summary('new'),
    ];
    // when
    const changes = compareProjectLists(before, after);
    // then
    expect(changes.map(({ projectId, kind }) => [projectId, kind])).toEqual([
      ['b', 'changed'],
      ['gone', 'removed'],
      ['new', 'added'],
    ]);
    expect(changes[0].facts).toEqual([
      { key: 'stage', before: 'signed', after: 'construction-started' },
      { key: 'milestone:construction-started', before: undefined, after: '2023-04-01' },
    ]);
    expect(changes[1].name).toBe('项目gone');
  });
});

describe('recordedBetween(events, k1, k2)', () => {
  it('keeps the facts recorded after K1 and up to K2, whatever the instants’ notation', () => {
    const at = (recordedAt: string) => ({ metadata: { recordedAt } });
    const events = [
      at('2023-06-01T00:00:00.000Z'),
      at('2023-06-02T00:00:00.000Z'),
      at('2023-06-03T00:00:00.000Z'),
    ];
    expect(recordedBetween(events, '2023-06-01T08:00:00+08:00', '2023-06-02T00:00:00Z')).toEqual([events[1]]);
  });
});
