import { describe, expect, it } from 'vitest';
import { qrPath } from './qrMatrix';

describe('qrPath', () => {
  it('draws a square code with finder patterns in the corners', () => {
    const { size, path } = qrPath('http://192.168.1.20:7420/#join=abcdefghijklmnopqrstuvwxyz0123456789');
    expect(size).toBeGreaterThanOrEqual(21);
    expect((size - 17) % 4).toBe(0);
    // The top-left finder pattern's first row is seven dark modules in a row.
    expect(path.startsWith('M0 0h7v1h-7z')).toBe(true);
    expect(path).toMatch(new RegExp(`M${size - 7} 0h7v1h-7z`));
  });

  it('is deterministic', () => {
    expect(qrPath('hello')).toEqual(qrPath('hello'));
  });
});
