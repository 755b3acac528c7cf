// Text for the list modes' cells: figures through format.ts, dates and places for the language.
import { asText, formatEnergy, formatPower } from '$lib/format.ts';

export const power = (w: number, locale: string) => asText(formatPower(w, locale));
export const energy = (kwh: number, locale: string) => asText(formatEnergy(kwh, locale));

const dates = new Map<string, Intl.DateTimeFormat>();
/** A calendar date (YYYY-MM-DD) as the language writes it; the date itself, not an instant, so no time zone. */
export function calendarDate(ymd: string | null | undefined, locale: string): string {
  if (!ymd || !/^\d{4}-\d{2}-\d{2}$/.test(ymd)) return '–';
  let dtf = dates.get(locale);
  if (!dtf) {
    dtf = new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' });
    dates.set(locale, dtf);
  }
  return dtf.format(new Date(`${ymd}T00:00:00Z`));
}

/** "Lyon, FR", "Lyon", "FR" or "–". */
export function place(city: string | null | undefined, country: string | null | undefined): string {
  return [city, country].filter((s) => s && s.trim()).join(', ') || '–';
}
