import QRCode from 'qrcode';

/** A QR code as one SVG path of unit squares, `size` modules wide (without the quiet zone). */
export type QrPath = { size: number; path: string };

/**
 * Draws `text` as a QR code path. Rendered as inline SVG by React (no
 * innerHTML, no canvas, no data: URL), so no Content-Security-Policy is
 * involved. Runs of dark modules in a row become one rectangle.
 */
export function qrPath(text: string): QrPath {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const size = modules.size;
  let path = '';
  for (let y = 0; y < size; y++) {
    let x = 0;
    while (x < size) {
      if (!modules.get(y, x)) {
        x++;
        continue;
      }
      const start = x;
      while (x < size && modules.get(y, x)) x++;
      path += `M${start} ${y}h${x - start}v1h${start - x}z`;
    }
  }
  return { size, path };
}
