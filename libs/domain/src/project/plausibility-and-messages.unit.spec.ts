import {
  given,
  list,
  progressReported,
  reached,
  recordMilestone,
  reportProgress,
  sign,
  signed,
} from '../testing/given-when-then';
import { ReportInvestmentProgress, SignProject } from './project.commands';
import { amountWarnings } from './plausibility';
import { duplicateWarning, normaliseForComparison, possibleDuplicates } from './duplicates';

const inProgramme = <C extends { programmeStartOn?: string }>(command: C): C => ({
  ...command,
  programmeStartOn: '2022-01-01',
});

describe('plausibility: figures that cannot be right are refused', () => {
  it('refuses cumulative completed investment above the total investment, naming both figures', () => {
    // given: a 47.03亿 project
    const error = given([signed('2023-02-22', { totalInvestmentWan: 470_300 })])
      // when: 900亿 completed
      .when(reportProgress('2023-03', 9_000_000))
      // then
      .thenThrows('conflict', 'progress-exceeds-total');
    expect(error.field).toBe('completedInvestmentWan');
    for (const text of [error.text.zh, error.text.en]) {
      expect(text).toContain('9000000');
      expect(text).toContain('470300');
    }
  });

  it('accepts completed investment equal to the total', () => {
    // given / when / then
    given([signed('2023-02-22', { totalInvestmentWan: 470_300 })])
      .when(reportProgress('2023-03', 470_300))
      .then([progressReported('2023-03', 470_300)]);
  });

  it('refuses dates before the programme began', () => {
    // given / when / then
    given([])
      .when(inProgramme(sign('2021-12-31')))
      .thenThrows('invalid', 'before-programme');
    given([signed('2022-01-01')])
      .when(inProgramme(recordMilestone('construction-started', '2021-06-01')))
      .thenThrows('invalid', 'before-programme');
    given([signed('2022-01-01')])
      .when(inProgramme(reportProgress('2021-12', 100)) as ReportInvestmentProgress)
      .thenThrows('invalid', 'before-programme');
  });

  it('accepts the programme start day itself', () => {
    // given / when / then
    const command = inProgramme(sign('2022-01-01')) as SignProject;
    given([])
      .when(command)
      .then([{ type: 'ProjectSigned', data: { ...command.data, strategicEmerging: false } }]);
  });

  it('warns (without refusing) when an amount looks like 亿元 typed as 万元, or 10,000 times too large', () => {
    // given / when / then
    expect(amountWarnings('totalInvestmentWan', 47)).toEqual([
      expect.objectContaining({ code: 'amount-looks-like-yi', field: 'totalInvestmentWan' }),
    ]);
    expect(amountWarnings('totalInvestmentWan', 47)[0].text.zh).toContain('470000');
    expect(amountWarnings('totalInvestmentWan', 4_703_000_000)).toEqual([
      expect.objectContaining({ code: 'amount-looks-too-large' }),
    ]);
    expect(amountWarnings('totalInvestmentWan', 470_300)).toEqual([]);
    expect(amountWarnings('totalInvestmentWan', 100)).toEqual([]);
    expect(amountWarnings('completedInvestmentWan', 0)).toEqual([]);
  });
});

