import { Batch, LocalDate, Milestone } from '@app/domain';
import {
  Cell,
  Parsed,
  isBlank,
  parseAmount,
  parseBatch,
  parseDate,
  parseId,
  parseText,
  parseYesNo,
} from './cells';
import {
  COLUMN_BY_KEY,
  ColumnKey,
  ColumnKind,
  IMPORT_COLUMNS,
  ImportColumn,
  MILESTONE_COLUMNS,
  columnForHeader,
} from './columns';
import { ImportIssue, bilingual } from './import-issue';
import { ImportFileError, MAX_IMPORT_ROWS, SheetRow } from './read-spreadsheet';

/** One data row as the file states it; optional cells left empty are absent. */
export interface ImportRow {
  /** The spreadsheet's row number. */
  row: number;
  projectId?: string;
  name: string;
  enterprise: string;
  /** A zone id or a zone name, as typed. */
  zone: string;
  totalInvestmentWan: number;
  industrial: boolean;
  strategicEmerging?: boolean;
  industryChain?: string;
  roundId: string;
  batch: Batch;
  signedOn: LocalDate;
  plannedStartOn?: LocalDate;
  plannedProductionOn?: LocalDate;
  milestones: Partial<Record<Milestone, LocalDate>>;
}

export interface ParsedSheet {
  rows: ImportRow[];
  issues: ImportIssue[];
}

const PARSERS: Record<ColumnKind, (cell: Cell) => Parsed<unknown>> = {
  id: parseId,
  text: parseText,
  zone: parseText,
  amount: parseAmount,
  'yes-no': parseYesNo,
  batch: parseBatch,
  date: parseDate,
};

/**
 * Finds the columns from the header rows, then reads every data row, collecting every
 * unreadable or missing cell rather than stopping at the first.
 */
export function parseRows(sheet: SheetRow[]): ParsedSheet {
  const issues: ImportIssue[] = [];
  const header = sheet[0];
  if (!header)
    return {
      rows: [],
      issues: [{ row: 1, column: '', message: bilingual('文件是空的', 'the file is empty') }],
    };
  const second = sheet[1];
  const secondIsHeader =
    second !== undefined && second.cells.every((cell) => isBlank(cell) || columnForHeader(String(cell)));
  const columns = locateColumns(header, secondIsHeader ? second : undefined, issues);
  const data = sheet.slice(secondIsHeader ? 2 : 1);
  if (data.length > MAX_IMPORT_ROWS) {
    throw new ImportFileError(
      'import-too-many-rows',
      `文件超过 ${MAX_IMPORT_ROWS} 行 / the file has more than ${MAX_IMPORT_ROWS} rows`,
    );
  }
  if (issues.length > 0) return { rows: [], issues };
  if (data.length === 0) {
    return {
      rows: [],
      issues: [
        { row: header.number, column: '', message: bilingual('文件没有数据行', 'the file has no data rows') },
      ],
    };
  }
  const rows: ImportRow[] = [];
  for (const line of data) {
    const row = readRow(line, columns, issues);
    if (row) rows.push(row);
  }
  return { rows, issues };
}

/** The cell index of each column present, by row 1's header or else row 2's key. */
function locateColumns(
  header: SheetRow,
  keys: SheetRow | undefined,
  issues: ImportIssue[],
): Map<ColumnKey, number> {
  const located = new Map<ColumnKey, number>();
  const width = Math.max(header.cells.length, keys?.cells.length ?? 0);
  for (let index = 0; index < width; index++) {
    const texts = [header.cells[index], keys?.cells[index]]
      .filter((cell): cell is Exclude<Cell, null> => !isBlank(cell ?? null))
      .map(String);
    if (texts.length === 0) continue;
    const named = texts.map(columnForHeader);
    const column = named.find((c): c is ImportColumn => c !== undefined);
    if (!column) {
      issues.push({
        row: header.number,
        column: texts[0].trim(),
        message: bilingual(
          `未知的列“${texts[0].trim()}”，请使用模板的列名`,
          `unknown column "${texts[0].trim()}": use the template's headers`,
        ),
      });
    } else if (named.some((c) => c !== undefined && c !== column)) {
      issues.push({
        row: keys?.number ?? header.number,
        column: column.zh,
        message: bilingual('两行表头不一致', 'the two header rows name different columns'),
      });
    } else if (located.has(column.key)) {
      issues.push({
        row: header.number,
        column: column.zh,
        message: bilingual('该列出现了两次', 'the column appears twice'),
      });
    } else {
      located.set(column.key, index);
    }
  }
  for (const column of IMPORT_COLUMNS) {
    if (column.required && !located.has(column.key)) {
      issues.push({
        row: header.number,
        column: column.zh,
        message: bilingual('缺少必填列', 'required column missing'),
      });
    }
  }
  return located;
}

function readRow(
  line: SheetRow,
  columns: Map<ColumnKey, number>,
  issues: ImportIssue[],
): ImportRow | undefined {
  const values: Partial<Record<ColumnKey, unknown>> = {};
  let readable = true;
  for (const [key, index] of columns) {
    const column = COLUMN_BY_KEY[key];
    const cell = line.cells[index] ?? null;
    if (isBlank(cell)) {
      if (column.required) {
        issues.push({ row: line.number, column: column.zh, message: bilingual('必填', 'required') });
        readable = false;
      }
      continue;
    }
    const parsed = PARSERS[column.kind](cell);
    if (parsed.ok) values[key] = parsed.value;
    else {
      issues.push({ row: line.number, column: column.zh, message: parsed.message });
      readable = false;
    }
  }
  if (!readable) return undefined;
  const milestones: Partial<Record<Milestone, LocalDate>> = {};
  for (const { milestone, key } of MILESTONE_COLUMNS) {
    if (values[key] !== undefined) milestones[milestone] = values[key] as LocalDate;
  }
  return {
    row: line.number,
    projectId: values.projectId as string | undefined,
    name: values.name as string,
    enterprise: values.enterprise as string,
    zone: values.zone as string,
    totalInvestmentWan: values.totalInvestmentWan as number,
    industrial: values.industrial as boolean,
    strategicEmerging: values.strategicEmerging as boolean | undefined,
    industryChain: values.industryChain as string | undefined,
    roundId: values.roundId as string,
    batch: values.batch as Batch,
    signedOn: values.signedOn as LocalDate,
    plannedStartOn: values.plannedStartOn as LocalDate | undefined,
    plannedProductionOn: values.plannedProductionOn as LocalDate | undefined,
    milestones,
  };
}
