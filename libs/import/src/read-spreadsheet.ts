import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { Cell } from './cells';

/** Upload limits (issue 12): larger files are refused before anything is parsed. */
export const MAX_IMPORT_BYTES = 10 * 1024 * 1024;
export const MAX_IMPORT_ROWS = 10_000;

/** One spreadsheet row with the number Excel shows for it (1-based, blank rows counted). */
export interface SheetRow {
  number: number;
  cells: Cell[];
}

/** Why a file cannot be read at all; each maps to one HTTP status at the edge. */
export class ImportFileError extends Error {
  constructor(
    readonly code: 'import-too-large' | 'import-too-many-rows' | 'import-unreadable',
    message: string,
  ) {
    super(message);
    this.name = 'ImportFileError';
  }
}

const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const OLE_MAGIC = Buffer.from([0xd0, 0xcf, 0x11, 0xe0]);

/** The rows of the first worksheet of an `.xlsx`, or of a `.csv`, told apart by content. */
export async function readSpreadsheet(bytes: Buffer): Promise<SheetRow[]> {
  if (bytes.length > MAX_IMPORT_BYTES) {
    throw new ImportFileError(
      'import-too-large',
      `文件超过 10 MB / the file is larger than 10 MB (${bytes.length} bytes)`,
    );
  }
  if (bytes.subarray(0, 4).equals(OLE_MAGIC)) {
    throw new ImportFileError(
      'import-unreadable',
      '不支持旧版 .xls 文件，请另存为 .xlsx 或 .csv / .xls files are not supported: save as .xlsx or .csv',
    );
  }
  const rows = bytes.subarray(0, 4).equals(ZIP_MAGIC) ? await readXlsx(bytes) : readCsv(bytes);
  return rows.filter((row) => row.cells.some((cell) => cell !== null && String(cell).trim() !== ''));
}

/**
 * The whole workbook is loaded: exceljs 4.4's streaming reader is twice as fast but splits
 * UTF-8 characters at chunk boundaries (企业名称 read back as "山西…有��公司").
 */
async function readXlsx(bytes: Buffer): Promise<SheetRow[]> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(bytes as unknown as ExcelJS.Buffer);
  } catch {
    throw new ImportFileError('import-unreadable', '无法读取该 .xlsx 文件 / the .xlsx file cannot be read');
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) throw new ImportFileError('import-unreadable', '工作簿没有工作表 / the workbook has no sheet');
  // Two header rows come before the data.
  if (sheet.actualRowCount > MAX_IMPORT_ROWS + 2) throw tooManyRows();
  const rows: SheetRow[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, number) => {
    const cells: Cell[] = [];
    row.eachCell({ includeEmpty: true }, (cell, column) => {
      cells[column - 1] = cellValue(cell.value);
    });
    rows.push({ number, cells: Array.from(cells, (cell) => cell ?? null) });
  });
  return rows;
}

/** exceljs's rich text, formulas, hyperlinks and error values, reduced to what a cell shows. */
function cellValue(value: ExcelJS.CellValue): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (value instanceof Date) return value;
  if ('richText' in value) return value.richText.map((part) => part.text).join('');
  if ('result' in value) return cellValue(value.result ?? null);
  if ('formula' in value || 'sharedFormula' in value) return null;
  if ('text' in value) return cellValue(value.text);
  if ('error' in value) return String(value.error);
  return null;
}

function readCsv(bytes: Buffer): SheetRow[] {
  const text = decodeCsv(bytes);
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const delimiter = firstLine.includes('\t') && !firstLine.includes(',') ? '\t' : ',';
  let records: string[][];
  try {
    records = parse(text, { delimiter, relax_column_count: true, relax_quotes: true });
  } catch (error) {
    throw new ImportFileError(
      'import-unreadable',
      `无法解析该 CSV 文件 / the CSV file cannot be parsed: ${(error as Error).message}`,
    );
  }
  if (records.length > MAX_IMPORT_ROWS + 2) throw tooManyRows();
  // Excel numbers a CSV's records as its rows, a quoted line break included.
  return records.map((cells, index) => ({ number: index + 1, cells }));
}

/**
 * UTF-8 with or without a byte-order mark, UTF-16 with one (Excel's "Unicode text"), and
 * otherwise GB18030: what Excel on Chinese Windows writes as "CSV".
 */
export function decodeCsv(bytes: Buffer): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return new TextDecoder('utf-8').decode(bytes.subarray(3));
  }
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('gb18030').decode(bytes);
  }
}

function tooManyRows(): ImportFileError {
  return new ImportFileError(
    'import-too-many-rows',
    `文件超过 ${MAX_IMPORT_ROWS} 行 / the file has more than ${MAX_IMPORT_ROWS} rows`,
  );
}
