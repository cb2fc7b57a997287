import type { RawData } from 'ws';

/**
 * The bytes of one `ws` message. Which of RawData's forms arrives depends on
 * the socket's binaryType: a Buffer by default ('nodebuffer', fragments
 * already joined), an ArrayBuffer ('arraybuffer') or the fragments
 * ('fragments'). The default costs no copy.
 */
export function rawDataBytes(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}

/** A text message as a string (UTF-8, as WebSocket text frames are). */
export function rawDataText(data: RawData): string {
  return rawDataBytes(data).toString('utf8');
}
