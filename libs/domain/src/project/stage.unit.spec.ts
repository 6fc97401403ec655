import { stageOf } from './project.view';

describe('stageOf: the furthest lifecycle stage as of a date', () => {
  const project = {
    milestones: {
      'construction-started': '2023-03-01',
      'statistics-entered': '2023-04-01',
      'production-started': '2023-08-31',
      attained: '2024-01-15',
    },
    terminatedOn: '2024-06-30',
  };

  it('takes the furthest of construction, production and attainment reached by the date', () => {
    expect(stageOf(project, '2023-02-28')).toBe('signed');
    expect(stageOf(project, '2023-03-01')).toBe('construction-started');
    expect(stageOf(project, '2023-08-30')).toBe('construction-started');
    expect(stageOf(project, '2023-08-31')).toBe('production-started');
    expect(stageOf(project, '2024-01-15')).toBe('attained');
  });

  it('is terminated from the termination date on, whatever was reached', () => {
    expect(stageOf(project, '2024-06-29')).toBe('attained');
    expect(stageOf(project, '2024-06-30')).toBe('terminated');
    expect(stageOf({ milestones: {}, terminatedOn: '2023-01-10' }, '2023-01-10')).toBe('terminated');
  });

  it('uses every fact when no date is given; statistics entry and above-scale are not stages', () => {
    expect(stageOf(project)).toBe('terminated');
    expect(
      stageOf({ milestones: { 'construction-started': '2023-03-01', 'statistics-entered': '2023-04-01' } }),
    ).toBe('construction-started');
    expect(stageOf({ milestones: {} })).toBe('signed');
  });
});
