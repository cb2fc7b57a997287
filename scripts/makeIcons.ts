/**
 * Draws Roost's icons and writes them as PNG files, with nothing but Node:
 * every shape is a signed distance function, each pixel's coverage comes from
 * its distance to the edge (one pixel of antialiasing), and a tiny encoder
 * (zlib + CRC-32) writes the PNG. Each size is drawn from the shapes, not
 * scaled down from the big one, so the small ones stay sharp.
 *
 *   build/icon.png                 1024×1024, electron-builder derives .icns and .ico from it
 *   build/icons/<n>x<n>.png        Linux icon sizes (16 … 512); 16 and 32 use the small drawing
 *   build/icons/tray.png, @2x      the tray icon (16 and 32 px): the small drawing, filling the square
 *
 * The drawing: the house of the web client's favicon (a roof and walls in one
 * white outline on the accent-coloured rounded square), with a bird roosting
 * inside it. The output is deterministic: running it again rewrites identical bytes.
 *
 * Run: `tsx scripts/makeIcons.ts`, then commit build/.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

type Rgba = readonly [r: number, g: number, b: number, a: number];
type Point = readonly [x: number, y: number];
/** Signed distance from a point to a shape's edge, in the drawing's units (the icon is 1×1): negative inside. */
type Sdf = (x: number, y: number) => number;
/** A colour at a point, for gradients. */
type Paint = (x: number, y: number) => Rgba;

// The web client's palette (renderer/ui/base.css --accent, --accent-hover).
const ACCENT_TOP = hex('#5a72ee');
const ACCENT_BOTTOM = hex('#3d55d6');
const WHITE = hex('#ffffff');
const BEAK = hex('#f6b93b');
const EYE = hex('#2c3f9e');
const WING = hex('#d3dafb');

function hex(value: string): Rgba {
  const n = Number.parseInt(value.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255, 1];
}

// ---- shapes ----------------------------------------------------------------

function roundedRect(x0: number, y0: number, x1: number, y1: number, radius: number): Sdf {
  const cx = (x0 + x1) / 2;
  const cy = (y0 + y1) / 2;
  const hx = (x1 - x0) / 2 - radius;
  const hy = (y1 - y0) / 2 - radius;
  return (x, y) => {
    const qx = Math.abs(x - cx) - hx;
    const qy = Math.abs(y - cy) - hy;
    return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - radius;
  };
}

function circle(cx: number, cy: number, r: number): Sdf {
  return (x, y) => Math.hypot(x - cx, y - cy) - r;
}

function ellipse(cx: number, cy: number, rx: number, ry: number): Sdf {
  // Not exact, but close enough near the edge for shapes this round.
  return (x, y) => {
    const k = Math.hypot((x - cx) / rx, (y - cy) / ry);
    return (k - 1) * Math.min(rx, ry);
  };
}

function segmentDistance(x: number, y: number, [ax, ay]: Point, [bx, by]: Point): number {
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(x - (ax + t * dx), y - (ay + t * dy));
}

/** A line of the given width through the points, with round joins and caps. */
function stroke(points: readonly Point[], width: number, closed = false): Sdf {
  const segments: Array<[Point, Point]> = [];
  for (let i = 0; i + 1 < points.length; i++) segments.push([points[i]!, points[i + 1]!]);
  if (closed) segments.push([points[points.length - 1]!, points[0]!]);
  return (x, y) => Math.min(...segments.map(([a, b]) => segmentDistance(x, y, a, b))) - width / 2;
}

/** A filled convex or concave polygon (even-odd rule). */
function polygon(points: readonly Point[]): Sdf {
  return (x, y) => {
    let d = Infinity;
    let inside = false;
    for (let i = 0, j = points.length - 1; i < points.length; j = i++) {
      const [xi, yi] = points[i]!;
      const [xj, yj] = points[j]!;
      d = Math.min(d, segmentDistance(x, y, [xi, yi], [xj, yj]));
      if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
    }
    return inside ? -d : d;
  };
}

const union =
  (...shapes: Sdf[]): Sdf =>
  (x, y) =>
    Math.min(...shapes.map((s) => s(x, y)));

const solid =
  (color: Rgba): Paint =>
  () =>
    color;
const verticalGradient =
  (top: Rgba, bottom: Rgba, y0: number, y1: number): Paint =>
  (_x, y) => {
    const t = Math.max(0, Math.min(1, (y - y0) / (y1 - y0)));
    return [0, 1, 2, 3].map((i) => top[i]! + (bottom[i]! - top[i]!) * t) as unknown as Rgba;
  };

type Layer = { shape: Sdf; paint: Paint };

// ---- the drawings ------------------------------------------------------------

/** The square everything sits on; Apple's grid puts the body at about 80% of the canvas. */
function tile(inset: number, radius: number): Layer {
  return {
    shape: roundedRect(inset, inset, 1 - inset, 1 - inset, radius),
    paint: verticalGradient(ACCENT_TOP, ACCENT_BOTTOM, inset, 1 - inset),
  };
}

