import { useCallback, useEffect, useRef, useState } from 'react';
import { ClientErrorCode, RoostError, type RoostClient } from '../../shared/sync';
import { formatIdentity } from '../../shared/protocol';
import { forgetJoinToken, linkMatchesHub, readJoinLink } from './joinLink';
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
  /** `identity`: the hub identity the link named, compared with the hub's `welcome` before the claim. */
  | { phase: 'claiming'; link: string; identity?: string }
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

  // Before the claim, so the token never goes to a hub the link was not made by. Not a security check (a
  // browser cannot pin, joinLink.ts): it catches a link opened at another hub's address.
  if (joinLink.phase === 'claiming' && joinLink.identity !== undefined && canClaim && !paired) {
    const hubIdentity = client.getState().hub?.identity;
    if (!linkMatchesHub(joinLink.identity, hubIdentity))
      setJoinLink({ phase: 'failed', message: wrongHubMessage(joinLink.identity, hubIdentity) });
  }

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
  const fromUrl = readJoinLink(location.hash);
  if (fromUrl) {
    const pending = { link: fromUrl.token, ...(fromUrl.identity && { identity: fromUrl.identity }) };
    saveStash(store, { kind: 'pending', ...pending });
    forgetJoinToken();
    return { phase: 'claiming', ...pending };
  }
  const stash = loadStash(store, Date.now());
  if (stash.kind === 'pending') {
    const { kind: _, ...pending } = stash;
    return { phase: 'claiming', ...pending };
  }
  if (stash.kind === 'claimed') return { phase: 'ready', token: stash.token };
  return { phase: 'none' };
}

function wrongHubMessage(linkIdentity: string, hubIdentity: string | undefined): string {
  const found = hubIdentity ? `this hub's identity is ${formatIdentity(hubIdentity)}` : 'this hub shows no identity';
  return (
    `This invitation was made by another hub (identity ${formatIdentity(linkIdentity)}; ${found}), ` +
    'so this device did not pair. Ask for a new invitation from the hub you meant to join.'
  );
}
