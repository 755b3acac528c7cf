// Plant-local calendar arithmetic with Intl only: the machine's own time zone never matters.

const dateFormats = new Map<string, Intl.DateTimeFormat>();
const partsFormats = new Map<string, Intl.DateTimeFormat>();

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

// The local day last asked for, per zone: ingest asks for the same few days over and over, and a
// range check is far cheaper than Intl formatting.
const dayWindows = new Map<string, { start: number; end: number; date: string }>();

/** The calendar date (YYYY-MM-DD) an instant falls on in a time zone. */
export function localDate(epochMs: number, tz: string): string {
  const window = dayWindows.get(tz);
  if (window && epochMs >= window.start && epochMs < window.end) return window.date;
  const date = dateFormat(tz).format(epochMs);
  dayWindows.set(tz, { start: startOfLocalDate(date, tz), end: startOfLocalDate(addDays(date, 1), tz), date });
  return date;
}

/** Milliseconds the zone's wall clock is ahead of UTC at an instant. */
export function zoneOffsetMs(epochMs: number, tz: string): number {
  let format = partsFormats.get(tz);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric'
    });
    partsFormats.set(tz, format);
  }
  const p: Record<string, number> = {};
  for (const part of format.formatToParts(epochMs)) if (part.type !== 'literal') p[part.type] = Number(part.value);
  const wall = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return wall - Math.floor(epochMs / 1000) * 1000;
}

/** The first instant of a local calendar date (local midnight, or the first existing minute after it). */
export function startOfLocalDate(date: string, tz: string): number {
  const [y, m, d] = date.split('-').map(Number);
  const wallMidnight = Date.UTC(y, m - 1, d);
  let guess = wallMidnight - zoneOffsetMs(wallMidnight, tz);
  guess = wallMidnight - zoneOffsetMs(guess, tz);
  // Where midnight does not exist (a DST jump at 00:00), the guess lands on the day before.
  if (dateFormat(tz).format(guess) < date) guess += 3_600_000;
  return guess;
}

export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

export function addMonths(month: string, months: number): string {
  const [y, m] = month.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1 + months, 1)).toISOString().slice(0, 7);
}
