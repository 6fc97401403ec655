import { Milestone } from '@app/domain';

/** What a cell of the column holds, which decides how it is parsed. */
export type ColumnKind = 'id' | 'text' | 'zone' | 'amount' | 'yes-no' | 'batch' | 'date';

export interface ImportColumn {
  /** The English key (row 2 of the template; the API's field name where there is one). */
  key: ColumnKey;
  /** The Chinese header (row 1 of the template), also the `column` named in errors. */
  zh: string;
  required: boolean;
  kind: ColumnKind;
  /** What to write in it, for the template's notes. */
  hint: string;
}

export type ColumnKey =
  | 'projectId'
  | 'name'
  | 'enterprise'
  | 'zone'
  | 'totalInvestmentWan'
  | 'industrial'
  | 'strategicEmerging'
  | 'industryChain'
  | 'roundId'
  | 'batch'
  | 'signedOn'
  | 'plannedStartOn'
  | 'plannedProductionOn'
  | 'constructionStartedOn'
  | 'statisticsEnteredOn'
  | 'productionStartedOn'
  | 'attainedOn'
  | 'aboveScaleOn';

const DATE_HINT = '日期 / date: 2023-05-29, 2023/5/29, 2023.5.29, 2023年5月29日';

/** The template's columns, in the template's order (API.md "Import template"). */
export const IMPORT_COLUMNS: readonly ImportColumn[] = [
  {
    key: 'projectId',
    zh: '项目编号',
    required: false,
    kind: 'id',
    hint: '可空：留空时按开发区、名称、企业和签约日期生成 / optional: generated from zone, name, enterprise and signing date when empty',
  },
  { key: 'name', zh: '项目名称', required: true, kind: 'text', hint: '必填 / required' },
  { key: 'enterprise', zh: '企业名称', required: true, kind: 'text', hint: '必填 / required' },
  { key: 'zone', zh: '开发区', required: true, kind: 'zone', hint: '开发区编号或名称 / zone id or name' },
  {
    key: 'totalInvestmentWan',
    zh: '总投资（万元）',
    required: true,
    kind: 'amount',
    hint: '整数万元 / whole 万元, e.g. 470300 or 470,300',
  },
  { key: 'industrial', zh: '产业项目', required: true, kind: 'yes-no', hint: '是/否 (Y/N)' },
  { key: 'strategicEmerging', zh: '战新项目', required: false, kind: 'yes-no', hint: '是/否 (Y/N), 空 = 否' },
  { key: 'industryChain', zh: '产业链', required: false, kind: 'text', hint: '可空 / optional' },
  { key: 'roundId', zh: '活动轮次', required: true, kind: 'id', hint: '活动轮次编号 / round id' },
  { key: 'batch', zh: '批次', required: true, kind: 'batch', hint: '签约/开工/投产' },
  { key: 'signedOn', zh: '签约日期', required: true, kind: 'date', hint: DATE_HINT },
  { key: 'plannedStartOn', zh: '计划开工日期', required: false, kind: 'date', hint: DATE_HINT },
  { key: 'plannedProductionOn', zh: '计划投产日期', required: false, kind: 'date', hint: DATE_HINT },
  { key: 'constructionStartedOn', zh: '开工日期', required: false, kind: 'date', hint: DATE_HINT },
  { key: 'statisticsEnteredOn', zh: '入统日期', required: false, kind: 'date', hint: DATE_HINT },
  { key: 'productionStartedOn', zh: '投产日期', required: false, kind: 'date', hint: DATE_HINT },
  { key: 'attainedOn', zh: '达效日期', required: false, kind: 'date', hint: DATE_HINT },
  { key: 'aboveScaleOn', zh: '达规入库日期', required: false, kind: 'date', hint: DATE_HINT },
];

export const COLUMN_BY_KEY = Object.fromEntries(IMPORT_COLUMNS.map((c) => [c.key, c])) as Record<
  ColumnKey,
  ImportColumn
>;

/** The milestone each date column records, in the order the lifecycle allows them. */
export const MILESTONE_COLUMNS: readonly { milestone: Milestone; key: ColumnKey }[] = [
  { milestone: 'construction-started', key: 'constructionStartedOn' },
  { milestone: 'statistics-entered', key: 'statisticsEnteredOn' },
  { milestone: 'production-started', key: 'productionStartedOn' },
  { milestone: 'attained', key: 'attainedOn' },
  { milestone: 'enterprise-above-scale', key: 'aboveScaleOn' },
];

/**
 * Header text as officers type it varies in width and spacing: `总投资(万元)`, `总投资 （万元）`,
 * `ＴｏｔａｌＩｎｖｅｓｔｍｅｎｔＷａｎ`. NFKC folds full-width forms, then spaces go and case is ignored.
 */
export function normaliseHeader(text: string): string {
  return text.normalize('NFKC').replace(/\s+/g, '').toLowerCase();
}

const BY_HEADER = new Map<string, ImportColumn>(
  IMPORT_COLUMNS.flatMap((column) => [
    [normaliseHeader(column.zh), column],
    [normaliseHeader(column.key), column],
  ]),
);

/** The column a header cell names, by its Chinese header or its English key. */
export function columnForHeader(text: string): ImportColumn | undefined {
  return BY_HEADER.get(normaliseHeader(text));
}
