// The connection-loss banner: a socket that drops and comes back within a few seconds (a server
// deploy, a Wi-Fi hiccup) is not news; one that stays away is, and the room must see that the
// figures on the wall are frozen, and since when.
import type { ConnectionState } from '$lib/socket/screen-socket.svelte.ts';
import type { Translate } from '$lib/i18n/index.ts';

export const BANNER_AFTER_MS = 5_000;

/** What the server told the screen about the gap: it is restarting, or new data is delayed since when. */
export interface GapCause {
  restarting: boolean;
  delayedSince: Date | null;
}

/**
 * The banner's text, or null while there is nothing to say. `since` is when the connection was
 * lost; `asOf` the instant the figures on screen are true at; `clock` prints the tenant's time.
 */
export function staleBanner(
  state: ConnectionState,
  since: Date,
  asOf: string | null | undefined,
  now: Date,
  clock: (at: Date) => string,
  tr: Translate,
  cause: GapCause = { restarting: false, delayedSince: null }
): string | null {
  const figuresAt = asOf ? new Date(asOf) : null;
  const figuresFrom = figuresAt && !Number.isNaN(figuresAt.getTime()) ? clock(figuresAt) : '–';
  // Connected, but the server cannot store new data: the figures stand still, and the room must know.
  if (state === 'live' && cause.delayedSince) return tr('connection.delayed_showing', { since: clock(cause.delayedSince), as_of: figuresFrom });
  // 'connecting' has no figures yet; 'error' (a rejected token) has its own full-screen message.
  if (state !== 'reconnecting') return null;
  if (now.getTime() - since.getTime() <= BANNER_AFTER_MS) return null;
  if (cause.restarting) return tr('connection.restarting_showing', { since: clock(since), as_of: figuresFrom });
  return tr('connection.lost_showing', { since: clock(since), as_of: figuresFrom });
}
