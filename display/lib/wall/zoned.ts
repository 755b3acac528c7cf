// Time in the tenant's zone. A zone comes from the tenant's registry entry, and a bad one must
// not blank the wall: it falls back to the browser's own zone.

/** A formatter in `timeZone`, or in the browser's zone if that name is not one Intl knows. */
export function zonedFormat(locale: string, timeZone: string | null | undefined, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  try {
    return new Intl.DateTimeFormat(locale, { ...options, timeZone: timeZone ?? undefined });
  } catch {
    return new Intl.DateTimeFormat(locale, options);
  }
}

/** "10:41:07": the wall clock's format, 24-hour everywhere (a control room reads it at a glance). */
export function wallClock(locale: string, timeZone: string | null | undefined): (at: Date) => string {
  const format = zonedFormat(locale, timeZone, { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
  return (at) => format.format(at);
}

// One zone per wall in practice; keyed anyway so a tenant that changes zone is right at once.
let minuteFormat: { zone: string; format: Intl.DateTimeFormat } | null = null;

/** Minutes since local midnight at instant `at` in `timeZone` (0..1439), DST included. */
export function localMinuteOfDay(at: Date, timeZone: string | null | undefined): number {
  const zone = timeZone ?? '';
  if (minuteFormat?.zone !== zone) {
    minuteFormat = { zone, format: zonedFormat('en-GB', timeZone, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }) };
  }
  let hour = 0;
  let minute = 0;
  for (const part of minuteFormat.format.formatToParts(at)) {
    if (part.type === 'hour') hour = Number(part.value) % 24;
    else if (part.type === 'minute') minute = Number(part.value);
  }
  return hour * 60 + minute;
}
