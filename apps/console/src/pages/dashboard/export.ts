import { formatRate } from '../../format';
import { RATES, RateRow } from '../../services/types';
import { rankTable } from './rate-view';

export type Cell = string | number;

export interface Sheet {
  name: string;
  header: string[];
  rows: Cell[][];
}

export interface RateLabels {
  unit: string;
  rank: string;
  byCount: string;
  byInvestment: string;
  rate(key: string): string;
}

/** The rate table as a sheet: per rate both bases with numerator/denominator, and the rank. */
export function rateSheet(rows: readonly RateRow[], labels: RateLabels): Sheet {
  const header = [labels.unit];
  for (const rate of RATES) {
    const name = labels.rate(rate);
    header.push(`${name} ${labels.byCount}`, `${name} ${labels.byInvestment}`, `${name} ${labels.rank}`);
  }
  const ranks = rankTable(rows);
  return {
    name: 'rates',
    header,
    rows: rows.map((row, index) => {
      const cells: Cell[] = [row.name];
      for (const rate of RATES) {
        const cell = row[rate];
        cells.push(
          `${formatRate(cell.byCount)} (${cell.count}/${cell.cohortCount})`,
          `${formatRate(cell.byInvestment)} (${cell.wan}/${cell.cohortWan})`,
          ranks[rate][index] ?? '—',
        );
      }
      return cells;
    }),
  };
}

/** Saves sheets as an Excel file; exceljs is loaded only when someone exports. */
export async function downloadXlsx(sheets: Sheet[], fileName: string): Promise<void> {
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  for (const { name, header, rows } of sheets) {
    const sheet = workbook.addWorksheet(name);
    sheet.addRow(header);
    for (const row of rows) sheet.addRow(row);
    sheet.getRow(1).font = { bold: true };
  }
  const buffer = await workbook.xlsx.writeBuffer();
  const url = URL.createObjectURL(
    new Blob([buffer], { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }),
  );
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = fileName;
  anchor.click();
  URL.revokeObjectURL(url);
}
