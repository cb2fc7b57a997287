import type { ServerKind } from './ipc/messages';

/** The Roost hub, plain or over TLS: it needs a data directory, paired devices and a join token. */
export function isRoost(kind: ServerKind): boolean {
  return kind === 'roost' || kind === 'roostTls';
}

/** Its clients connect with wss:// (the same hub or ws server, reached over TLS). */
export function overTls(kind: ServerKind): boolean {
  return kind === 'wsTls' || kind === 'roostTls';
}
