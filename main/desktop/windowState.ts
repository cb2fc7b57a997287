/**
 * Where the main window opens. Saved bounds are reused only while they are
 * still on a screen: a monitor unplugged since last time would otherwise put
 * the window somewhere nobody can see or grab it.
 */
import type { WindowBounds } from './SettingsStore';

export type Rect = { x: number; y: number; width: number; height: number };

export const DEFAULT_WINDOW_SIZE = { width: 1100, height: 760 } as const;
export const MIN_WINDOW_SIZE = { width: 360, height: 480 } as const;
/** How much of the window must be on some display for the saved place to count (enough to grab the title bar). */
const MIN_VISIBLE = 64;

export type InitialWindow = { bounds: Rect; maximized: boolean };

/**
 * @param saved what was saved when the window last moved or closed
 * @param workAreas each display's work area (without task bars)
 * @param primary the primary display's work area, for the default
 */
export function initialWindow(
  saved: WindowBounds | undefined,
  workAreas: readonly Rect[],
  primary: Rect,
): InitialWindow {
  if (saved) {
    const area = workAreas.find((a) => overlap(saved, a) >= MIN_VISIBLE);
    if (area) return { bounds: fitInto(saved, area), maximized: saved.maximized };
  }
  return { bounds: centered(primary), maximized: saved?.maximized ?? false };
}

/** The default size (smaller on a small screen), centred on `area`. */
function centered(area: Rect): Rect {
  const width = Math.min(DEFAULT_WINDOW_SIZE.width, area.width);
  const height = Math.min(DEFAULT_WINDOW_SIZE.height, area.height);
  return {
    x: Math.round(area.x + (area.width - width) / 2),
    y: Math.round(area.y + (area.height - height) / 2),
    width,
    height,
  };
}

/** Shrinks a window larger than its display (resolution lowered since) and keeps its position otherwise. */
function fitInto(r: Rect, area: Rect): Rect {
  return { x: r.x, y: r.y, width: Math.min(r.width, area.width), height: Math.min(r.height, area.height) };
}

/** The smaller side of the intersection, 0 when the rectangles do not meet. */
function overlap(a: Rect, b: Rect): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? Math.min(w, h) : 0;
}
