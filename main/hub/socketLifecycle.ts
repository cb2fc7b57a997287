import { CloseCode, ErrorCode, parseClientFrame } from '../../shared/protocol';
import type { Connection } from './Connection';
import { dispatch } from './handlers/dispatch';
import { leaveSession } from './handlers/session';
import type { HubContext } from './HubContext';
import { rawDataText } from './rawData';

/**
 * Wires one accepted WebSocket to the hub: frames in through the parser and
 * dispatcher, heartbeat replies, and clean-up when it closes for any reason.
 * No listener here throws: bad input is answered, never fatal.
 */
export function attachConnection(
  ctx: HubContext,
  conn: Connection,
  options: { handshakeTimeoutMs: number; onClosed: () => void },
): void {
  const { ws } = conn;
  const handshakeTimer = setTimeout(() => {
    if (conn.state === 'connected') conn.close(CloseCode.HANDSHAKE_TIMEOUT, 'no hello');
  }, options.handshakeTimeoutMs);
  handshakeTimer.unref();

  ws.on('pong', () => conn.markAlive());

  ws.on('message', (data, isBinary) => {
    conn.markAlive();
    if (!conn.admitFrame()) return;
    if (isBinary) {
      conn.send({ type: 'error', code: ErrorCode.BINARY_NOT_SUPPORTED, message: 'Frames must be JSON text.' });
      return;
    }
    const parsed = parseClientFrame(rawDataText(data));
    if (!parsed.ok) {
      conn.send({
        type: 'error',
        rid: parsed.rid,
        code: parsed.code,
        message: parsed.message,
        frameType: parsed.frameType,
      });
      return;
    }
    void dispatch(ctx, conn, parsed.frame);
  });

  // ws reports protocol violations (oversize frames, bad UTF-8) here and then closes the socket itself.
  ws.on('error', (err) => ctx.logger.warn(`connection from ${conn.address} failed: ${err.message}`));

  ws.on('close', () => {
    clearTimeout(handshakeTimer);
    leaveSession(ctx, conn);
    conn.socketClosed();
    options.onClosed();
  });
}
