import { describe, expect, it } from 'vitest';
import { DEFAULT_WINDOW_SIZE, initialWindow } from './windowState';

const primary = { x: 0, y: 0, width: 1920, height: 1040 };
const right = { x: 1920, y: 0, width: 1280, height: 1024 };

describe('initialWindow', () => {
  it('centres the default size on the primary display the first time', () => {
    expect(initialWindow(undefined, [primary], primary)).toEqual({
      bounds: {
        x: (1920 - DEFAULT_WINDOW_SIZE.width) / 2,
        y: (1040 - DEFAULT_WINDOW_SIZE.height) / 2,
        ...DEFAULT_WINDOW_SIZE,
      },
      maximized: false,
    });
  });

  it('restores saved bounds that are on a display, second monitor included', () => {
    const saved = { x: 2000, y: 100, width: 900, height: 700, maximized: true };
    expect(initialWindow(saved, [primary, right], primary)).toEqual({
      bounds: { x: 2000, y: 100, width: 900, height: 700 },
      maximized: true,
    });
  });

  it('falls back to the default when the saved place is on a display that is gone', () => {
    const saved = { x: 2000, y: 100, width: 900, height: 700, maximized: false };
    const result = initialWindow(saved, [primary], primary);
    expect(result.bounds.x).toBeLessThan(1920);
    expect(result.bounds).toMatchObject(DEFAULT_WINDOW_SIZE);
  });

  it('does not count a sliver at the screen edge as visible', () => {
    const saved = { x: 1900, y: 0, width: 900, height: 700, maximized: false };
    expect(initialWindow(saved, [primary], primary).bounds.x).toBe((1920 - DEFAULT_WINDOW_SIZE.width) / 2);
  });

  it('shrinks a window larger than its display, and the default on a small screen', () => {
    const small = { x: 0, y: 0, width: 1024, height: 600 };
    expect(initialWindow({ x: 0, y: 0, width: 1900, height: 1000, maximized: false }, [small], small).bounds).toEqual({
      x: 0,
      y: 0,
      width: 1024,
      height: 600,
    });
    expect(initialWindow(undefined, [small], small).bounds).toEqual({ x: 0, y: 0, width: 1024, height: 600 });
  });
});
