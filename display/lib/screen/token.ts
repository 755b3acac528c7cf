// A screen URL carries its token in the hash (`/screen/<id>#token=…`): the hash never reaches a
// server log or a Referer. We keep it in localStorage so the wall survives a reload or a power
// cut, and drop it from the address bar so it is not shown on the wall or photographed.

export const storageKey = (screenId: string) => `fleetwall.screen.${screenId}`;

export interface TokenPlace {
  /** `location.hash`, e.g. "#token=abc". */
  hash: string;
  storage: Pick<Storage, 'getItem' | 'setItem'>;
  /** Replaces the current URL with one without the hash (SvelteKit's `replaceState`, not history's). */
  clearHash: () => void;
}

/** The screen's token from the URL hash (remembered) or from storage; null when there is none. */
export function takeScreenToken(screenId: string, place: TokenPlace): string | null {
  const fromHash = new URLSearchParams(place.hash.replace(/^#/, '')).get('token');
  if (fromHash) {
    try {
      place.storage.setItem(storageKey(screenId), fromHash);
    } catch {
      // Storage can be full or disabled (kiosk private mode); the wall still works until reload.
    }
    place.clearHash();
    return fromHash;
  }
  try {
    return place.storage.getItem(storageKey(screenId));
  } catch {
    return null;
  }
}

/** Drops a remembered token (it was revoked): a later pairing by cookie must not be shadowed by it. */
export function forgetScreenToken(screenId: string, storage: Pick<Storage, 'removeItem'>): void {
  try {
    storage.removeItem(storageKey(screenId));
  } catch {
    // Storage disabled: nothing was remembered.
  }
}
