import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ruleWordsOf } from './light-rules';

const CJK = /[\u4e00-\u9fff]/;

/** Every rule id project-lights.ts can give a light, thresholds filled in with a number. */
function rulesLit(): string[] {
  const source = readFileSync(join(__dirname, 'project-lights.ts'), 'utf8');
  const rules = [...source.matchAll(/rule: ['`]([^'`]+)['`]/g)].map(([, rule]) =>
    rule.replace(/\$\{[^}]+\}/g, '3'),
  );
  return [...new Set(rules)];
}

describe('light rule words', () => {
  it('name every rule a light can have in Chinese and in English', () => {
    const rules = rulesLit();
    expect(rules.length).toBeGreaterThanOrEqual(11);
    for (const rule of rules) {
      const words = ruleWordsOf(rule);
      expect({ rule, zh: CJK.test(words.zh), en: CJK.test(words.en) }).toEqual({ rule, zh: true, en: false });
      expect(words.en).not.toBe(rule);
    }
  });

  it('say the threshold in both languages', () => {
    expect(ruleWordsOf('start.overdue-3-months')).toEqual({
      zh: '超计划开工时间3个月以上',
      en: 'more than 3 months past its planned start',
    });
    expect(ruleWordsOf('progress.behind-30').en).toBe(
      'investment completion more than 30 points behind schedule',
    );
    expect(ruleWordsOf('statisticsEntry.2-months').zh).toBe('开工2个月未入统');
  });

  it('fall back to the rule id for a rule they do not know', () => {
    expect(ruleWordsOf('start.someday')).toEqual({ zh: 'start.someday', en: 'start.someday' });
  });
});
