import ExcelJS from 'exceljs';
import { IMPORT_COLUMNS } from './columns';

export const TEMPLATE_SHEET = '台账';
export const TEMPLATE_NOTES_SHEET = '说明';
/** Fixed so that the same code always builds the same workbook content. */
const TEMPLATE_DATE = new Date(Date.UTC(2026, 0, 1));
/** Rows given the template's formats and drop-downs (officers add 50 to 300 per round). */
const FORMATTED_ROWS = 1000;

/**
 * The import template (API.md "Import template"): row 1 the Chinese headers, row 2 the
 * English keys, data from row 3, with drop-downs for 是/否 and the batch, and a notes sheet.
 */
export function buildTemplate(): ExcelJS.Workbook {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'project-lifecycle-tracker';
  workbook.created = TEMPLATE_DATE;
  workbook.modified = TEMPLATE_DATE;
  const sheet = workbook.addWorksheet(TEMPLATE_SHEET, { views: [{ state: 'frozen', ySplit: 2 }] });
  sheet.columns = IMPORT_COLUMNS.map((column) => ({
    key: column.key,
    width: Math.max(12, column.zh.length * 2 + 4, column.key.length + 2),
    style: column.kind === 'date' ? { numFmt: 'yyyy-mm-dd' } : {},
  }));
  const zh = sheet.addRow(IMPORT_COLUMNS.map((column) => column.zh));
  const keys = sheet.addRow(IMPORT_COLUMNS.map((column) => column.key));
  zh.font = { bold: true };
  keys.font = { italic: true, color: { argb: 'FF666666' } };
  IMPORT_COLUMNS.forEach((column, index) => {
    const header = zh.getCell(index + 1);
    header.note = column.hint;
    if (column.required) header.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFF2CC' } };
    const list =
      column.kind === 'yes-no' ? '"是,否"' : column.kind === 'batch' ? '"签约,开工,投产"' : undefined;
    if (!list) return;
    for (let row = 3; row < 3 + FORMATTED_ROWS; row++) {
      sheet.getCell(row, index + 1).dataValidation = { type: 'list', allowBlank: true, formulae: [list] };
    }
  });
  const notes = workbook.addWorksheet(TEMPLATE_NOTES_SHEET);
  notes.columns = [
    { header: '列 / column', key: 'zh', width: 18 },
    { header: 'key', key: 'key', width: 24 },
    { header: '必填 / required', key: 'required', width: 16 },
    { header: '说明 / how to fill', key: 'hint', width: 90 },
  ];
  notes.getRow(1).font = { bold: true };
  for (const column of IMPORT_COLUMNS) {
    notes.addRow({
      zh: column.zh,
      key: column.key,
      required: column.required ? '是' : '否',
      hint: column.hint,
    });
  }
  notes.addRow({});
  notes.addRow({
    zh: '整表导入 / all or nothing',
    hint: '任一行有误则整表不写入，并列出每个错误的行和列 / if any row is wrong nothing is written, and every problem is listed by row and column',
  });
  notes.addRow({
    zh: '重复导入 / re-import',
    hint: '已登记且相同的行不产生记录；与已登记不一致的行报错，更正请用更正接口 / rows already recorded identically add nothing; a row that differs is an error: correct dates through the correction endpoint',
  });
  return workbook;
}

export async function templateBuffer(): Promise<Buffer> {
  return Buffer.from(await buildTemplate().xlsx.writeBuffer());
}
