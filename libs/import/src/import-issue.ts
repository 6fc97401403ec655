/** One problem with an import file: the spreadsheet's row number and the column's Chinese header. */
export interface ImportIssue {
  row: number;
  column: string;
  /** Chinese, then English: "开工日期早于签约日期 / construction start before signing". */
  message: string;
}

export const bilingual = (zh: string, en: string) => `${zh} / ${en}`;

/** Spreadsheet order: by row, then by the column's place in the template. */
export function sortIssues<Issue extends ImportIssue>(
  issues: Issue[],
  columnOrder: readonly string[],
): Issue[] {
  const place = (column: string) => {
    const index = columnOrder.indexOf(column);
    return index < 0 ? columnOrder.length : index;
  };
  return [...issues].sort((a, b) => a.row - b.row || place(a.column) - place(b.column));
}

/** A row accepted but worth a second look (a likely unit slip, a possible duplicate): never a refusal. */
export interface ImportWarning extends ImportIssue {
  code: string;
  /** For `possible-duplicate`: the project the row may duplicate. */
  projectId?: string;
}
