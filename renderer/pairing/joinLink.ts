/**
 * Join links carry a one-time token in the URL fragment, so it never reaches
 * a server log: `http://HOST:PORT/#join=TOKEN` (docs/PROTOCOL.md 6.3). The
 * browser's history does keep it, so the page trades it at once for a fresh
 * token that is never in a URL (useJoinLink.ts).
 */
const TOKEN = /^[A-Za-z0-9_-]{1,128}$/;

/** The join token in a location hash such as `#join=TOKEN`, if there is a well-formed one. */
export function readJoinToken(hash: string): string | undefined {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const token = params.get('join')?.trim();
  return token && TOKEN.test(token) ? token : undefined;
}

/** Removes the token from the address bar without a reload or a history entry. */
export function forgetJoinToken(): void {
  if (!readJoinToken(location.hash)) return;
  history.replaceState(history.state, '', `${location.pathname}${location.search}`);
}
