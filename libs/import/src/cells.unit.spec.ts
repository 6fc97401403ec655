import { parseAmount, parseBatch, parseDate, parseId, parseText, parseYesNo } from './cells';

const value = <T>(parsed: { ok: true; value: T } | { ok: false; message: string }) =>
  parsed.ok ? parsed.value : `error: ${parsed.message}`;

describe('tolerant cell parsing', () => {
  it('reads every date format officers type', () => {
    for (const typed of [
      '2023-05-29',
      '2023/5/29',
      '2023.5.29',
      '2023年5月29日',
      '2023-5-29',
      '20230529',
      ' 2023/05/29 ',
      '２０２３／５／２９',
      '２０２３年５月２９日',
      '2023年 5月 29日',
      '2023-05-29 00:00:00',
      '2023/5/29 0:00',
      '2023-05-29T00:00:00.000Z',
    ]) {
      expect([typed, value(parseDate(typed))]).toEqual([typed, '2023-05-29']);
    }
  });

  it('reads Excel date cells and serial numbers', () => {
    expect(value(parseDate(new Date(Date.UTC(2023, 4, 29))))).toBe('2023-05-29');
    // 45075 is 2023-05-29 in Excel's 1900 date system; a time of day is ignored.
    expect(value(parseDate(45075))).toBe('2023-05-29');
    expect(value(parseDate(45075.75))).toBe('2023-05-29');
    expect(value(parseDate(20230529))).toBe('2023-05-29');
    // Serial 1 is 1899-12-31: before the calendar the tracker accepts.
    expect(parseDate(1).ok).toBe(false);
  });

  it('refuses what is not a calendar date', () => {
    for (const typed of [
      '2023-02-29',
      '2023/13/1',
      '2023.5',
      '29/5/2023',
      'May 29',
      '明天',
      '2023年5月32日',
      -3,
    ]) {
      expect(parseDate(typed)).toEqual({
        ok: false,
        message: '不是有效日期（如 2023-05-29） / not a valid date (e.g. 2023-05-29)',
      });
    }
  });

  it('reads whole 万元 with thousands separators, full-width digits and a unit', () => {
    expect(value(parseAmount(470300))).toBe(470300);
    expect(value(parseAmount('470,300'))).toBe(470300);
    expect(value(parseAmount('４７０，３００'))).toBe(470300);
    expect(value(parseAmount(' 470 300 '))).toBe(470300);
    expect(value(parseAmount('470300万元'))).toBe(470300);
    expect(value(parseAmount('5000.00'))).toBe(5000);
  });

  it('refuses fractions of 万元, negatives and words', () => {
    for (const typed of [1.5, '1.5', '-100', '四十七亿', '']) {
      expect(parseAmount(typed)).toEqual({
        ok: false,
        message: '须为整数万元 / must be a whole number of 万元',
      });
    }
  });

  it('reads 是/否, Y/N and booleans', () => {
    for (const yes of ['是', 'Y', 'y', 'yes', 'TRUE', '1', ' 是 ', 'Ｙ', true, 1])
      expect(value(parseYesNo(yes))).toBe(true);
    for (const no of ['否', 'N', 'no', 'false', '0', false, 0]) expect(value(parseYesNo(no))).toBe(false);
    expect(parseYesNo('也许').ok).toBe(false);
  });

  it('reads batches in Chinese and English', () => {
    expect(value(parseBatch('签约'))).toBe('signing');
    expect(value(parseBatch('开工一批'))).toBe('construction');
    expect(value(parseBatch(' 投产 '))).toBe('production');
    expect(value(parseBatch('Construction'))).toBe('construction');
    expect(parseBatch('达产').ok).toBe(false);
  });

  it('keeps names as typed but folds identifiers to ASCII', () => {
    expect(value(parseText('  山西某某（集团）有限公司\u3000'))).toBe('山西某某（集团）有限公司');
    expect(value(parseId(' ２０２３-ｒ１ '))).toBe('2023-r1');
    expect(value(parseId(1001))).toBe('1001');
  });

  it('refuses names with NUL, other control characters, line breaks or lone surrogates', () => {
    for (const name of ['a\u0000b', 'a\u0007b', 'a\nb', 'a\rb', 'a\u0085b', 'a\ud800b', 'a\udc00']) {
      expect(parseText(name).ok).toBe(false);
    }
    expect(value(parseText('新材料😀项目'))).toBe('新材料😀项目');
  });
});
