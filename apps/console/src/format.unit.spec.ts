import { formatRate, formatWan, lightRuleText, ranksOf } from './format';

describe('formatWan', () => {
  it('reads 万元 in 亿元 from one 亿 up, in Chinese', () => {
    expect(formatWan(470_300, 'zh-CN')).toBe('47.03亿元');
    expect(formatWan(9_500, 'zh-CN')).toBe('9,500万元');
  });

  it('reads 万元 in millions of yuan in English', () => {
    expect(formatWan(470_300, 'en-US')).toBe('¥4,703 m');
  });
});

describe('formatRate', () => {
  it('shows one decimal, a dash for an empty cohort', () => {
    expect(formatRate(0.5)).toBe('50.0%');
    expect(formatRate(1 / 3)).toBe('33.3%');
    expect(formatRate(null)).toBe('—');
  });
});

describe('ranksOf', () => {
  it('ranks highest first, ties share a rank, empty cohorts have none', () => {
    expect(ranksOf([0.5, 0.9, 0.5, null, 0.1], (value) => value)).toEqual([2, 1, 2, null, 4]);
  });
});

describe('lightRuleText', () => {
  it('names a rule in Chinese by default and in English when switched', () => {
    expect(lightRuleText('start.overdue-3-months', 'zh-CN')).toBe('超计划开工时间3个月以上');
    expect(lightRuleText('start.overdue-3-months', 'en-US')).toBe(
      'more than 3 months past its planned start',
    );
    expect(lightRuleText('progress.on-schedule', 'en-US')).toBe('investment completion on schedule');
  });
});
