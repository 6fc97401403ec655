import { isPlainText } from './text';

describe('plain text (names, reasons)', () => {
  it('refuses NUL, C0 and C1 controls and lone surrogates', () => {
    for (const text of [
      '\u0000',
      'a\u0001',
      'a\u001f',
      'a\u007f',
      'a\u009b',
      '\ud800',
      'a\udfff',
      '\udc00\ud800',
    ]) {
      expect(isPlainText(text)).toBe(false);
      expect(isPlainText(text, { multiline: true })).toBe(false);
    }
  });

  it('allows tabs and line breaks only in multi-line text', () => {
    for (const text of ['a\tb', 'a\nb', 'a\r\nb']) {
      expect(isPlainText(text)).toBe(false);
      expect(isPlainText(text, { multiline: true })).toBe(true);
    }
  });

  it('accepts Chinese, full-width forms and characters outside the BMP', () => {
    expect(isPlainText('年产１０万吨新材料项目（一期）😀 =1+1')).toBe(true);
  });
});
