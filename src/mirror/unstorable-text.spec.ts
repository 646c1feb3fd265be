import { escapeNul, holdsNul, restored, restoreNul, storable } from './unstorable-text.js';

describe('unstorable text', () => {
  const tricky = ['a\u0000b', '\u0000', '\\0', '\\\u0000', 'back\\slash\u0000\\\\0', '\u0000\u0000\\'];

  it.each(tricky)('escapes %j into a NUL-free string and restores it exactly', (text) => {
    const escaped = escapeNul(text) as string;
    expect(escaped).not.toContain('\u0000');
    expect(restoreNul(escaped)).toBe(text);
  });

  it('escapes strings and keys deep inside Json values, and restores them', () => {
    const value = { 'k\u0000ey': ['x\u0000', { inner: 'y\\0\u0000' }], n: 1, b: true, z: null };
    const escaped = escapeNul(value);
    expect(holdsNul(escaped)).toBe(false);
    expect(JSON.stringify(escaped)).not.toContain('\\u0000');
    expect(restoreNul(escaped)).toEqual(value);
  });

  it('leaves rows without NUL as they are, backslashes included, and flags nothing', () => {
    const row = { name: 'C:\\temp\\0', value: { path: 'a\\b' } };
    expect(storable(row, ['name', 'value'])).toEqual({ ...row, escapedFields: [] });
  });

  it('escapes only the fields that hold NUL, lists them, and restores the engine values', () => {
    const row = { id: 'v1', name: 'plain\\0', value: { text: 'a\u0000b' }, type: 'Json' };
    const stored = storable(row, ['name', 'value', 'type']);
    expect(stored.escapedFields).toEqual(['value']);
    expect(stored.name).toBe('plain\\0');
    expect(holdsNul(stored)).toBe(false);
    expect(restored(stored)).toEqual({ ...row, escapedFields: [] });
  });

  it('finds NUL in strings, arrays and keys only', () => {
    expect(holdsNul(['ok', 'n\u0000'])).toBe(true);
    expect(holdsNul({ 'k\u0000': 1 })).toBe(true);
    expect(holdsNul({ date: new Date(0), n: 0 })).toBe(false);
  });
});
