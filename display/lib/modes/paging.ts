// Paging of the list modes, read off the wall clock like the playlist: every browser of a video
// wall turns the page at the same second, and a reload lands on the page it would be showing.

/** Fewer seconds per page than this cannot be read across a room. */
export const MIN_PAGE_SECONDS = 5;
export const DEFAULT_PAGE_SECONDS = 15;

export function pageMs(pageSeconds: number | null | undefined): number {
  const s = Number.isFinite(pageSeconds) ? Number(pageSeconds) : DEFAULT_PAGE_SECONDS;
  return Math.max(MIN_PAGE_SECONDS, s) * 1000;
}

/** How many rows fit a body `heightPx` tall, rows `rowPx` tall; at least one. */
export function rowsThatFit(heightPx: number, rowPx: number): number {
  if (!(heightPx > 0) || !(rowPx > 0)) return 1;
  return Math.max(1, Math.floor(heightPx / rowPx + 1e-6));
}

/** Pages for `total` rows at `perPage` a page; an empty list still has one (empty) page. */
export function pageCount(total: number, perPage: number): number {
  if (!(total > 0) || !(perPage > 0)) return 1;
  return Math.ceil(total / perPage);
}

/** The page turn counter: it changes every page interval, and each change fetches fresh rows. */
export function turnAt(nowMs: number, pageSeconds: number | null | undefined): number {
  return Math.floor(nowMs / pageMs(pageSeconds));
}

/** The page (0-based) a turn shows, cycling through `pages`. */
export function pageOfTurn(turn: number, pages: number): number {
  const n = Math.max(1, Math.floor(pages));
  return ((turn % n) + n) % n;
}

/** The offset= of a page request. */
export function offsetOf(page: number, perPage: number): number {
  return Math.max(0, page) * Math.max(1, perPage);
}

/** When the next turn starts (epoch ms), to schedule the next fetch exactly. */
export function nextTurnAt(nowMs: number, pageSeconds: number | null | undefined): number {
  const ms = pageMs(pageSeconds);
  return (Math.floor(nowMs / ms) + 1) * ms;
}
