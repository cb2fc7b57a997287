import { parseIdentity } from '../../shared/protocol';

/**
 * Join links carry a one-time token and the hub's identity in the URL fragment, so neither reaches a
 * server log: `https://HOST:PORT/#join=TOKEN&id=IDENTITY` (docs/PROTOCOL.md 6.3). The browser's history
 * does keep them, so the page trades the token at once for a fresh one that is never in a URL
 * (useJoinLink.ts) and takes both out of the address bar.
 */
const TOKEN = /^[A-Za-z0-9_-]{1,128}$/;

/** `identity`: absent in links from hubs before identities, or when it is malformed (then not trusted). */
export type OpenedJoinLink = { token: string; identity?: string };

/** The join link in a location hash such as `#join=TOKEN&id=IDENTITY`, if its token is well-formed. */
export function readJoinLink(hash: string): OpenedJoinLink | undefined {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const token = params.get('join')?.trim();
  if (!token || !TOKEN.test(token)) return undefined;
  const identity = parseIdentity(params.get('id') ?? '');
  return identity ? { token, identity } : { token };
}

/** The join token in a location hash such as `#join=TOKEN`, if there is a well-formed one. */
export function readJoinToken(hash: string): string | undefined {
  return readJoinLink(hash)?.token;
}

/** Removes the token and the identity from the address bar without a reload or a history entry. */
export function forgetJoinToken(): void {
  if (!readJoinToken(location.hash)) return;
  history.replaceState(history.state, '', `${location.pathname}${location.search}`);
}

/**
 * Whether the hub this page reached is the one the link was made by. A browser cannot pin: a page from a
 * hub that is not the real one (a person who clicked through a certificate warning on a network an
 * attacker controls) can say anything, this check included. It catches accidents (a link opened on the
 * wrong hub's address, an old link after the identity was rotated), not attacks.
 */
export function linkMatchesHub(linkIdentity: string | undefined, hubIdentity: string | undefined): boolean {
  return linkIdentity === undefined || linkIdentity === hubIdentity;
}
