import { ErrorCode, type ClientFrame, type ClientFrameOf, type ClientFrameType } from '../../../shared/protocol';
import type { Connection, ConnectionState } from '../Connection';
import type { HubContext } from '../HubContext';
import { HubError } from '../HubError';
import { handleBlockUser, handleUnblockUser } from './blocks';
import { handleAddMembers, handleCreateGroup, handleLeaveConversation, handleOpenDirect } from './conversations';
import { handleCreateLinkCode, handleListDevices, handleRemoveDevice, handleRenameDevice } from './devices';
import { handleDeleteMessage } from './deletions';
import { handleOpenFileSession } from './files';
import { handleClaimJoinLink } from './joinLinks';
import { handleFetchMessages, handleMarkDelivered, handleMarkRead, handleSend, handleTyping } from './messaging';
import { handlePakeFinish, handlePakeStart } from './pake';
import { handleAuth, handleHello, handlePair } from './session';

type Handler<T extends ClientFrameType> = (
  ctx: HubContext,
  conn: Connection,
  frame: ClientFrameOf<T>,
) => void | Promise<void>;
type Route<T extends ClientFrameType> = { needs: 'any' | 'connected' | 'greeted' | 'ready'; run: Handler<T> };

/** Which state each frame needs, and who handles it. Checked by the compiler to cover every frame type. */
const ROUTES: { [T in ClientFrameType]: Route<T> } = {
  ping: {
    needs: 'any',
    run: (ctx, conn, frame) => {
      conn.send({ type: 'pong', rid: frame.rid, serverTime: ctx.now() });
    },
  },
  hello: { needs: 'connected', run: handleHello },
  pair: { needs: 'greeted', run: handlePair },
  pakeStart: { needs: 'greeted', run: handlePakeStart },
  pakeFinish: { needs: 'greeted', run: handlePakeFinish },
  auth: { needs: 'greeted', run: handleAuth },
  send: { needs: 'ready', run: (ctx, conn, frame) => conn.storingSend(() => handleSend(ctx, conn, frame)) },
  // One page read at a time per connection:
  // a device firing many fetches at once would otherwise hold many pages in memory.
  fetchMessages: {
    needs: 'ready',
    run: (ctx, conn, frame) => conn.oneReadAtATime(() => handleFetchMessages(ctx, conn, frame)),
  },
  markDelivered: { needs: 'ready', run: handleMarkDelivered },
  markRead: { needs: 'ready', run: handleMarkRead },
  typing: { needs: 'ready', run: handleTyping },
  // A write like `send`, so counted with the sends that pause a connection waiting for the disk.
  deleteMessage: {
    needs: 'ready',
    run: (ctx, conn, frame) => conn.storingSend(() => handleDeleteMessage(ctx, conn, frame)),
  },
  openFileSession: { needs: 'ready', run: handleOpenFileSession },
  createGroup: { needs: 'ready', run: handleCreateGroup },
  addMembers: { needs: 'ready', run: handleAddMembers },
  openDirect: { needs: 'ready', run: handleOpenDirect },
  createLinkCode: { needs: 'ready', run: handleCreateLinkCode },
  listDevices: { needs: 'ready', run: handleListDevices },
  renameDevice: { needs: 'ready', run: handleRenameDevice },
  removeDevice: { needs: 'ready', run: handleRemoveDevice },
  claimJoinLink: { needs: 'greeted', run: handleClaimJoinLink },
  leaveConversation: { needs: 'ready', run: handleLeaveConversation },
  blockUser: { needs: 'ready', run: handleBlockUser },
  unblockUser: { needs: 'ready', run: handleUnblockUser },
};

/**
 * Runs a validated frame. Never throws and never rejects: every failure is
 * answered with an `error` frame and the connection keeps serving.
 */
export async function dispatch(ctx: HubContext, conn: Connection, frame: ClientFrame): Promise<void> {
  const route = ROUTES[frame.type] as Route<ClientFrameType>;
  try {
    assertState(conn.state, route.needs, frame.type);
    await route.run(ctx, conn, frame as never);
  } catch (err) {
    if (err instanceof HubError) {
      conn.send({ type: 'error', rid: frame.rid, code: err.code, message: err.message, frameType: frame.type });
      return;
    }
    ctx.logger.error(`failed to handle "${frame.type}"`, err);
    conn.send({
      type: 'error',
      rid: frame.rid,
      code: ErrorCode.INTERNAL,
      message: 'The hub failed to handle this request.',
      frameType: frame.type,
    });
  }
}

function assertState(state: ConnectionState, needs: Route<ClientFrameType>['needs'], type: string): void {
  if (state === needs || needs === 'any') return;
  if (needs === 'connected')
    throw new HubError(ErrorCode.BAD_FRAME, '"hello" was already received on this connection.');
  if (state === 'connected') {
    if (needs === 'greeted') throw new HubError(ErrorCode.HELLO_REQUIRED, `Send "hello" before "${type}".`);
    throw new HubError(ErrorCode.NOT_AUTHENTICATED, `Send "hello", then "pair" or "auth", before "${type}".`);
  }
  if (needs === 'ready')
    throw new HubError(ErrorCode.NOT_AUTHENTICATED, `Pair or authenticate this device before "${type}".`);
  if (state === 'authenticating')
    throw new HubError(ErrorCode.BAD_FRAME, 'Pairing or authentication is already in progress.');
  throw new HubError(ErrorCode.ALREADY_AUTHENTICATED, 'This connection is already authenticated.');
}
