import Papa from 'papaparse';
import { Cell } from './cells';
import { XlsxFormatError, readFirstWorksheet } from './read-xlsx';

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

async function readXlsx(bytes: Buffer): Promise<SheetRow[]> {
  let rows: SheetRow[];
  try {
    rows = await readFirstWorksheet(bytes);
  } catch (error) {
    if (!(error instanceof XlsxFormatError)) throw error;
    throw new ImportFileError(
      'import-unreadable',
      error.reason === 'no-sheet'
        ? '工作簿没有工作表 / the workbook has no sheet'
        : '无法读取该 .xlsx 文件 / the .xlsx file cannot be read',
    );
  }
  // Two header rows come before the data.
  if (rows.filter((row) => row.cells.some((cell) => cell !== null)).length > MAX_IMPORT_ROWS + 2) {
    throw tooManyRows();
  }
  return rows;
}

/**
 * papaparse: one synchronous pass over the text. csv-parse builds an error, stack trace
 * included, for every row shorter or longer than the first even when told to accept it (Excel
 * and exceljs leave trailing blank cells out); fast-csv streams every record through several
 * transforms: 220–270 ms for a 10,000-row file where papaparse takes about 30 (bench/README.md).
 */
function readCsv(bytes: Buffer): SheetRow[] {
  const text = decodeCsv(bytes);
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const delimiter = firstLine.includes('\t') && !firstLine.includes(',') ? '\t' : ',';
  const parsed = Papa.parse<string[]>(text, { delimiter, skipEmptyLines: false });
  // Ragged rows are normal here (see above); a broken quote is not.
  const broken = parsed.errors.find((error) => error.type === 'Quotes');
  if (broken) {
    throw new ImportFileError(
      'import-unreadable',
      `无法解析该 CSV 文件：第 ${(broken.row ?? 0) + 1} 行的引号不成对 / the CSV file cannot be parsed: unmatched quote in row ${(broken.row ?? 0) + 1}`,
    );
  }
  const records = parsed.data;
  // Blank records (the one the final line break leaves, blank lines) are no rows: not counted
  // here, and left out by readSpreadsheet.
  if (records.filter((cells) => cells.some((cell) => cell.trim() !== '')).length > MAX_IMPORT_ROWS + 2)
    throw tooManyRows();
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
