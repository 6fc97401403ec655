import { canonicalJson, contentHashOf } from './canonical-json';

describe('canonical JSON (what a notification is hashed and served as)', () => {
  it('sorts keys at every depth by code unit, without whitespace', () => {
    const value = { b: 1, a: [{ z: true, y: null }, '开'], 中: { d: 'x', c: -0.5 }, B: 2 };
    expect(canonicalJson(value)).toBe('{"B":2,"a":[{"y":null,"z":true},"开"],"b":1,"中":{"c":-0.5,"d":"x"}}');
  });

  it('leaves out undefined in objects and writes null for it in arrays, as JSON.parse would read it back', () => {
    expect(canonicalJson({ a: undefined, b: [undefined, 1] })).toBe('{"b":[null,1]}');
    expect(canonicalJson(undefined)).toBe('null');
  });

  it('gives equal bytes (and hash) for equal values whatever the key order', () => {
    const one = { month: '2024-01', rates: { start: 0.5, production: null }, issue: 1 };
    const other = { issue: 1, rates: { production: null, start: 0.5 }, month: '2024-01' };
    expect(canonicalJson(one)).toBe(canonicalJson(other));
    expect(contentHashOf(one)).toBe(contentHashOf(other));
    expect(contentHashOf(one)).toBe('281b91e30d760160217d02bd2f22eaf08b669f750728b9d32f1dfe26108a3d04');
  });

  it('writes an object whose keys are already in order as it is, and integer-like keys as a sorted copy would (ascending first)', () => {
    const inOrder = { a: 1, b: { c: 2, d: [{ e: 3, f: 4 }] } };
    expect(canonicalJson(inOrder)).toBe('{"a":1,"b":{"c":2,"d":[{"e":3,"f":4}]}}');
    expect(canonicalJson({ b: { d: [{ f: 4, e: 3 }], c: 2 }, a: 1 })).toBe(canonicalJson(inOrder));
    // a copy built in code-unit order ("10" < "9") still enumerates integer-like keys ascending
    expect(canonicalJson({ 10: 'x', 9: 'y', a: 'z' })).toBe('{"9":"y","10":"x","a":"z"}');
    expect(canonicalJson({ 2024: 1, 2025: 2 })).toBe('{"2024":1,"2025":2}');
  });
});
