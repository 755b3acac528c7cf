// Calendar arithmetic for the charts, in the tenant's time zone rather than the browser's: the
// wall may hang in Lisbon while showing a fleet in Sydney.
import type { Series } from '$contract';

export interface Bar {
  key: string;
  label: string;
  kwh: number;
  /** The bucket "now" falls in (today, this month, this year): drawn highlighted. */
  current: boolean;
}

const partsFormatters = new Map<string, Intl.DateTimeFormat>();

function zonedParts(instant: number, timeZone: string) {
  let dtf = partsFormatters.get(timeZone);
  if (!dtf) {
    dtf = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric'
    });
    partsFormatters.set(timeZone, dtf);
  }
  const parts = dtf.formatToParts(new Date(instant));
  const get = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return { y: get('year'), m: get('month'), d: get('day'), h: get('hour'), min: get('minute'), s: get('second') };
}

/** How far `timeZone`'s wall clock is ahead of UTC at `instant`, in ms. */
export function zoneOffsetMs(instant: number, timeZone: string): number {
  const p = zonedParts(instant, timeZone);
  const wall = Date.UTC(p.y, p.m - 1, p.d, p.h, p.min, p.s);
  return wall - Math.floor(instant / 1000) * 1000;
}

// Local midnight of y-m-d: guess with the offset at UTC midnight, then correct once for a DST
// change between the guess and the answer.
function zonedMidnight(y: number, m: number, d: number, timeZone: string): number {
  const utcMidnight = Date.UTC(y, m - 1, d);
  const first = utcMidnight - zoneOffsetMs(utcMidnight, timeZone);
  return utcMidnight - zoneOffsetMs(first, timeZone);
}

/** Start and end (next midnight) of the local day containing `instant`; 23 or 25 h on DST days. */
export function localDayBounds(instant: Date, timeZone: string): { start: Date; end: Date } {
  const { y, m, d } = zonedParts(instant.getTime(), timeZone);
  const next = new Date(Date.UTC(y, m - 1, d + 1));
  return {
    start: new Date(zonedMidnight(y, m, d, timeZone)),
    end: new Date(zonedMidnight(next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate(), timeZone))
  };
}

/** Hour gridlines every `step` hours of local wall time, labelled "00", "03", … */
export function hourTicks(start: Date, end: Date, timeZone: string, step = 3): { at: Date; label: string }[] {
  const ticks: { at: Date; label: string }[] = [];
  for (let t = start.getTime(); t < end.getTime(); t += 3_600_000) {
    const h = zonedParts(t, timeZone).h;
    if (h % step === 0) ticks.push({ at: new Date(t), label: String(h).padStart(2, '0') });
  }
  return ticks;
}

const dayOfMonth = (date: string) => String(Number(date.slice(8, 10)));

export function dayBars(days: Series['days']): Bar[] {
  const last = days.at(-1)?.date;
  return days.map((d) => ({ key: d.date, label: dayOfMonth(d.date), kwh: d.kwh, current: d.date === last }));
}

/** `today` is the latest plant-local date (the last of `days`), which decides the current month. */
export function monthBars(months: Series['months'], today: string | undefined, locale = 'en'): Bar[] {
  const name = new Intl.DateTimeFormat(locale, { month: 'short', timeZone: 'UTC' });
  return months.map((m) => ({
    key: m.month,
    label: name.format(new Date(`${m.month}-01T00:00:00Z`)),
    kwh: m.kwh,
    current: today?.slice(0, 7) === m.month
  }));
}

export function yearBars(years: Series['years']): Bar[] {
  const last = years.at(-1)?.year;
  return years.map((y) => ({ key: String(y.year), label: String(y.year), kwh: y.kwh, current: y.year === last }));
}
