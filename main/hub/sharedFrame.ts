import * as wsModule from 'ws';
import type { ServerFrame } from '../../shared/protocol';

type FrameOptions = { fin: boolean; opcode: number; mask: boolean; readOnly: boolean; rsv1: boolean };
// ws exports Sender and its static frame(); its type definitions leave them out.
const { Sender } = wsModule as unknown as { Sender: { frame(data: Buffer, options: FrameOptions): Buffer[] } };
const TEXT_OPCODE = 1;

/** One server frame, ready to go to many connections: its JSON bytes, and the whole WebSocket frame around them. */
export type SharedFrame = { readonly payload: Buffer; readonly wire: Buffer };

/**
 * Serializes, encodes and frames once per push instead of once per
 * receiver: what ws would build for each `send`, built a single time.
 * The hub sends unmasked, uncompressed text frames (perMessageDeflate is
 * off), so the same bytes are right for every connection.
 */
export function shareFrame(frame: ServerFrame): SharedFrame {
  const payload = Buffer.from(JSON.stringify(frame));
  const parts = Sender.frame(payload, { fin: true, opcode: TEXT_OPCODE, mask: false, readOnly: true, rsv1: false });
  return { payload, wire: parts.length === 1 ? parts[0]! : Buffer.concat(parts) };
}
