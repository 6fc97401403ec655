import ExcelJS from 'exceljs';
import { ColumnKey, IMPORT_COLUMNS } from '../columns';

export type SheetValues = Partial<Record<ColumnKey, string | number | boolean | Date>>;

/** A workbook laid out as the template: Chinese headers, English keys, then the rows. */
export function workbookOf(
  rows: SheetValues[],
  columns: readonly ColumnKey[] = IMPORT_COLUMNS.map((c) => c.key),
): ExcelJS.Workbook {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('台账');
  const chosen = columns.map((key) => IMPORT_COLUMNS.find((column) => column.key === key)!);
  sheet.addRow(chosen.map((column) => column.zh));
  sheet.addRow(chosen.map((column) => column.key));
  for (const row of rows) sheet.addRow(chosen.map((column) => row[column.key] ?? null));
  return workbook;
}

export async function xlsxOf(rows: SheetValues[], columns?: readonly ColumnKey[]): Promise<Buffer> {
  return Buffer.from(await workbookOf(rows, columns).xlsx.writeBuffer());
}

/** The same rows as CSV, written by exceljs (fast-csv underneath), dates as YYYY-MM-DD. */
export async function csvOf(rows: SheetValues[], columns?: readonly ColumnKey[]): Promise<Buffer> {
  return Buffer.from(
    await workbookOf(rows, columns).csv.writeBuffer({ dateFormat: 'YYYY-MM-DD', dateUTC: true }),
  );
}
