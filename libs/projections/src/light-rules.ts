/**
 * Every light rule's name in both languages: the notices print the Chinese one, the console the
 * one of its language. No imports, so the console bundles it as it is (one table for both).
 */
export interface RuleWords {
  zh: string;
  en: string;
}

const RULE_WORDS: Record<string, RuleWords> = {
  'start.on-plan': { zh: '按计划开工', en: 'started on plan' },
  'start.started-late': { zh: '已开工（晚于计划）', en: 'started (later than planned)' },
  'start.not-yet-due': { zh: '未到计划开工时间', en: 'planned start not yet due' },
  'start.due-this-month': { zh: '计划本月开工未开工', en: 'due to start this month, not started' },
  'start.overdue': { zh: '超计划开工时间未开工', en: 'past its planned start, not started' },
  'progress.on-schedule': { zh: '投资完成率达到序时进度', en: 'investment completion on schedule' },
  'statisticsEntry.entered': { zh: '已入统', en: 'entered in the statistics' },
  'statisticsEntry.pending': { zh: '开工未满入统期限', en: 'started, within the statistics-entry period' },
};

/** A rule's name; the rules with a threshold (start.overdue-3-months, progress.behind-30, statisticsEntry.2-months) say it. */
export function ruleWordsOf(rule: string): RuleWords {
  const n = /[.-](\d+)(?:-months)?$/.exec(rule)?.[1];
  if (rule.startsWith('start.overdue-'))
    return { zh: `超计划开工时间${n}个月以上`, en: `more than ${n} months past its planned start` };
  if (rule.startsWith('progress.behind-'))
    return {
      zh: `投资完成率低于序时进度${n}个百分点以上`,
      en: `investment completion more than ${n} points behind schedule`,
    };
  if (rule.startsWith('statisticsEntry.') && n !== undefined)
    return { zh: `开工${n}个月未入统`, en: `started ${n} months ago, not in the statistics` };
  return RULE_WORDS[rule] ?? { zh: rule, en: rule };
}
