/**
 * Everything the hub takes from ws beyond its documented API. ws is pinned
 * exactly (package.json) because of this file; wsInternals.test.ts proves
 * each assumption below against a real ws server and client, and names the
 * one that broke. Checked against ws WS_CHECKED_VERSION; the version each
 * behaviour dates from is given so a reviewer knows how far back it held.
 *
 * Internals touched:
 * - `Sender`, exported by both entry points (index.js and wrapper.mjs) but
 *   left out of @types/ws, and its static `frame(data, options)` with the
 *   options used here (since 5.0.0), which for an unmasked frame returns
 *   `[header, data]` (since 7.0.0), or `[header]` for an empty payload.
 * - How ws writes to the TCP socket it was handed: each frame synchronously
 *   and whole (a two-part frame as cork, write, write, uncork: since 6.2.1),
 *   never queued, as long as nothing is compressed (the hub turns
 *   perMessageDeflate off) and no Blob is sent (Blobs queue later frames:
 *   since 8.18.0). So bytes we write to that socket between two `send`s land
 *   between their frames, never inside one.
 * - `bufferedAmount` is the socket's `_writableState.length` plus what ws
 *   queues itself (since 7.3.1): bytes we write to the socket directly, and
 *   bytes held by a cork (./writeCoalescing), count like ws's own.
 * - Node's cork is a counter, so ws's own cork/uncork inside a frame leaves an
 *   outer cork of ours in place: the frame stays held until we uncork.
 *
 * Public API whose finer semantics the hub relies on, tested there too:
 * `pause()`/`resume()`/`isPaused` (since 8.3.0) stop reading the socket, so
 * neither 'message' nor 'pong' events arrive while paused
 * (Connection.storingSend and the heartbeat count on the pongs going unread).
 */
import type { Socket } from 'node:net';
import * as wsModule from 'ws';

/** The ws release this file and its contract test were last checked against. */
export const WS_CHECKED_VERSION = '8.23.0';

type FrameOptions = { fin: boolean; opcode: number; mask: boolean; readOnly: boolean; rsv1: boolean };
type SenderClass = { frame(data: Buffer, options: FrameOptions): Buffer[] };

const { Sender } = wsModule as unknown as { Sender: SenderClass };
const TEXT_OPCODE = 1;

/**
 * The complete WebSocket frame ws would write for `send(payload)` of this
 * UTF-8 text: the same bytes are right for every connection of the hub.
 */
export function frameText(payload: Buffer): Buffer {
  // Unmasked: a server's frames never are (RFC 6455 5.1). No RSV1: nothing is compressed.
  const parts = Sender.frame(payload, { fin: true, opcode: TEXT_OPCODE, mask: false, readOnly: true, rsv1: false });
  return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
}

/**
 * Writes a frame from frameText to the TCP socket a WebSocket was set up on
 * (the `socket` of the HTTP 'upgrade' event, which is `req.socket`): it goes
 * out in order with ws's own frames and counts in that WebSocket's
 * `bufferedAmount`. The caller checks the WebSocket is OPEN first.
 */
export function writeFramed(socket: Socket, frame: Buffer): void {
  socket.write(frame);
}
