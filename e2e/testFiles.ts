import { crc32, deflateSync } from 'node:zlib';

/** A real PNG (RGB, 8 bits, a gradient), made here so a test needs no fixture file. */
export function makePng(width: number, height: number, blue = 160): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const out = Buffer.alloc(body.length + 8);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), body.length + 4);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const rows = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    const row = y * (width * 3 + 1);
    for (let x = 0; x < width; x++) rows.set([(x * 255) / width, (y * 255) / height, blue], row + 1 + x * 3);
  }
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([
    signature,
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Bytes that differ at every position, behind a PDF's first line (served as a download whatever it holds). */
export function makePdf(size = 300_000): Buffer {
  const body = Buffer.alloc(size);
  for (let i = 0; i < body.length; i++) body[i] = (i * 7919) % 256;
  return Buffer.concat([Buffer.from('%PDF-1.7\n% Roost e2e\n'), body]);
}
