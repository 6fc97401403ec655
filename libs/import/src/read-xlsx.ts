import JSZip from 'jszip';
import { SaxesParser, SaxesTagPlain } from 'saxes';
import { Cell } from './cells';

/** One worksheet row: Excel's row number and its cells from column A (absent ones null). */
export interface XlsxRow {
  number: number;
  cells: Cell[];
}

/** The file is not a workbook this reader understands (not a zip, no workbook, no sheet). */
export class XlsxFormatError extends Error {
  constructor(readonly reason: 'unreadable' | 'no-sheet') {
    super(reason === 'no-sheet' ? 'the workbook has no sheet' : 'the file is not a readable .xlsx');
    this.name = 'XlsxFormatError';
  }
}

/**
 * The rows of the first worksheet of an `.xlsx`, read straight from its XML (jszip to unzip,
 * saxes to parse): an import needs each cell's shown value, not exceljs's whole workbook
 * model, which took three times as long to build as the rest of reading a 10,000-row file.
 * Cells read as exceljs reads them: shared and inline strings (rich text joined), numbers,
 * booleans, formula results, error values as text, and numbers styled as dates as `Date`s.
 */
export async function readFirstWorksheet(bytes: Buffer): Promise<XlsxRow[]> {
  let zip: JSZip;
  try {
    zip = await JSZip.loadAsync(bytes);
  } catch {
    throw new XlsxFormatError('unreadable');
  }
  const workbookXml = await zip.file('xl/workbook.xml')?.async('string');
  if (workbookXml === undefined) throw new XlsxFormatError('unreadable');
  const workbook = readWorkbook(workbookXml);
  const targets = readRelationships((await zip.file('xl/_rels/workbook.xml.rels')?.async('string')) ?? '');
  const sheetTarget = workbook.firstSheetRelationship && targets.byId.get(workbook.firstSheetRelationship);
  const sheetXml = sheetTarget && (await zip.file(sheetTarget)?.async('string'));
  if (!sheetXml) throw new XlsxFormatError('no-sheet');
  const shared = readSharedStrings((await zip.file(targets.sharedStrings)?.async('string')) ?? '');
  const dateStyles = readDateStyles((await zip.file(targets.styles)?.async('string')) ?? '');
  return readSheet(sheetXml, shared, dateStyles, workbook.date1904);
}

/** Calls `onOpen`, `onText` and `onClose` with element names without their namespace prefix. */
function parseXml(
  xml: string,
  handlers: {
    onOpen?(name: string, attributes: Record<string, string>): void;
    onText?(text: string): void;
    onClose?(name: string): void;
  },
): void {
  const parser = new SaxesParser();
  const local = (name: string) => name.slice(name.indexOf(':') + 1);
  if (handlers.onOpen) {
    const onOpen = handlers.onOpen;
    parser.on('opentag', (tag: SaxesTagPlain) => onOpen(local(tag.name), tag.attributes));
  }
  if (handlers.onText) parser.on('text', handlers.onText);
  if (handlers.onText) parser.on('cdata', handlers.onText);
  if (handlers.onClose) {
    const onClose = handlers.onClose;
    parser.on('closetag', (tag) => onClose(local(tag.name)));
  }
  try {
    parser.write(xml).close();
  } catch {
    throw new XlsxFormatError('unreadable');
  }
}

function readWorkbook(xml: string): { firstSheetRelationship?: string; date1904: boolean } {
  let firstSheetRelationship: string | undefined;
  let date1904 = false;
  parseXml(xml, {
    onOpen(name, attributes) {
      if (name === 'workbookPr') date1904 = attributes.date1904 === '1' || attributes.date1904 === 'true';
      if (name === 'sheet' && firstSheetRelationship === undefined) {
        const id = Object.entries(attributes).find(([key]) => key === 'r:id' || key.endsWith(':id'));
        firstSheetRelationship = id?.[1];
      }
    },
  });
  return { firstSheetRelationship, date1904 };
}

/** The workbook's parts by relationship id, and its shared strings and styles parts. */
function readRelationships(xml: string): {
  byId: Map<string, string>;
  sharedStrings: string;
  styles: string;
} {
  const byId = new Map<string, string>();
  let sharedStrings = 'xl/sharedStrings.xml';
  let styles = 'xl/styles.xml';
  parseXml(xml, {
    onOpen(name, { Id, Target, Type }) {
      if (name !== 'Relationship' || !Target) return;
      const path = Target.startsWith('/') ? Target.slice(1) : `xl/${Target}`;
      byId.set(Id, path);
      if (Type?.endsWith('/sharedStrings')) sharedStrings = path;
      if (Type?.endsWith('/styles')) styles = path;
    },
  });
  return { byId, sharedStrings, styles };
}

