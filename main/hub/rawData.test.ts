import { describe, expect, it } from 'vitest';
import { rawDataBytes, rawDataText } from './rawData';

describe('rawData', () => {
  it('reads each form ws may deliver', () => {
    const text = '{"type":"ping","note":"é 🐦"}';
    const bytes = Buffer.from(text, 'utf8');
    expect(rawDataText(bytes)).toBe(text);
    expect(rawDataText(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength))).toBe(text);
    // A character split across fragments is joined before decoding.
    expect(rawDataText([bytes.subarray(0, 28), bytes.subarray(28)])).toBe(text);
  });

  it('hands a Buffer back without copying', () => {
    const bytes = Buffer.from('abc');
    expect(rawDataBytes(bytes)).toBe(bytes);
  });
});
