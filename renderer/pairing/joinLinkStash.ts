import { parseIdentity } from '../../shared/protocol';

/**
 * Where a join link's token waits, in this tab only, between the page opening and the hub trading it
 * for a fresh one (docs/PROTOCOL.md 6.3), and where the fresh one waits until this device pairs: a
 * reload or a lost connection keeps the invitation. sessionStorage, not the URL, so neither reaches
 * the browser's history; both are removed once used.
 */
export type JoinLinkStash =
  | { kind: 'none' }
  /** `identity`: the hub identity the link named (joinLink.ts), checked before the claim. */
  | { kind: 'pending'; link: string; identity?: string }
  | { kind: 'claimed'; token: string; expiresAt: number };

type Store = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

const KEY = 'roost.joinLink';

/** The stashed invitation; a claimed token past its expiry, or anything unreadable, is none. */
export function loadStash(store: Store | undefined, now: number): JoinLinkStash {
  const raw = safely(() => store?.getItem(KEY));
  if (!raw) return { kind: 'none' };
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return { kind: 'none' };
  }
  if (typeof value !== 'object' || value === null) return { kind: 'none' };
  const v = value as Record<string, unknown>;
  if (v.kind === 'pending' && typeof v.link === 'string') {
    const identity = typeof v.identity === 'string' ? parseIdentity(v.identity) : undefined;
    return identity ? { kind: 'pending', link: v.link, identity } : { kind: 'pending', link: v.link };
  }
  if (v.kind === 'claimed' && typeof v.token === 'string' && typeof v.expiresAt === 'number' && v.expiresAt > now)
    return { kind: 'claimed', token: v.token, expiresAt: v.expiresAt };
  return { kind: 'none' };
}

export function saveStash(store: Store | undefined, stash: JoinLinkStash): void {
  safely(() => (stash.kind === 'none' ? store?.removeItem(KEY) : store?.setItem(KEY, JSON.stringify(stash))));
}

/** The tab's sessionStorage, or none where the browser refuses it (then the invitation lives in memory only). */
export function sessionStore(): Store | undefined {
  return safely(() => window.sessionStorage);
}

function safely<T>(run: () => T): T | undefined {
  try {
    return run();
  } catch {
    return undefined;
  }
}
