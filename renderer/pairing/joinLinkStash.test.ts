import { describe, expect, it } from 'vitest';
import { loadStash, saveStash } from './joinLinkStash';

function memoryStore() {
  const items = new Map<string, string>();
  return {
    items,
    getItem: (k: string) => items.get(k) ?? null,
    setItem: (k: string, v: string) => void items.set(k, v),
    removeItem: (k: string) => void items.delete(k),
  };
}

describe('the join link stash', () => {
  it('keeps a link until it is claimed, then the fresh token until it expires', () => {
    const store = memoryStore();
    saveStash(store, { kind: 'pending', link: 'link-token' });
    expect(loadStash(store, 0)).toEqual({ kind: 'pending', link: 'link-token' });
    saveStash(store, { kind: 'claimed', token: 'fresh', expiresAt: 100 });
    expect(loadStash(store, 99)).toEqual({ kind: 'claimed', token: 'fresh', expiresAt: 100 });
    expect(loadStash(store, 100)).toEqual({ kind: 'none' });
    saveStash(store, { kind: 'none' });
    expect(store.items.size).toBe(0);
  });

  it('reads anything else, and a missing or refusing storage, as nothing', () => {
    const store = memoryStore();
    for (const junk of ['{', '7', 'null', '{"kind":"claimed","token":1}', '{"kind":"other"}']) {
      store.items.set('roost.joinLink', junk);
      expect(loadStash(store, 0)).toEqual({ kind: 'none' });
    }
    expect(loadStash(undefined, 0)).toEqual({ kind: 'none' });
    const refusing = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
      removeItem: () => {},
    };
    expect(loadStash(refusing, 0)).toEqual({ kind: 'none' });
    expect(() => saveStash(refusing, { kind: 'pending', link: 'x' })).not.toThrow();
  });
});
