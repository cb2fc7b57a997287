import { CloseCode, ErrorCode, LIMITS, parseClientFrame } from '../../shared/protocol';
import type { Connection } from './Connection';
import type { BudgetRefusal, FrameBudgets } from './FrameBudgets';
import { dispatch } from './handlers/dispatch';
import { abandonPake } from './handlers/pake';
import { leaveSession } from './handlers/session';
import type { HubContext } from './HubContext';
import { rawDataBytes } from './rawData';

export type LifecycleOptions = {
  /** Time to `hello`. */
  handshakeTimeoutMs: number;
  /** Time to `ready`, wherever the connection comes from. */
  authTimeoutMs: number;
  budgets: FrameBudgets;
  onClosed: () => void;
};

/**
 * Wires one accepted WebSocket to the hub: frames in through the limits, the
 * parser and the dispatcher, heartbeat replies, and clean-up when it closes
 * for any reason. No listener here throws: bad input is answered, never fatal.
 */
export function attachConnection(ctx: HubContext, conn: Connection, options: LifecycleOptions): void {
  const { ws } = conn;
  const handshakeTimer = setTimeout(() => {
    if (conn.state === 'connected') conn.close(CloseCode.HANDSHAKE_TIMEOUT, 'no hello');
  }, options.handshakeTimeoutMs);
  handshakeTimer.unref();
  // A stranger's socket costs a descriptor and memory for as long as it stays: it gets a deadline, on loopback too.
  const authTimer = setTimeout(() => {
    if (conn.state !== 'ready') conn.close(CloseCode.HANDSHAKE_TIMEOUT, 'not paired or authenticated in time');
  }, options.authTimeoutMs);
  authTimer.unref();

  ws.on('pong', () => conn.markAlive());

  ws.on('message', (data, isBinary) => {
    // Frames still arriving after the hub closed the connection cost nothing more.
    if (conn.state === 'closed') return;
    conn.markAlive();
    if (!conn.admitFrame()) return;
    const bytes = rawDataBytes(data);
    if (!withinBudget(conn, bytes.length, options.budgets)) return;
    if (isBinary) {
      conn.send({ type: 'error', code: ErrorCode.BINARY_NOT_SUPPORTED, message: 'Frames must be JSON text.' });
      return;
    }
    const parsed = parseClientFrame(bytes.toString('utf8'));
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
    clearTimeout(authTimer);
    leaveSession(ctx, conn);
    abandonPake(conn);
    conn.socketClosed();
    options.onClosed();
  });
}

/**
 * Before `ready` a frame must be small and is charged to its address; after,
 * to its user. Checked before any parsing, so a refused frame costs no more
 * than its receipt. Closes the connection and returns false when over.
 */
function withinBudget(conn: Connection, size: number, budgets: FrameBudgets): boolean {
  const ready = conn.state === 'ready';
  if (!ready && size > LIMITS.maxPreReadyFrameBytes) {
    conn.close(CloseCode.TOO_BIG, `frames before authentication are at most ${LIMITS.maxPreReadyFrameBytes} bytes`);
    return false;
  }
  const refused = ready ? budgets.chargeUser(conn.userId, size) : budgets.chargeAddress(conn.address, size);
  if (!refused) return true;
  conn.close(CloseCode.RATE_LIMITED, `${OVERDRAWN[refused.over]}; wait ${refused.waitSeconds} s`);
  return false;
}

/** Close reasons (at most 123 bytes with the wait). */
const OVERDRAWN: Record<BudgetRefusal['over'], string> = {
  address: 'too many frames from this address before authentication',
  hub: 'the hub is busy with unauthenticated connections',
  user: "too many frames from this user's devices",
};
