import { useCallback, useEffect, useRef, useState } from 'react';
import { ClientErrorCode, RoostError, type RoostClient } from '../../shared/sync';
import { forgetJoinToken, readJoinToken } from './joinLink';
import { loadStash, saveStash, sessionStore } from './joinLinkStash';
import { pairingErrorMessage } from './pairingMessages';

/**
 * A join link opened on this page. Its token is in the URL, so the browser keeps it in its history;
 * the page therefore trades it with the hub at once for a fresh token that is never in a URL
 * (docs/PROTOCOL.md 6.3), and pairs with that one when the person has typed their name.
 * `claiming` until the hub has answered, `ready` with the fresh token, `failed` with what to tell the
 * person (a link already used, expired or unknown).
 */
export type JoinLink =
  | { phase: 'none' }
  | { phase: 'claiming'; link: string }
  | { phase: 'ready'; token: string }
  | { phase: 'failed'; message: string };

/** The claim never reached the hub, or its answer never came back: the next connection tries again. */
const CONNECTION_ERRORS: ReadonlySet<string> = new Set([
  ClientErrorCode.NOT_CONNECTED,
  ClientErrorCode.DISCONNECTED,
  ClientErrorCode.TIMEOUT,
]);

/**
 * @param canClaim the client is connected and this device unpaired
 * @param paired this device is paired: a link is no longer wanted
 */
export function useJoinLink(
  client: RoostClient,
  canClaim: boolean,
  paired: boolean,
): { joinLink: JoinLink; drop: () => void } {
  const [joinLink, setJoinLink] = useState(openedLink);
  const [attempt, setAttempt] = useState(0);
  const inFlight = useRef(false);

  // Dropped in this render, so nothing below ever sees a token this device no longer needs.
  if (paired && joinLink.phase !== 'none') setJoinLink({ phase: 'none' });

  // Spent, refused or no longer wanted: a reload must not bring it back.
  useEffect(() => {
    if (joinLink.phase === 'none' || joinLink.phase === 'failed') saveStash(sessionStore(), { kind: 'none' });
  }, [joinLink.phase]);

  useEffect(() => {
    if (joinLink.phase !== 'claiming' || !canClaim || inFlight.current) return;
    inFlight.current = true;
    client.claimJoinLink(joinLink.link).then(
      (fresh) => {
        inFlight.current = false;
        saveStash(sessionStore(), { kind: 'claimed', ...fresh });
        setJoinLink({ phase: 'ready', token: fresh.token });
      },
      (err: unknown) => {
        inFlight.current = false;
        if (err instanceof RoostError && CONNECTION_ERRORS.has(err.code)) return setAttempt((n) => n + 1);
        setJoinLink({ phase: 'failed', message: pairingErrorMessage(err) });
      },
    );
  }, [client, joinLink, canClaim, attempt]);

  const drop = useCallback(() => setJoinLink({ phase: 'none' }), []);
  return { joinLink, drop };
}

/**
 * The link in the address bar, taken out of it at once (the history keeps the visit, which claiming
 * makes worthless), or an invitation this tab stashed before a reload.
 */
function openedLink(): JoinLink {
  const store = sessionStore();
  const fromUrl = readJoinToken(location.hash);
  if (fromUrl) {
    saveStash(store, { kind: 'pending', link: fromUrl });
    forgetJoinToken();
    return { phase: 'claiming', link: fromUrl };
  }
  const stash = loadStash(store, Date.now());
  if (stash.kind === 'pending') return { phase: 'claiming', link: stash.link };
  if (stash.kind === 'claimed') return { phase: 'ready', token: stash.token };
  return { phase: 'none' };
}