describe('messages: both languages, in the domain words, naming the right month', () => {
  it('says "投产需先开工 / production start needs construction start"', () => {
    // given / when
    const error = given([signed('2023-02-22')])
      .when(recordMilestone('production-started', '2023-06-01'))
      .thenThrows('conflict', 'milestone-out-of-order');
    // then
    expect(error.text).toEqual({ zh: '投产需先开工', en: 'production start needs construction start first' });
    expect(error.message).toBe(error.text.en);
  });

  it('names dates and facts in words, never ids', () => {
    // given / when
    const error = given([signed('2023-02-22'), reached('construction-started', '2023-05-01')])
      .when(recordMilestone('production-started', '2023-04-01'))
      .thenThrows('conflict', 'milestone-out-of-order');
    // then
    expect(error.text.zh).toBe('投产日期 2023-04-01 早于开工日期 2023-05-01');
    expect(error.text.en).not.toMatch(/production-started|construction-started/);
  });

  it('names the batch in words for a listing that needs a milestone', () => {
    // given / when
    const error = given([signed('2023-02-22')])
      .when(list('construction', '2023-05-29'))
      .thenThrows('conflict', 'listing-needs-milestone');
    // then
    expect(error.text.zh).toContain('开工一批');
    expect(error.text.zh).toContain('开工');
    expect(error.text.en).toContain('construction batch');
  });

  it('names the nearest month a cumulative figure clashes with', () => {
    // given: January 1000, February 3000, then April 5000
    const history = [
      signed('2023-01-10'),
      progressReported('2023-01', 1000),
      progressReported('2023-02', 3000),
      progressReported('2023-04', 5000),
    ];
    // when: March below both January's and February's figures
    const below = given(history)
      .when(reportProgress('2023-03', 500))
      .thenThrows('conflict', 'progress-not-cumulative');
    // then: February, the month just before, is the one to look at
    expect(below.text.en).toContain('2023-02');
    expect(below.text.en).not.toContain('2023-01');
    expect(below.text.zh).toContain('2023-02');
    // when: a revised January above April's figure
    const above = given(history)
      .when(reportProgress('2023-01', 6000))
      .thenThrows('conflict', 'progress-not-cumulative');
    // then: February, the first later month reporting less
    expect(above.text.en).toContain('2023-02');
    expect(above.text.en).not.toContain('2023-04');
  });
});

describe('possible duplicates (a warning: the same project entered twice)', () => {
  const existing = [
    {
      projectId: 'JZ-2024-010',
      zoneId: 'jz',
      name: '年产10万吨新材料项目',
      enterprise: '晋中新材料有限公司',
    },
    { projectId: 'JZ-2024-011', zoneId: 'jz', name: '智能制造产业园', enterprise: '甲公司' },
    { projectId: 'YQ-2024-001', zoneId: 'yq', name: '智能制造产业园', enterprise: '乙公司' },
  ];

  it('folds full-width forms, spaces, case and O/0 confusion', () => {
    expect(normaliseForComparison('JZ-2O24-010')).toBe(normaliseForComparison('JZ-2024-010'));
    expect(normaliseForComparison('年产１０万吨 新材料项目')).toBe(
      normaliseForComparison('年产10万吨新材料项目'),
    );
    expect(normaliseForComparison('智能制造产业园（一期）')).not.toBe(
      normaliseForComparison('智能制造产业园'),
    );
  });

  it('finds an id that differs only by a letter O for a zero', () => {
    const candidate = { projectId: 'JZ-2O24-010', zoneId: 'jz', name: '另一个名称', enterprise: '丙公司' };
    expect(possibleDuplicates(candidate, existing)).toEqual([
      { projectId: 'JZ-2024-010', name: '年产10万吨新材料项目', why: 'same-id-but-for-typing' },
    ]);
  });

  it('finds the same name and enterprise in the same zone, and a near-identical name', () => {
    const same = {
      projectId: 'JZ-9',
      zoneId: 'jz',
      name: '年产10万吨新材料项目',
      enterprise: '晋中新材料有限公司',
    };
    expect(possibleDuplicates(same, existing).map((d) => [d.projectId, d.why])).toEqual([
      ['JZ-2024-010', 'same-name-and-enterprise'],
    ]);
    const near = { projectId: 'JZ-9', zoneId: 'jz', name: '智能制造 产业园', enterprise: '丁公司' };
    expect(possibleDuplicates(near, existing).map((d) => [d.projectId, d.why])).toEqual([
      ['JZ-2024-011', 'near-identical-name'],
    ]);
  });

  it('does not flag the same name in another zone, or the project itself', () => {
    const other = { projectId: 'TG-1', zoneId: 'tg', name: '智能制造产业园', enterprise: '甲公司' };
    expect(possibleDuplicates(other, existing)).toEqual([]);
    expect(possibleDuplicates(existing[0], existing)).toEqual([]);
  });

  it('names the other project in both languages', () => {
    const warning = duplicateWarning({
      projectId: 'JZ-2024-010',
      name: '年产10万吨新材料项目',
      why: 'near-identical-name',
    });
    expect(warning.code).toBe('possible-duplicate');
    expect(warning.text.zh).toContain('JZ-2024-010');
    expect(warning.text.en).toContain('JZ-2024-010');
  });
});
