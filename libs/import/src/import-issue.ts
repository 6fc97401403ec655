/** One problem with an import file: the spreadsheet's row number and the column's Chinese header. */
export interface ImportIssue {
  row: number;
  column: string;
  /** Chinese, then English: "开工日期早于签约日期 / construction start before signing". */
  message: string;
}

export const bilingual = (zh: string, en: string) => `${zh} / ${en}`;

/** Spreadsheet order: by row, then by the column's place in the template. */
export function sortIssues(issues: ImportIssue[], columnOrder: readonly string[]): ImportIssue[] {
  const place = (column: string) => {
    const index = columnOrder.indexOf(column);
    return index < 0 ? columnOrder.length : index;
  };
  return [...issues].sort((a, b) => a.row - b.row || place(a.column) - place(b.column));
}
