import {
  amended,
  corrected,
  listed,
  progressReported,
  reached,
  retracted,
  signed,
  terminated,
} from '../testing/given-when-then';
import { evolveProject, foldProject, initialProjectState } from './project.state';

describe('evolveProject: folding the recorded facts', () => {
  it('starts unknown and ignores anything before a signing', () => {
    // given
    const state = initialProjectState();
    // when
    const after = evolveProject(state, reached('construction-started', '2023-03-01'));
    // then
    expect(after).toEqual({ status: 'unknown' });
  });

  it('folds a signing into a signed project with no milestones yet', () => {
    // given / when
    const state = foldProject([signed('2023-02-22')]);
    // then
    expect(state).toMatchObject({
      status: 'signed',
      projectId: 'P1',
      zoneId: 'Z1',
      signedOn: '2023-02-22',
      totalInvestmentWan: 470_300,
      milestones: {},
      listings: [],
      investmentProgress: {},
    });
  });

  it('folds milestones, listings and progress', () => {
    // given / when
    const state = foldProject([
      signed('2023-02-22'),
      listed('signing', '2023-02-22'),
      reached('construction-started', '2023-05-01'),
      reached('statistics-entered', '2023-05-02'),
      reached('production-started', '2023-06-01'),
      reached('attained', '2023-07-01'),
      reached('enterprise-above-scale', '2023-07-02'),
      progressReported('2023-05', 100),
    ]);
    // then
    expect(state).toMatchObject({
      milestones: {
        'construction-started': '2023-05-01',
        'statistics-entered': '2023-05-02',
        'production-started': '2023-06-01',
        attained: '2023-07-01',
        'enterprise-above-scale': '2023-07-02',
      },
      listings: [{ roundId: 'R-2023-02-22', heldOn: '2023-02-22', batch: 'signing' }],
      investmentProgress: { '2023-05': 100 },
    });
  });

  it('moves a milestone date on a correction', () => {
    // given / when
    const state = foldProject([
      signed('2023-02-22'),
      reached('construction-started', '2023-05-01'),
      corrected('construction-started', '2023-05-01', '2023-04-01'),
    ]);
    // then
    expect(state).toMatchObject({ milestones: { 'construction-started': '2023-04-01' } });
  });

  it('moves the signing date on a correction of signing', () => {
    // given / when
    const state = foldProject([signed('2023-02-22'), corrected('signed', '2023-02-22', '2023-02-01')]);
    // then
    expect(state).toMatchObject({ signedOn: '2023-02-01', milestones: {} });
  });

  it('removes a retracted milestone', () => {
    // given / when
    const state = foldProject([
      signed('2023-02-22'),
      reached('construction-started', '2023-05-01'),
      retracted('construction-started', '2023-05-01'),
    ]);
    // then
    expect(state).toMatchObject({ milestones: {} });
  });

  it('applies amendments to the details, later ones winning', () => {
    // given / when
    const state = foldProject([
      signed('2023-02-22'),
      amended({ totalInvestmentWan: 500_000, name: '新名称' }),
      amended({ totalInvestmentWan: 600_000 }),
    ]);
    // then
    expect(state).toMatchObject({ name: '新名称', totalInvestmentWan: 600_000, zoneId: 'Z1' });
  });

  it('keeps the latest figure of a month', () => {
    // given / when
    const state = foldProject([
      signed('2023-02-22'),
      progressReported('2023-05', 100),
      progressReported('2023-05', 150),
    ]);
    // then
    expect(state).toMatchObject({ investmentProgress: { '2023-05': 150 } });
  });

  it('records the termination', () => {
    // given / when
    const state = foldProject([signed('2023-02-22'), terminated('2023-03-01', '企业退出')]);
    // then
    expect(state).toMatchObject({ termination: { occurredOn: '2023-03-01', reason: '企业退出' } });
  });

  it('does not mutate the state it is given', () => {
    // given
    const before = foldProject([signed('2023-02-22'), reached('construction-started', '2023-05-01')]);
    const snapshot = JSON.parse(JSON.stringify(before));
    // when
    evolveProject(before, retracted('construction-started', '2023-05-01'));
    evolveProject(before, listed('signing', '2023-05-29'));
    // then
    expect(before).toEqual(snapshot);
  });
});