/** Each shared string's text: its runs joined, phonetic guides (`rPh`) left out. */
function readSharedStrings(xml: string): string[] {
  const strings: string[] = [];
  let current = '';
  let inText = false;
  let inPhonetic = false;
  parseXml(xml, {
    onOpen(name) {
      if (name === 'si') current = '';
      else if (name === 'rPh') inPhonetic = true;
      else if (name === 't') inText = !inPhonetic;
    },
    onText(text) {
      if (inText) current += text;
    },
    onClose(name) {
      if (name === 't') inText = false;
      else if (name === 'rPh') inPhonetic = false;
      else if (name === 'si') strings.push(current);
    },
  });
  return strings;
}

/** Excel's built-in number formats that show a date or time. */
const BUILT_IN_DATE_FORMATS = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 30, 36, 45, 46, 47, 50, 57]);

/** A custom format shows a date when, outside quoted text and [brackets], it has d, m, y, h or s. */
const isDateFormat = (code: string) =>
  /[dmyhs]/i.test(code.replace(/"[^"]*"|\[[^\]]*\]|\\./g, '').replace(/General/gi, ''));

/** Which cell styles (indexes into `cellXfs`) show numbers as dates. */
function readDateStyles(xml: string): Set<number> {
  const customDateFormats = new Set<number>();
  const dateStyles = new Set<number>();
  let inCellXfs = false;
  let index = 0;
  parseXml(xml, {
    onOpen(name, attributes) {
      if (name === 'numFmt' && isDateFormat(attributes.formatCode ?? '')) {
        customDateFormats.add(Number(attributes.numFmtId));
      } else if (name === 'cellXfs') {
        inCellXfs = true;
      } else if (name === 'xf' && inCellXfs) {
        const format = Number(attributes.numFmtId ?? 0);
        if (BUILT_IN_DATE_FORMATS.has(format) || customDateFormats.has(format)) dateStyles.add(index);
        index++;
      }
    },
    onClose(name) {
      if (name === 'cellXfs') inCellXfs = false;
    },
  });
  return dateStyles;
}

/** Days between Excel's day 0 (1899-12-30; 1904-01-01 in the 1904 system) and 1970-01-01. */
const EPOCH_1900_DAYS = 25_569;
const EPOCH_1904_DAYS = 24_107;

function readSheet(xml: string, shared: string[], dateStyles: Set<number>, date1904: boolean): XlsxRow[] {
  const rows: XlsxRow[] = [];
  let row: XlsxRow | undefined;
  let column = -1;
  let type = 'n';
  let style = 0;
  let value: string | undefined;
  let text = '';
  let collecting = false;
  let inInline = false;
  const toCell = (): Cell => {
    switch (type) {
      case 's':
        return value === undefined ? null : (shared[Number(value)] ?? null);
      case 'inlineStr':
        return text;
      case 'str':
      case 'e':
        return value ?? null;
      case 'b':
        return value === undefined ? null : value === '1' || value === 'true';
      case 'd':
        return value === undefined ? null : new Date(value);
      default: {
        if (value === undefined || value.trim() === '') return null;
        const number = Number(value);
        if (!dateStyles.has(style)) return number;
        const days = number - (date1904 ? EPOCH_1904_DAYS : EPOCH_1900_DAYS);
        return new Date(Math.round(days * 86_400_000));
      }
    }
  };
  parseXml(xml, {
    onOpen(name, attributes) {
      if (name === 'row') {
        const number = attributes.r ? Number(attributes.r) : (rows.at(-1)?.number ?? 0) + 1;
        row = { number, cells: [] };
        column = -1;
      } else if (name === 'c') {
        column = attributes.r ? columnIndex(attributes.r) : column + 1;
        type = attributes.t ?? 'n';
        style = Number(attributes.s ?? 0);
        value = undefined;
        text = '';
      } else if (name === 'v') {
        collecting = true;
        value = '';
      } else if (name === 'is') {
        inInline = true;
      } else if (name === 't' && inInline) {
        collecting = true;
      }
    },
    onText(chunk) {
      if (!collecting) return;
      if (inInline) text += chunk;
      else value += chunk;
    },
    onClose(name) {
      if (name === 'v' || name === 't') collecting = false;
      else if (name === 'is') inInline = false;
      else if (name === 'c' && row) row.cells[column] = toCell();
      else if (name === 'row' && row) {
        rows.push({ number: row.number, cells: Array.from(row.cells, (cell) => cell ?? null) });
        row = undefined;
      }
    },
  });
  return rows;
}

/** `AB12` → 27 (0-based column of the cell reference). */
function columnIndex(reference: string): number {
  let index = 0;
  for (const char of reference) {
    const code = char.charCodeAt(0);
    if (code < 65 || code > 90) break;
    index = index * 26 + (code - 64);
  }
  return index - 1;
}
