import type { Socket } from 'node:net';
import * as wsModule from 'ws';
import { WebSocket } from 'ws';
import type { Broadcast } from './bareWsServer';

type FrameOptions = { fin: boolean; opcode: number; mask: boolean; readOnly: boolean; rsv1: boolean };
// ws exports Sender (and its static frame()) but its type definitions omit it.
const { Sender } = wsModule as unknown as { Sender: { frame(data: Buffer, options: FrameOptions): Buffer[] } };

/**
 * Builds the WebSocket frame once and writes the same bytes to every
 * receiver's socket, skipping ws's per-send framing. Safe only because these
 * servers never compress and never send anything else concurrently.
 */
export const preparedFrame: Broadcast = (receivers, data, isBinary) => {
  const parts = Sender.frame(data, { fin: true, opcode: isBinary ? 2 : 1, mask: false, readOnly: true, rsv1: false });
  const frame = parts.length === 1 ? parts[0]! : Buffer.concat(parts);
  for (const ws of receivers) {
    if (ws.readyState !== WebSocket.OPEN) continue;
    (ws as unknown as { _socket: Socket })._socket.write(frame);
  }
};
