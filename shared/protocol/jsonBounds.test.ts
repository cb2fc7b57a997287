import { describe, expect, it } from 'vitest';
import { exceededJsonBound } from './jsonBounds';

const bounds = { maxDepth: 3, maxElements: 4 };

describe('exceededJsonBound', () => {
  it('counts nesting of objects and arrays, the top level as 1', () => {
    expect(exceededJsonBound('{"a":[{}]}', bounds)).toBeUndefined();
    expect(exceededJsonBound('{"a":[{"b":[]}]}', bounds)).toBe('depth');
    expect(exceededJsonBound('[[[]],[[]],[[]]]', bounds)).toBeUndefined();
  });

  it('counts commas and colons as elements', () => {
    expect(exceededJsonBound('{"a":1,"b":2}', bounds)).toBeUndefined();
    expect(exceededJsonBound('{"a":1,"b":2,"c":3}', bounds)).toBe('elements');
  });

  it('ignores brackets, commas and colons inside strings, escaped quotes included', () => {
    expect(exceededJsonBound(JSON.stringify({ t: '[[[[,,,,::::]]]]' }), bounds)).toBeUndefined();
    expect(exceededJsonBound(JSON.stringify({ t: 'say "[[[[" \\' }), bounds)).toBeUndefined();
    // The escaped backslash ends before the quote, so the string ends there and the brackets count.
    expect(exceededJsonBound('{"t":"\\\\",[[[[]]]]}', bounds)).toBe('depth');
    // An escaped backslash, then an escaped quote: the string goes on.
    expect(exceededJsonBound('{"t":"\\\\\\"[[[["}', bounds)).toBeUndefined();
    expect(exceededJsonBound('{"t":"unterminated [[[[,,,,', bounds)).toBeUndefined();
  });

  it('stops at the first breach, whatever follows', () => {
    expect(exceededJsonBound(`${'['.repeat(4)}${'"'.repeat(3)}`, bounds)).toBe('depth');
  });
});
