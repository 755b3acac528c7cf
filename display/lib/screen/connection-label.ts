import type { ConnectionState } from '$lib/socket/screen-socket.svelte.ts';

// The server sends a delta, or an empty heartbeat one, at least every HEARTBEAT_MS
// (server/live/gateway.ts), each moving `as_of` on; two missed beats means the figures have
// stopped moving even though the socket looks healthy.
export const HEARTBEAT_MS = 10_000;
export const STALE_AFTER_MS = 2 * HEARTBEAT_MS;

/** "12 s", "4 min", "2 h 5 min", "3 d": how old the data is, at wall-reading precision. */
export function formatAge(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s} s`;
  const min = Math.floor(s / 60);
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  if (h < 48) return min % 60 ? `${h} h ${min % 60} min` : `${h} h`;
  return `${Math.floor(h / 24)} d`;
}

export interface ConnectionLabel {
  text: string;
  /** Live but the figures have not moved for too long. */
  stale: boolean;
}

/** What the connection marker says; `clock` formats an instant as the tenant's wall time. */
export function connectionLabel(
  state: ConnectionState,
  since: Date,
  asOf: string,
  now: Date,
  clock: (d: Date) => string
): ConnectionLabel {
  switch (state) {
    case 'live': {
      const age = now.getTime() - Date.parse(asOf);
      return { text: `Live · ${formatAge(age)} ago`, stale: age > STALE_AFTER_MS };
    }
    case 'reconnecting':
      return { text: `Reconnecting since ${clock(since)}`, stale: true };
    case 'connecting':
      return { text: 'Connecting…', stale: false };
    case 'error':
      return { text: 'Access rejected', stale: true };
  }
}
