import type { ClientFrameOf } from '../../../shared/protocol';
import type { Connection } from '../Connection';
import type { HubContext } from '../HubContext';

/**
 * A page opened from a join link trades the link's token, which its browser keeps in the history,
 * for a fresh one that is never in a URL (PROTOCOL.md 6.3). The connection stays greeted: it pairs next.
 */
export function handleClaimJoinLink(ctx: HubContext, conn: Connection, frame: ClientFrameOf<'claimJoinLink'>): void {
  const fresh = ctx.gate.claimJoinToken(frame.token, conn.address);
  ctx.logger.info('a join link was opened and claimed');
  conn.send({ type: 'joinLinkClaimed', rid: frame.rid, token: fresh.token, expiresAt: fresh.expiresAt });
}