/** The house outline: walls and roof as one closed line, as in the favicon. */
function house(width: number): Sdf {
  return stroke(
    [
      [0.31, 0.46],
      [0.5, 0.3],
      [0.69, 0.46],
      [0.69, 0.71],
      [0.31, 0.71],
    ],
    width,
    true,
  );
}

/** The app icon: the house with a round little bird roosting in it, facing right. */
function appIcon(): Layer[] {
  const body = ellipse(0.488, 0.6, 0.092, 0.074);
  const head = circle(0.556, 0.528, 0.05);
  const tail = polygon([
    [0.43, 0.575],
    [0.35, 0.535],
    [0.375, 0.6],
    [0.43, 0.64],
  ]);
  const bird = union(body, head, tail);
  // The wing: a pale teardrop folded along the body.
  const wing = union(
    ellipse(0.49, 0.605, 0.05, 0.03),
    polygon([
      [0.45, 0.59],
      [0.405, 0.6],
      [0.45, 0.625],
    ]),
  );
  const beak = polygon([
    [0.598, 0.512],
    [0.64, 0.532],
    [0.598, 0.55],
  ]);
  return [
    tile(0.098, 0.18),
    { shape: house(0.052), paint: solid(WHITE) },
    { shape: bird, paint: solid(WHITE) },
    { shape: wing, paint: solid(WING) },
    { shape: beak, paint: solid(BEAK) },
    { shape: circle(0.566, 0.518, 0.0115), paint: solid(EYE) },
  ];
}

/**
 * The small drawing, for the tray and the 16 and 32 px icons: no bird (it would
 * be a smudge), a dot in its place, and every line on the 16 px grid so the
 * edges land on whole pixels.
 */
function smallIcon(inset: number): Layer[] {
  const u = 1 / 16;
  return [
    tile(inset, 0.22),
    {
      shape: stroke(
        [
          [5 * u, 7 * u],
          [8 * u, 4 * u],
          [11 * u, 7 * u],
          [11 * u, 12 * u],
          [5 * u, 12 * u],
        ],
        2 * u,
        true,
      ),
      paint: solid(WHITE),
    },
    { shape: circle(8 * u, 9 * u, 1.15 * u), paint: solid(WHITE) },
  ];
}

// ---- raster and PNG -----------------------------------------------------------

/** Draws the layers at `size`×`size`, back to front, into straight (not premultiplied) RGBA bytes. */
export function render(layers: readonly Layer[], size: number): Buffer {
  const out = Buffer.alloc(size * size * 4);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      const x = (px + 0.5) / size;
      const y = (py + 0.5) / size;
      // Premultiplied "over" compositing.
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (const layer of layers) {
        const coverage = Math.max(0, Math.min(1, 0.5 - layer.shape(x, y) * size));
        if (coverage === 0) continue;
        const [cr, cg, cb, ca] = layer.paint(x, y);
        const alpha = ca * coverage;
        r = cr * alpha + r * (1 - alpha);
        g = cg * alpha + g * (1 - alpha);
        b = cb * alpha + b * (1 - alpha);
        a = alpha + a * (1 - alpha);
      }
      const i = (py * size + px) * 4;
      if (a > 0) {
        out[i] = Math.round(r / a);
        out[i + 1] = Math.round(g / a);
        out[i + 2] = Math.round(b / a);
        out[i + 3] = Math.round(a * 255);
      }
    }
  }
  return out;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(data: Buffer): number {
  let c = 0xffffffff;
  for (const byte of data) c = CRC_TABLE[(c ^ byte) & 255]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typed = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed));
  return Buffer.concat([length, typed, crc]);
}

/** Encodes straight RGBA bytes as an 8-bit RGBA PNG (no filtering: the flat colours compress well anyway). */
export function encodePng(rgba: Buffer, width: number, height: number): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // colour type: RGBA
  const raw = Buffer.alloc(height * (width * 4 + 1));
  for (let y = 0; y < height; y++) rgba.copy(raw, y * (width * 4 + 1) + 1, y * width * 4, (y + 1) * width * 4);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function main(): void {
  const buildDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'build');
  const write = (relative: string, layers: Layer[], size: number) => {
    const file = join(buildDir, relative);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, encodePng(render(layers, size), size, size));
    console.log(`wrote build/${relative} (${size}×${size})`);
  };
  write('icon.png', appIcon(), 1024);
  for (const size of [16, 32, 48, 64, 128, 256, 512])
    write(`icons/${size}x${size}.png`, size <= 32 ? smallIcon(1 / 16) : appIcon(), size);
  // The tray has no room to spare: the tile fills it.
  write('icons/tray.png', smallIcon(0), 16);
  write('icons/tray@2x.png', smallIcon(0), 32);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
