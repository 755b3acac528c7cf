// Plant-local calendar arithmetic through Intl, never through the machine's time zone.

const HOUR_MS = 3_600_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit',
      hour: '2-digit', minute: '2-digit', second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

// "11/21/2026, 08:05:00": parsing format() is several times cheaper than formatToParts().
const WALL = /^(\d{2})\/(\d{2})\/(-?\d+), (\d{2}):(\d{2}):(\d{2})$/;

/** The wall-clock reading in `timeZone` at `ms`, as if it were UTC (milliseconds dropped). */
function wallClockMs(timeZone: string, ms: number): number {
  const m = WALL.exec(formatter(timeZone).format(ms));
  if (!m) throw new Error(`cannot read the time in ${timeZone}`);
  return Date.UTC(+m[3]!, +m[1]! - 1, +m[2]!, +m[4]!, +m[5]!, +m[6]!);
}

/** UTC offset of `timeZone` at `ms`, in milliseconds (east positive). */
export function utcOffsetMs(timeZone: string, ms: number): number {
  return wallClockMs(timeZone, ms) - Math.floor(ms / 1000) * 1000;
}

/** The plant-local calendar date (YYYY-MM-DD) at instant `ms`. */
export function localDate(timeZone: string, ms: number): string {
  return new Date(wallClockMs(timeZone, ms)).toISOString().slice(0, 10);
}

/** Hours since local midnight at `ms` in `timeZone` (0 ≤ h < 24). */
export function localHour(timeZone: string, ms: number): number {
  const wall = wallClockMs(timeZone, ms) + (ms % 1000);
  return (wall % 86_400_000) / HOUR_MS;
}

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** Whole calendar days from `from` to `to` (both YYYY-MM-DD). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/**
 * The first instant of local date `date` in `timeZone`. `offsetHint` (the offset of a nearby
 * day) saves Intl calls when walking a calendar.
 */
export function startOfLocalDay(timeZone: string, date: string, offsetHint?: number): number {
  const wall = Date.parse(`${date}T00:00:00Z`);
  let offset = offsetHint ?? utcOffsetMs(timeZone, wall);
  let t = wall - offset;
  const actual = utcOffsetMs(timeZone, t);
  if (actual === offset) return t;
  offset = actual;
  t = wall - offset;
  // Where DST skips midnight (America/Santiago, Africa/Cairo), the day starts at the jump.
  for (let step = 0; step < 8 && localDate(timeZone, t) < date; step++) t += HOUR_MS / 4;
  return t;
}
