import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { parseRows } from './parse-rows';
import { readSpreadsheet } from './read-spreadsheet';
import { TEMPLATE_SHEET, buildTemplate, templateBuffer } from './template';

/** Written by `npm run import-template` (scripts/import-template.ts). */
const COMMITTED_TEMPLATE = join(__dirname, '..', '..', '..', 'docs', 'import-template.xlsx');

const ISSUE_ORDER =
  '项目编号 projectId, 项目名称 name, 企业名称 enterprise, 开发区 zone, 总投资（万元） totalInvestmentWan, ' +
  '产业项目 industrial, 战新项目 strategicEmerging, 产业链 industryChain, 活动轮次 roundId, 批次 batch, ' +
  '签约日期 signedOn, 计划开工日期 plannedStartOn, 计划投产日期 plannedProductionOn, ' +
  '开工日期 constructionStartedOn, 入统日期 statisticsEnteredOn, 投产日期 productionStartedOn, ' +
  '达效日期 attainedOn, 达规入库日期 aboveScaleOn';

/** Everything a user sees in a workbook: each sheet's cell values, notes and drop-downs. */
function contentOf(workbook: ExcelJS.Workbook) {
  return workbook.worksheets.map((sheet) => ({
    name: sheet.name,
    cells: sheet.getSheetValues(),
    notes: sheet.getRow(1).values,
    validations: (sheet.getRow(3).values as unknown[]).map(
      (_, i) => i > 0 && sheet.getCell(3, i).dataValidation,
    ),
  }));
}

async function load(buffer: Buffer): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(buffer as unknown as ExcelJS.Buffer);
  return workbook;
}

describe('the import template', () => {
  it('has the Chinese headers in row 1 and the English keys in row 2, in the issue order', async () => {
    // when
    const sheet = (await load(await templateBuffer())).getWorksheet(TEMPLATE_SHEET)!;
    // then
    const zh = (sheet.getRow(1).values as string[]).slice(1);
    const keys = (sheet.getRow(2).values as string[]).slice(1);
    expect(zh.map((header, i) => `${header} ${keys[i]}`).join(', ')).toBe(ISSUE_ORDER);
    expect(sheet.getCell('F3').dataValidation).toMatchObject({ type: 'list', formulae: ['"是,否"'] });
    expect(sheet.getCell('J3').dataValidation).toMatchObject({
      type: 'list',
      formulae: ['"签约,开工,投产"'],
    });
  });

  it('is read back by the import as headers with no data rows', async () => {
    const parsed = parseRows(await readSpreadsheet(await templateBuffer()));
    expect(parsed.issues).toEqual([
      { row: 1, column: '', message: '文件没有数据行 / the file has no data rows' },
    ]);
  });

  it('is committed as docs/import-template.xlsx with the content the code builds (npm run import-template)', async () => {
    // given
    const committed = await load(readFileSync(COMMITTED_TEMPLATE));
    const built = await load(Buffer.from(await buildTemplate().xlsx.writeBuffer()));
    // then
    expect(contentOf(committed)).toEqual(contentOf(built));
  });
});
