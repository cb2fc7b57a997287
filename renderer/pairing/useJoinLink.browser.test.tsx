import { afterEach, describe, expect, test } from 'vitest';
import { renderHook } from 'vitest-browser-react';
import { formatIdentity } from '../../shared/protocol';
import { ClientErrorCode, RoostError, type RoostClient } from '../../shared/sync';
import { loadStash, sessionStore } from './joinLinkStash';
import { useJoinLink } from './useJoinLink';

/**
 * The page side of a join link (docs/PROTOCOL.md 6.3) in a real browser: the token leaves the address bar at
 * once, is claimed when the hub can answer, survives a lost answer and a reload, and a refusal says why.
 */

type Claim = (token: string) => Promise<{ token: string; expiresAt: number }>;

/** Only what the hook calls; each claim is answered by the next of `answers`. */
function fakeClient(answers: Claim[], hubIdentity?: string): { client: RoostClient; claimed: string[] } {
  const claimed: string[] = [];
  const claimJoinLink: Claim = (token) => {
    claimed.push(token);
    const next = answers.shift();
    return next ? next(token) : new Promise(() => {});
  };
  const getState = () => ({ hub: hubIdentity === undefined ? undefined : { identity: hubIdentity } });
  return { client: { claimJoinLink, getState } as unknown as RoostClient, claimed };
}

const later = () => Date.now() + 60_000;
const IDENTITY = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567ABCDEFGHIJKLMNOPQRST';

afterEach(() => {
  sessionStorage.clear();
  history.replaceState(null, '', location.pathname);
});

type Props = { canClaim: boolean; paired: boolean };

function render(client: RoostClient, initialProps: Props) {
  return renderHook((props?: Props) => useJoinLink(client, props!.canClaim, props!.paired), { initialProps });
}

describe('useJoinLink', () => {
  test('takes the token out of the address bar at once and claims it once the hub can answer', async () => {
    history.replaceState(null, '', `${location.pathname}#join=link-token`);
    const { client, claimed } = fakeClient([async () => ({ token: 'fresh', expiresAt: later() })]);
    const hook = await render(client, { canClaim: false, paired: false });
    expect(location.hash).toBe('');
    expect(hook.result.current.joinLink).toEqual({ phase: 'claiming', link: 'link-token' });
    expect(claimed).toEqual([]);

    await hook.rerender({ canClaim: true, paired: false });
    await expect.poll(() => hook.result.current.joinLink).toEqual({ phase: 'ready', token: 'fresh' });
    expect(claimed).toEqual(['link-token']);
    expect(loadStash(sessionStore(), Date.now())).toMatchObject({ kind: 'claimed', token: 'fresh' });
  });

  test('tries again after a lost connection, and keeps the invitation over a reload', async () => {
    history.replaceState(null, '', `${location.pathname}#join=link-token`);
    const lost: Claim = async () => {
      throw new RoostError(ClientErrorCode.DISCONNECTED, 'gone', 'claimJoinLink');
    };
    const { client, claimed } = fakeClient([lost, async () => ({ token: 'fresh', expiresAt: later() })]);
    const first = await render(client, { canClaim: true, paired: false });
    await expect.poll(() => first.result.current.joinLink).toEqual({ phase: 'ready', token: 'fresh' });
    expect(claimed).toEqual(['link-token', 'link-token']);
    await first.unmount();

    // The page reloads: nothing in the URL, the fresh token from this tab's storage.
    const again = fakeClient([]);
    const second = await render(again.client, { canClaim: true, paired: false });
    expect(second.result.current.joinLink).toEqual({ phase: 'ready', token: 'fresh' });
    expect(again.claimed).toEqual([]);
  });

  test('says why a link is no good, and forgets it', async () => {
    history.replaceState(null, '', `${location.pathname}#join=link-token`);
    const used: Claim = async () => {
      throw new RoostError('JOIN_TOKEN_USED', 'This join link was already used.', 'claimJoinLink');
    };
    const hook = await render(fakeClient([used]).client, { canClaim: true, paired: false });
    await expect
      .poll(() => hook.result.current.joinLink)
      .toEqual({ phase: 'failed', message: 'This join link was already used.' });
    await expect.poll(() => loadStash(sessionStore(), Date.now())).toEqual({ kind: 'none' });
  });

  test("takes the hub's identity out of the address bar too, and claims at the hub it names", async () => {
    history.replaceState(null, '', `${location.pathname}#join=link-token&id=${IDENTITY}`);
    const { client, claimed } = fakeClient([async () => ({ token: 'fresh', expiresAt: later() })], IDENTITY);
    const hook = await render(client, { canClaim: false, paired: false });
    expect(location.hash).toBe('');
    expect(loadStash(sessionStore(), Date.now())).toEqual({ kind: 'pending', link: 'link-token', identity: IDENTITY });
    await hook.rerender({ canClaim: true, paired: false });
    await expect.poll(() => hook.result.current.joinLink).toEqual({ phase: 'ready', token: 'fresh' });
    expect(claimed).toEqual(['link-token']);
  });

  test('refuses a link made by another hub than the one that answered, without sending it the token', async () => {
    history.replaceState(null, '', `${location.pathname}#join=link-token&id=${IDENTITY}`);
    const other = `B${IDENTITY.slice(1)}`;
    const { client, claimed } = fakeClient([async () => ({ token: 'fresh', expiresAt: later() })], other);
    const hook = await render(client, { canClaim: true, paired: false });
    await expect.poll(() => hook.result.current.joinLink.phase).toBe('failed');
    const failed = hook.result.current.joinLink as { message: string };
    expect(failed.message).toContain('made by another hub');
    expect(failed.message).toContain(formatIdentity(other));
    expect(claimed).toEqual([]);
    await expect.poll(() => loadStash(sessionStore(), Date.now())).toEqual({ kind: 'none' });
  });

  test('a paired device drops a link without spending it', async () => {
    history.replaceState(null, '', `${location.pathname}#join=link-token`);
    const { client, claimed } = fakeClient([]);
    const hook = await render(client, { canClaim: false, paired: true });
    expect(hook.result.current.joinLink).toEqual({ phase: 'none' });
    expect(location.hash).toBe('');
    expect(claimed).toEqual([]);
    await expect.poll(() => loadStash(sessionStore(), Date.now())).toEqual({ kind: 'none' });
  });
});
