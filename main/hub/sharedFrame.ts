import type { ServerFrame } from '../../shared/protocol';
import { forProtocol2, hasFiles } from './olderProtocol';
import { frameText } from './wsInternals';

/**
 * One server frame, ready to go to many connections: its JSON bytes, and the whole WebSocket frame around them.
 * `older` is the frame as protocol-2 connections read it, when that differs (olderProtocol.ts), built once.
 */
export type SharedFrame = { readonly payload: Buffer; readonly wire: Buffer; readonly older?: () => SharedFrame };

/**
 * Serializes, encodes and frames once per push instead of once per
 * receiver: what ws would build for each `send`, built a single time.
 * The hub sends unmasked, uncompressed text frames (perMessageDeflate is
 * off), so the same bytes are right for every connection.
 */
export function shareFrame(frame: ServerFrame): SharedFrame {
  const payload = Buffer.from(JSON.stringify(frame));
  if (!hasFiles(frame)) return { payload, wire: frameText(payload) };
  let older: SharedFrame | undefined;
  return { payload, wire: frameText(payload), older: () => (older ??= shareFrame(forProtocol2(frame))) };
}
