import JSZip from 'jszip';
import { Parser, decode } from 'saxen';
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

type Attributes = Record<string, string | undefined>;

/**
 * Calls `onOpen`, `onText` and `onClose` with element names without their namespace prefix.
 * saxen, not saxes: a 10,000-row sheet's 270,000 tags cost saxes a tag object and an attribute
 * object each, about a sixth of what an XLSX import allocates; saxen scans with indexOf and
 * parses a tag's attributes only when asked (`attributes()`), which the sheet's reader does for
 * rows and cells alone.
 */
function parseXml(
  xml: string,
  handlers: {
    onOpen?(name: string, attributes: () => Attributes): void;
    onText?(text: string): void;
    onClose?(name: string): void;
  },
): void {
  // An optional part the workbook does not have (no shared strings, say) reads as nothing.
  if (xml === '') return;
  const parser = new Parser();
  const local = (name: string) => name.slice(name.indexOf(':') + 1);
  let broken = false;
  // saxen stops at an error; what it only warns about (an attribute without quotes) is no
  // well-formed XML either, so the file is refused for both.
  parser.on('error', () => (broken = true));
  parser.on('warn', () => (broken = true));
  if (handlers.onOpen) {
    const onOpen = handlers.onOpen;
    parser.on('openTag', (name, getAttributes) =>
      onOpen(local(name), () => {
        const raw = getAttributes();
        if (raw === false) {
          broken = true;
          return {};
        }
        // saxen leaves attribute values as written (a number format's &quot;年&quot;, say).
        const attributes: Attributes = {};
        for (const key in raw) attributes[key] = decode(raw[key]);
        return attributes;
      }),
    );
  }
  if (handlers.onText) {
    const onText = handlers.onText;
    parser.on('text', (text, decodeEntities) => onText(decodeEntities(text)));
    parser.on('cdata', (text) => onText(text));
  }
  if (handlers.onClose) {
    const onClose = handlers.onClose;
    parser.on('closeTag', (name) => onClose(local(name)));
  }
  parser.parse(xml);
  if (broken) throw new XlsxFormatError('unreadable');
}

function readWorkbook(xml: string): { firstSheetRelationship?: string; date1904: boolean } {
  let firstSheetRelationship: string | undefined;
  let date1904 = false;
  parseXml(xml, {
    onOpen(name, attributesOf) {
      if (name === 'workbookPr') {
        const { date1904: value } = attributesOf();
        date1904 = value === '1' || value === 'true';
      }
      if (name === 'sheet' && firstSheetRelationship === undefined) {
        const id = Object.entries(attributesOf()).find(([key]) => key === 'r:id' || key.endsWith(':id'));
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
    onOpen(name, attributesOf) {
      if (name !== 'Relationship') return;
      const { Id, Target, Type } = attributesOf();
      if (!Id || !Target) return;
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
    onOpen(name, attributesOf) {
      if (name === 'numFmt') {
        const { formatCode, numFmtId } = attributesOf();
        if (isDateFormat(formatCode ?? '')) customDateFormats.add(Number(numFmtId));
      } else if (name === 'cellXfs') {
        inCellXfs = true;
      } else if (name === 'xf' && inCellXfs) {
        const format = Number(attributesOf().numFmtId ?? 0);
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
    onOpen(name, attributesOf) {
      if (name === 'row') {
        const { r } = attributesOf();
        const number = r ? Number(r) : (rows.at(-1)?.number ?? 0) + 1;
        row = { number, cells: [] };
        column = -1;
      } else if (name === 'c') {
        const attributes = attributesOf();
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
