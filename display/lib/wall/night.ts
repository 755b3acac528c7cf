// Night dimming: between two local times of the tenant's zone the wall is dimmed to a set
// brightness. The window is read off the local clock at each instant, so DST days (23 or 25
// hours) need no special case: 22:00 is whenever the zone's clocks say 22:00.
import type { ScreenSettings } from '$contract';
import { localMinuteOfDay } from './zoned.ts';

export type NightWindow = NonNullable<ScreenSettings['night']>;

const HHMM = /^([01]?\d|2[0-3]):([0-5]\d)$/;

/** "22:00" -> 1320; null for anything that is not a 24-hour time. */
export function parseClockTime(text: string): number | null {
  const m = HHMM.exec(text.trim());
  return m ? Number(m[1]) * 60 + Number(m[2]) : null;
}

/**
 * Is it night at instant `at` in `timeZone`? `from` is inside the window, `to` is not; a window
 * whose `from` is later than its `to` runs across midnight. Equal or unreadable times: never.
 */
export function isNight(at: Date, timeZone: string | null | undefined, window: Pick<NightWindow, 'from' | 'to'>): boolean {
  const from = parseClockTime(window.from);
  const to = parseClockTime(window.to);
  if (from === null || to === null || from === to) return false;
  const minute = localMinuteOfDay(at, timeZone);
  return from < to ? minute >= from && minute < to : minute >= from || minute < to;
}

// Never black: a wall that looks switched off gets switched on, or reported broken.
const MIN_BRIGHTNESS = 0.1;

/** Opacity of the black overlay at `at`: 0 by day (or without a schedule), 1 - brightness at night. */
export function nightDimming(at: Date, timeZone: string | null | undefined, night: NightWindow | null | undefined): number {
  if (!night || !isNight(at, timeZone, night)) return 0;
  const brightness = Number.isFinite(night.brightness) ? Math.min(1, Math.max(MIN_BRIGHTNESS, night.brightness)) : 1;
  return Math.round((1 - brightness) * 1000) / 1000;
}
