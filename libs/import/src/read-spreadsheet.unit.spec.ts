import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import JSZip from 'jszip';
import {
  ImportFileError,
  MAX_IMPORT_BYTES,
  MAX_IMPORT_ROWS,
  decodeCsv,
  readSpreadsheet,
} from './read-spreadsheet';
import { csvOf, xlsxOf } from '@app/import/testing';

const CSV_TEXT = '项目名称,总投资（万元）,签约日期\n"晋中, 一期",470300,2023/5/29\n';

describe('reading an import file', () => {
  it('reads the first sheet of an .xlsx with Excel row numbers and typed cells', async () => {
    // given
    const file = await xlsxOf(
      [
        {
          name: '项目甲',
          totalInvestmentWan: 470300,
          signedOn: new Date(Date.UTC(2023, 4, 29)),
          industrial: true,
        },
      ],
      ['name', 'totalInvestmentWan', 'signedOn', 'industrial'],
    );
    // when
    const rows = await readSpreadsheet(file);
    // then
    expect(rows).toEqual([
      { number: 1, cells: ['项目名称', '总投资（万元）', '签约日期', '产业项目'] },
      { number: 2, cells: ['name', 'totalInvestmentWan', 'signedOn', 'industrial'] },
      { number: 3, cells: ['项目甲', 470300, new Date(Date.UTC(2023, 4, 29)), true] },
    ]);
  });

  it('keeps Excel row numbers across blank rows, and reads rich text and formula results', async () => {
    // given
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('s');
    sheet.getCell('A1').value = '项目名称';
    sheet.getCell('B1').value = '总投资（万元）';
    sheet.getCell('A5').value = { richText: [{ text: '项目' }, { text: '乙' }] };
    sheet.getCell('B5').value = { formula: '1+1', result: 2 };
    // when
    const rows = await readSpreadsheet(Buffer.from(await workbook.xlsx.writeBuffer()));
    // then
    expect(rows).toEqual([
      { number: 1, cells: ['项目名称', '总投资（万元）'] },
      { number: 5, cells: ['项目乙', 2] },
    ]);
  });

  it('reads every kind of cell as exceljs reads the whole workbook, in both date systems', async () => {
    for (const date1904 of [false, true]) {
      // given
      const workbook = new ExcelJS.Workbook();
      workbook.properties.date1904 = date1904;
      const sheet = workbook.addWorksheet('台账');
      workbook.addWorksheet('second').getCell('A1').value = 'not read';
      sheet.addRow(['项目名称', '签约日期', '总投资（万元）', '产业项目', '备注']);
      sheet.addRow([
        { richText: [{ text: '晋中' }, { text: '一期' }] },
        new Date(Date.UTC(2023, 4, 29)),
        { formula: 'B4*2', result: 940600 },
        false,
        { text: '链接', hyperlink: 'https://example.com' },
      ]);
      sheet.getCell('B3').value = new Date(Date.UTC(2024, 1, 29));
      sheet.getCell('B3').numFmt = 'yyyy"年"m"月"d"日"';
      sheet.getCell('C3').value = 1234.5;
      sheet.getCell('C3').numFmt = '#,##0.00';
      sheet.getCell('D3').value = { error: '#N/A' };
      sheet.getCell('E5').value = '  空格 ';
      const bytes = Buffer.from(await workbook.xlsx.writeBuffer());
      const reference = new ExcelJS.Workbook();
      await reference.xlsx.load(bytes as unknown as ExcelJS.Buffer);
      const expected: { number: number; cells: unknown[] }[] = [];
      reference.worksheets[0].eachRow((row, number) => {
        const cells: unknown[] = [];
        row.eachCell({ includeEmpty: true }, (cell, column) => {
          cells[column - 1] = shownValue(cell.value);
        });
        expected.push({ number, cells: Array.from(cells, (cell) => cell ?? null) });
      });
      // when / then
      expect(await readSpreadsheet(bytes)).toEqual(expected);
      expect(expected[1].cells).toEqual(['晋中一期', new Date(Date.UTC(2023, 4, 29)), 940600, false, '链接']);
      expect(expected[2].cells.slice(1, 4)).toEqual([new Date(Date.UTC(2024, 1, 29)), 1234.5, '#N/A']);
    }
  });

  it('reads CSV in UTF-8 with and without a byte-order mark, quoted commas included', async () => {
    const plain = Buffer.from(CSV_TEXT, 'utf8');
    const withBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), plain]);
    for (const file of [plain, withBom]) {
      expect(await readSpreadsheet(file)).toEqual([
        { number: 1, cells: ['项目名称', '总投资（万元）', '签约日期'] },
        { number: 2, cells: ['晋中, 一期', '470300', '2023/5/29'] },
      ]);
    }
  });

  it('reads a GB18030 CSV as Excel on Chinese Windows saves it', async () => {
    // given
    const file = iconv.encode(CSV_TEXT, 'gb18030');
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(file)).toThrow();
    // when / then
    expect(decodeCsv(file)).toBe(CSV_TEXT);
    expect((await readSpreadsheet(file))[1].cells[0]).toBe('晋中, 一期');
  });

  it('reads UTF-16 tab-separated text (Excel "Unicode text")', async () => {
    // given
    const file = Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      Buffer.from('项目名称\t签约日期\r\n甲\t2023-05-29\r\n', 'utf16le'),
    ]);
    // when / then
    expect(await readSpreadsheet(file)).toEqual([
      { number: 1, cells: ['项目名称', '签约日期'] },
      { number: 2, cells: ['甲', '2023-05-29'] },
    ]);
  });

  it('numbers CSV rows as Excel does: a blank line counts, a quoted line break does not', async () => {
    const file = Buffer.from('项目名称,产业链\n\n"两行\n名称",x\n乙,y\n');
    expect((await readSpreadsheet(file)).map((row) => row.number)).toEqual([1, 3, 4]);
  });

  it('keeps a stray quote inside an unquoted CSV cell, and reads rows shorter than the header', async () => {
    const file = Buffer.from('项目名称,企业名称,产业链\n晋中"一期",甲\n乙\n');
    expect(await readSpreadsheet(file)).toEqual([
      { number: 1, cells: ['项目名称', '企业名称', '产业链'] },
      { number: 2, cells: ['晋中"一期"', '甲'] },
      { number: 3, cells: ['乙'] },
    ]);
  });

  it('refuses a CSV whose quoted cell is never closed, naming the row', async () => {
    const file = Buffer.from('项目名称,产业链\n甲,x\n"乙,y\n丙,z\n');
    const refused = readSpreadsheet(file);
    await expect(refused).rejects.toMatchObject({ code: 'import-unreadable' });
    await expect(refused).rejects.toThrow(/第 3 行的引号不成对 \/ .*unmatched quote in row 3/);
  });

  it('counts rows, not line breaks: 10,000 data rows ending in a blank line are accepted', async () => {
    const lines = ['项目名称', 'name', ...Array.from({ length: MAX_IMPORT_ROWS }, (_, i) => `p${i}`)];
    const rows = await readSpreadsheet(Buffer.from(`${lines.join('\r\n')}\r\n\r\n`));
    expect(rows).toHaveLength(MAX_IMPORT_ROWS + 2);
    expect(rows[rows.length - 1]).toEqual({
      number: MAX_IMPORT_ROWS + 2,
      cells: [`p${MAX_IMPORT_ROWS - 1}`],
    });
  });

  it('refuses a file over 10 MB before parsing it', async () => {
    const file = Buffer.alloc(MAX_IMPORT_BYTES + 1, 0x41);
    await expect(readSpreadsheet(file)).rejects.toMatchObject({ code: 'import-too-large' });
  });

  it('refuses more than 10,000 rows, in either format', async () => {
    const rows = Array.from({ length: MAX_IMPORT_ROWS + 1 }, (_, i) => ({ name: `p${i}` }));
    for (const file of [await csvOf(rows, ['name']), await xlsxOf(rows, ['name'])]) {
      await expect(readSpreadsheet(file)).rejects.toMatchObject({ code: 'import-too-many-rows' });
    }
  }, 30_000);

  it('accepts exactly 10,000 data rows', async () => {
    const rows = Array.from({ length: MAX_IMPORT_ROWS }, (_, i) => ({ name: `p${i}` }));
    expect(await readSpreadsheet(await csvOf(rows, ['name']))).toHaveLength(MAX_IMPORT_ROWS + 2);
  });

  it('decodes entities in text and attributes, and refuses a sheet whose XML is not well-formed', async () => {
    // given a sheet with markup characters in its text, then the same sheet cut short and mis-nested
    const file = await xlsxOf(
      [{ name: '晋中 <一期> & "二期"', totalInvestmentWan: 1 }],
      ['name', 'totalInvestmentWan'],
    );
    const zip = await JSZip.loadAsync(file);
    const sheetXml = await zip.file('xl/worksheets/sheet1.xml')!.async('string');
    expect(await zip.file('xl/sharedStrings.xml')!.async('string')).toContain('&lt;一期&gt; &amp;');
    const rewritten = async (xml: string) =>
      Buffer.from(await zip.file('xl/worksheets/sheet1.xml', xml).generateAsync({ type: 'nodebuffer' }));
    // when / then
    expect((await readSpreadsheet(file))[2].cells).toEqual(['晋中 <一期> & "二期"', 1]);
    // a number format whose quoted text holds a "d" (written &quot;d&quot;) shows a number, not a date
    const workbook = new ExcelJS.Workbook();
    const cell = workbook.addWorksheet('台账').getCell('A1');
    cell.value = 12;
    cell.numFmt = '0" d"';
    expect(await readSpreadsheet(Buffer.from(await workbook.xlsx.writeBuffer()))).toEqual([
      { number: 1, cells: [12] },
    ]);
    for (const broken of [
      sheetXml.slice(0, sheetXml.indexOf('</sheetData>')),
      sheetXml.replace('</row>', '</c></row>'),
      sheetXml.replace(/<c r="A3"/, '<c r=A3'),
    ]) {
      await expect(readSpreadsheet(await rewritten(broken))).rejects.toMatchObject({
        code: 'import-unreadable',
        message: '无法读取该 .xlsx 文件 / the .xlsx file cannot be read',
      });
    }
  });

  it('says why an old .xls or a broken .xlsx cannot be read', async () => {
    const xls = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
    await expect(readSpreadsheet(xls)).rejects.toThrow(/\.xls/);
    const broken = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(40)]);
    await expect(readSpreadsheet(broken)).rejects.toBeInstanceOf(ImportFileError);
  });
});

/** What a cell shows, from exceljs's model: the reference the reader is compared with. */
function shownValue(value: ExcelJS.CellValue): unknown {
  if (value === null || typeof value !== 'object' || value instanceof Date) return value;
  if ('richText' in value) return value.richText.map((part) => part.text).join('');
  if ('result' in value) return value.result;
  if ('text' in value) return value.text;
  if ('error' in value) return value.error;
  return null;
}
