// Plant-local calendar arithmetic with Intl only: the machine's own time zone never matters.

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const dateFormats = new Map<string, Intl.DateTimeFormat>();
const wallFormats = new Map<string, Intl.DateTimeFormat>();

export function isTimeZone(tz: string): boolean {
  if (typeof tz !== 'string' || tz.length === 0 || tz.length > 64) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

function dateFormat(tz: string): Intl.DateTimeFormat {
  let format = dateFormats.get(tz);
  if (!format) {
    // en-CA formats dates as YYYY-MM-DD.
    format = new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' });
    dateFormats.set(tz, format);
  }
  return format;
}

interface LocalDay {
  date: string;
  /** The date as days since 1970-01-01. */
  day: number;
  start: number;
  end: number;
}

// The local days last asked for, per zone: ingest asks for the same few days over and over (a
// batch may straddle a local midnight, late records name older days), and a range check is far
// cheaper than Intl formatting.
const DAYS_KEPT = 4;
const dayWindows = new Map<string, LocalDay[]>();

/** The calendar date (YYYY-MM-DD) an instant falls on in a time zone. */
export function localDate(epochMs: number, tz: string): string {
  return localDay(epochMs, tz).date;
}

/** The local calendar day an instant falls in: its date, first instant and end (exclusive). */
export function localDay(epochMs: number, tz: string): LocalDay {
  let days = dayWindows.get(tz);
  if (days === undefined) dayWindows.set(tz, (days = []));
  for (let i = 0; i < days.length; i++) {
    const day = days[i];
    if (epochMs >= day.start && epochMs < day.end) return day;
  }
  const date = dateFormat(tz).format(epochMs);
  const found = { start: startOfLocalDate(date, tz), end: startOfLocalDate(addDays(date, 1), tz), date, day: Math.round(Date.parse(`${date}T00:00:00Z`) / DAY_MS) };
  if (days.length === DAYS_KEPT) days.shift();
  days.push(found);
  return found;
}

// "11/21/2026, 08:05:00": parsing format() is several times cheaper than formatToParts().
const WALL = /^(\d{2})\/(\d{2})\/(-?\d+), (\d{2}):(\d{2}):(\d{2})$/;

/** The wall-clock reading in a zone at an instant, as if it were UTC (milliseconds dropped). */
function wallClockMs(epochMs: number, tz: string): number {
  let format = wallFormats.get(tz);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit'
    });
    wallFormats.set(tz, format);
  }
  const m = WALL.exec(format.format(epochMs));
  if (!m) throw new Error(`cannot read the time in ${tz}`);
  return Date.UTC(+m[3], +m[1] - 1, +m[2], +m[4], +m[5], +m[6]);
}

/** Milliseconds the zone's wall clock is ahead of UTC at an instant. */
export function zoneOffsetMs(epochMs: number, tz: string): number {
  return wallClockMs(epochMs, tz) - Math.floor(epochMs / 1000) * 1000;
}

/** Hours since local midnight (0 <= h < 24). */
export function localHour(epochMs: number, tz: string): number {
  return ((wallClockMs(epochMs, tz) + (epochMs % 1000)) % DAY_MS) / HOUR_MS;
}

/**
 * The first instant of a local calendar date: local midnight, or where DST skips midnight
 * (America/Santiago, Africa/Cairo) the moment the day starts. `offsetHint`, the offset of a
 * nearby day, saves Intl calls when walking a calendar.
 */
export function startOfLocalDate(date: string, tz: string, offsetHint?: number): number {
  const wallMidnight = Date.parse(`${date}T00:00:00Z`);
  let offset = offsetHint ?? zoneOffsetMs(wallMidnight, tz);
  let t = wallMidnight - offset;
  const actual = zoneOffsetMs(t, tz);
  if (actual === offset) return t;
  offset = actual;
  t = wallMidnight - offset;
  for (let step = 0; step < 8 && dateFormat(tz).format(t) < date; step++) t += HOUR_MS / 4;
  return t;
}

export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

export function addMonths(month: string, months: number): string {
  const [y, m] = month.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1 + months, 1)).toISOString().slice(0, 7);
}

/** Whole calendar days from one date to another (YYYY-MM-DD). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}
