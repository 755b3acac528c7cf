// The connection-loss banner: a socket that drops and comes back within a few seconds (a server
// deploy, a Wi-Fi hiccup) is not news; one that stays away is, and the room must see that the
// figures on the wall are frozen, and since when.
import type { ConnectionState } from '$lib/socket/screen-socket.svelte.ts';
import { PING_INTERVAL_MS } from '$contract';
import type { Translate } from '$lib/i18n/index.ts';

export const BANNER_AFTER_MS = 3_000;
/**
 * A link that goes dark without a TCP close (a cable pulled, a switch gone) looks connected for
 * as long as Socket.IO waits for a pong. The server pings every PING_INTERVAL_MS, so silence of a
 * ping and a half means the link is gone: the banner is up within 5 s of the loss.
 */
export const SILENT_AFTER_MS = PING_INTERVAL_MS + 1_500;

/** What the server told the screen about the gap: it is restarting, or new data is delayed since when. */
export interface GapCause {
  restarting: boolean;
  delayedSince: Date | null;
}

export interface LinkReading {
  state: ConnectionState;
  /** When the current state began. */
  since: Date;
  /** Epoch ms the link last carried anything from the server (its pings included). */
  lastHeardAt: number;
  /**
   * Epoch ms until which the page could not have heard anything: its main thread was busy (a
   * clock tick came late), and messages that arrived meanwhile are not read yet. Silence counts
   * from here at the earliest.
   */
  deafUntil?: number;
}

/** When the wall lost the server, or null while it has not (or the loss is too recent to say). */
export function lostSince(link: LinkReading, now: Date): Date | null {
  const silentFor = now.getTime() - Math.max(link.lastHeardAt, link.deafUntil ?? 0);
  if (link.state === 'live') return silentFor > SILENT_AFTER_MS ? new Date(link.lastHeardAt) : null;
  // 'connecting' has no figures yet; 'error' (a rejected token) has its own full-screen message.
  if (link.state !== 'reconnecting') return null;
  // A drop found by the silence first (the socket only gave up later) dates from the silence.
  const lost = link.since.getTime() - link.lastHeardAt > SILENT_AFTER_MS ? new Date(link.lastHeardAt) : link.since;
  return now.getTime() - lost.getTime() > BANNER_AFTER_MS ? lost : null;
}

/**
 * The banner's text, or null while there is nothing to say. `asOf` is the instant the figures on
 * screen are true at; `clock` prints the tenant's time.
 */
export function staleBanner(
  link: LinkReading,
  asOf: string | null | undefined,
  now: Date,
  clock: (at: Date) => string,
  tr: Translate,
  cause: GapCause = { restarting: false, delayedSince: null }
): string | null {
  const figuresAt = asOf ? new Date(asOf) : null;
  const figuresFrom = figuresAt && !Number.isNaN(figuresAt.getTime()) ? clock(figuresAt) : '–';
  const since = lostSince(link, now);
  if (!since) {
    // Connected, but the server cannot store new data: the figures stand still, and the room must know.
    return link.state === 'live' && cause.delayedSince ? tr('connection.delayed_showing', { since: clock(cause.delayedSince), as_of: figuresFrom }) : null;
  }
  if (cause.restarting) return tr('connection.restarting_showing', { since: clock(since), as_of: figuresFrom });
  return tr('connection.lost_showing', { since: clock(since), as_of: figuresFrom });
}
