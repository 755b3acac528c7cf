import { describe, expect, it } from 'vitest';
import { storageKey, takeScreenToken } from '$lib/screen/token.ts';

function place(hash: string, stored: Record<string, string> = {}) {
  const storage = new Map(Object.entries(stored));
  let cleared = 0;
  return {
    storage,
    cleared: () => cleared,
    place: {
      hash,
      storage: { getItem: (k: string) => storage.get(k) ?? null, setItem: (k: string, v: string) => void storage.set(k, v) },
      clearHash: () => void cleared++
    }
  };
}

describe('takeScreenToken', () => {
  it('takes the token from the hash, remembers it per screen and clears the hash', () => {
    const p = place('#token=abc.def');
    expect(takeScreenToken('lobby', p.place)).toBe('abc.def');
    expect(p.storage.get('fleetwall.screen.lobby')).toBe('abc.def');
    expect(p.cleared()).toBe(1);
  });

  it('survives a reload: no hash, token from storage, URL left alone', () => {
    const p = place('', { [storageKey('lobby')]: 'saved' });
    expect(takeScreenToken('lobby', p.place)).toBe('saved');
    expect(p.cleared()).toBe(0);
  });

  it('prefers a new token in the hash over a remembered one', () => {
    const p = place('#token=new', { [storageKey('lobby')]: 'old' });
    expect(takeScreenToken('lobby', p.place)).toBe('new');
    expect(p.storage.get(storageKey('lobby'))).toBe('new');
  });

  it('does not lend one screen the token of another', () => {
    const p = place('', { [storageKey('other')]: 'theirs' });
    expect(takeScreenToken('lobby', p.place)).toBeNull();
  });
});

describe('forgetScreenToken', () => {
  it('drops a revoked token so a cookie pairing is not shadowed by it', async () => {
    const { forgetScreenToken } = await import('$lib/screen/token.ts');
    const p = place('', { [storageKey('lobby')]: 'revoked' });
    forgetScreenToken('lobby', { removeItem: (k: string) => void p.storage.delete(k) });
    expect(takeScreenToken('lobby', p.place)).toBeNull();
  });
});
