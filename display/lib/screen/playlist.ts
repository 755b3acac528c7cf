// Which mode a screen shows now. The rotation is read off the wall clock, not counted by a
// timer: every browser of a video wall (and a wall reloaded mid-cycle) lands on the same item at
// the same second, with no message between them. Pure, so the maths is tested without a page.
import { DISPLAY_MODES, type DisplayMode, type PlaylistItem, type ScreenSettings } from '$contract';

/** Shorter items would flash by before their data arrived. */
export const MIN_ITEM_SECONDS = 5;

export function isDisplayMode(value: unknown): value is DisplayMode {
  return typeof value === 'string' && (DISPLAY_MODES as readonly string[]).includes(value);
}

/** The items that can play: a known mode and a whole number of seconds (at least MIN_ITEM_SECONDS). */
export function playableItems(playlist: readonly PlaylistItem[] | null | undefined): PlaylistItem[] {
  return (playlist ?? [])
    .filter((item) => isDisplayMode(item?.mode) && Number.isFinite(item.seconds))
    .map((item) => ({ mode: item.mode, seconds: Math.max(MIN_ITEM_SECONDS, Math.round(item.seconds)) }));
}

/** One whole turn of the playlist, in ms. */
export function cycleMs(items: readonly PlaylistItem[]): number {
  return items.reduce((sum, item) => sum + item.seconds * 1000, 0);
}

export interface PlaylistPosition {
  index: number;
  item: PlaylistItem;
  /** Epoch ms at which this item started and ends (the next switch: schedule a timer for it). */
  startsAt: number;
  endsAt: number;
  /** How many whole cycles since the epoch: changes once per turn of the playlist. */
  cycle: number;
}

/** The item playing at `nowMs` (epoch ms); null for an empty playlist. */
export function positionAt(items: readonly PlaylistItem[], nowMs: number): PlaylistPosition | null {
  const period = cycleMs(items);
  if (items.length === 0 || period <= 0) return null;
  const cycle = Math.floor(nowMs / period);
  const cycleStart = cycle * period;
  let offset = nowMs - cycleStart;
  let startsAt = cycleStart;
  for (let index = 0; index < items.length; index++) {
    const length = items[index].seconds * 1000;
    if (offset < length) return { index, item: items[index], startsAt, endsAt: startsAt + length, cycle };
    offset -= length;
    startsAt += length;
  }
  // Unreachable (offset < period); kept so a float surprise shows the first item, not nothing.
  return { index: 0, item: items[0], startsAt: cycleStart, endsAt: cycleStart + items[0].seconds * 1000, cycle };
}

/**
 * The mode in force: a test/override mode from the URL wins, then the playlist's current item,
 * then the screen's mode; a screen with no settings yet shows the map.
 */
export function modeAt(
  settings: Pick<ScreenSettings, 'mode' | 'playlist'> | null | undefined,
  nowMs: number,
  override?: string | null
): DisplayMode {
  if (isDisplayMode(override)) return override;
  const position = positionAt(playableItems(settings?.playlist), nowMs);
  if (position) return position.item.mode;
  return isDisplayMode(settings?.mode) ? settings.mode : 'map';
}

/** When the mode may next change (epoch ms), or null when it never does by itself. */
export function nextSwitchAt(
  settings: Pick<ScreenSettings, 'playlist'> | null | undefined,
  nowMs: number
): number | null {
  return positionAt(playableItems(settings?.playlist), nowMs)?.endsAt ?? null;
}
