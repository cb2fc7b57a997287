/**
 * The origin of a hub's /api/files, from its WebSocket address: the same host and port, `https:` for `wss:`
 * and `http:` for `ws:` (a hub on this machine, which it serves plain, as its WebSocket).
 */
export function hubFilesOrigin(wsUrl: string): string {
  const url = new URL(wsUrl);
  return `${url.protocol === 'wss:' ? 'https:' : 'http:'}//${url.host}`;
}
