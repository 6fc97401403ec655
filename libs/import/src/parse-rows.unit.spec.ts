import { ImportFileError, MAX_IMPORT_ROWS, SheetRow } from './read-spreadsheet';
import { parseRows } from './parse-rows';

const ZH = [
  '项目名称',
  '企业名称',
  '开发区',
  '总投资（万元）',
  '产业项目',
  '活动轮次',
  '批次',
  '签约日期',
  '开工日期',
];
const KEYS = [
  'name',
  'enterprise',
  'zone',
  'totalInvestmentWan',
  'industrial',
  'roundId',
  'batch',
  'signedOn',
  'constructionStartedOn',
];
const DATA = [
  '项目甲',
  '企业甲',
  '晋中开发区',
  '470,300',
  '是',
  '2023-r2',
  '开工',
  '2023/3/1',
  '2023年4月1日',
];

const sheet = (...rows: (string | number | null)[][]): SheetRow[] =>
  rows.map((cells, index) => ({ number: index + 1, cells }));

const ROW_A = {
  row: 3,
  name: '项目甲',
  enterprise: '企业甲',
  zone: '晋中开发区',
  totalInvestmentWan: 470300,
  industrial: true,
  roundId: '2023-r2',
  batch: 'construction',
  signedOn: '2023-03-01',
  milestones: { 'construction-started': '2023-04-01' },
};

describe('reading rows by their headers', () => {
  it('reads data from row 3 below the Chinese headers and the English keys', () => {
    expect(parseRows(sheet(ZH, KEYS, DATA))).toEqual({ rows: [expect.objectContaining(ROW_A)], issues: [] });
  });

  it('matches headers by either row, ignoring spaces, full-width forms and column order', () => {
    // given: an English-only header row with full-width letters, columns shuffled, data from row 2
    const headers = [
      'ｎａｍｅ',
      ' enterprise ',
      '开发区',
      '总投资 (万元)',
      'Industrial',
      '活动 轮次',
      'batch',
      'signedOn',
      '开工日期',
    ];
    const order = [8, 0, 3, 1, 2, 4, 5, 6, 7];
    // when
    const parsed = parseRows(
      sheet(
        order.map((i) => headers[i]),
        order.map((i) => DATA[i]),
      ),
    );
    // then
    expect(parsed.issues).toEqual([]);
    expect(parsed.rows).toEqual([expect.objectContaining({ ...ROW_A, row: 2 })]);
  });

  it('names every missing required column, and every unknown one', () => {
    const parsed = parseRows(sheet(['项目名称', '开工时间', '备注'], ['甲', '2023-01-01', 'x']));
    expect(parsed.rows).toEqual([]);
    expect(parsed.issues).toEqual(
      expect.arrayContaining([
        {
          row: 1,
          column: '开工时间',
          message:
            '未知的列“开工时间”，请使用模板的列名 / unknown column "开工时间": use the template\'s headers',
        },
        { row: 1, column: '备注', message: expect.stringContaining('unknown column') },
        { row: 1, column: '企业名称', message: '缺少必填列 / required column missing' },
        { row: 1, column: '签约日期', message: '缺少必填列 / required column missing' },
      ]),
    );
    expect(parsed.issues).toHaveLength(2 + 7);
  });

  it('reports every unreadable or missing cell of every row, with its spreadsheet row', () => {
    // given
    const bad1 = [...DATA];
    bad1[3] = '47.5';
    bad1[8] = '2023-02-30';
    const bad2 = [...DATA];
    bad2[0] = '  ';
    bad2[6] = '达产';
    // when
    const parsed = parseRows(sheet(ZH, KEYS, DATA, bad1, DATA, bad2));
    // then
    expect(parsed.rows.map((row) => row.row)).toEqual([3, 5]);
    expect(parsed.issues).toEqual([
      { row: 4, column: '总投资（万元）', message: '须为整数万元 / must be a whole number of 万元' },
      {
        row: 4,
        column: '开工日期',
        message: '不是有效日期（如 2023-05-29） / not a valid date (e.g. 2023-05-29)',
      },
      { row: 6, column: '项目名称', message: '必填 / required' },
      { row: 6, column: '批次', message: '批次须为签约、开工或投产 / batch must be 签约, 开工 or 投产' },
    ]);
  });

  it('leaves empty optional cells out', () => {
    const headers = [...ZH, '战新项目', '产业链'];
    const [row] = parseRows(sheet(headers, [...DATA.slice(0, 8), '', '', ''])).rows;
    expect(row.milestones).toEqual({});
    expect(row).not.toHaveProperty('strategicEmerging', expect.anything());
    expect(row.industryChain).toBeUndefined();
  });

  it('refuses more than 10,000 data rows', () => {
    const rows = sheet(ZH, KEYS, ...Array.from({ length: MAX_IMPORT_ROWS + 1 }, () => DATA));
    expect(() => parseRows(rows)).toThrow(ImportFileError);
  });

  it('says when there is nothing to import', () => {
    expect(parseRows(sheet(ZH, KEYS)).issues).toEqual([
      { row: 1, column: '', message: '文件没有数据行 / the file has no data rows' },
    ]);
  });
});
