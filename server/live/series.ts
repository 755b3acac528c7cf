// A subtree's chart series from its sources (its plants, or its running sums): 30 days, the
// months of the year, 5 years and today's 5-minute curve, in the snapshot's shapes.
import type { Series } from '../contract.ts';
import { addDays, localDay } from '../time/zones.ts';
import { dayNumber, monthNumber } from './deviceColumns.ts';
import type { EnergyRings, PeriodRing } from './energyRings.ts';
import { round } from './round.ts';
import { BUCKET_MS } from './state.ts';

/** What a subtree's series sum: rows of some rings (its plants, or its running sums). */
export interface SeriesSource {
  rings: EnergyRings;
  rows: ArrayLike<number>;
}

// Date labels and bucket instants repeat every second for every room: made once, kept a while.
const dayLists = new Map<string, string[]>();
function thirtyDays(endDate: string): string[] {
  let days = dayLists.get(endDate);
  if (!days) {
    if (dayLists.size > 64) dayLists.clear();
    days = Array.from({ length: 30 }, (_, i) => addDays(endDate, i - 29));
    dayLists.set(endDate, days);
  }
  return days;
}
const bucketLabels = new Map<number, string>();
function bucketLabel(t: number): string {
  let label = bucketLabels.get(t);
  if (!label) {
    if (bucketLabels.size > 2000) bucketLabels.clear();
    label = new Date(t).toISOString();
    bucketLabels.set(t, label);
  }
  return label;
}

export function buildSeries({ rings, rows }: SeriesSource, endDate: string, timezone: string, now: number, powerNow: number): Series {
  const sum = (ring: PeriodRing, key: number) => {
    let s = 0;
    for (let i = 0; i < rows.length; i++) s += ring.get(rows[i], key);
    return s;
  };
  const days = thirtyDays(endDate).map((date) => ({ date, kwh: round(sum(rings.day, dayNumber(date))) }));
  const year = Number(endDate.slice(0, 4));
  const months = Array.from({ length: 12 }, (_, i) => `${year}-${String(i + 1).padStart(2, '0')}`).map((month) => ({
    month,
    kwh: round(sum(rings.month, monthNumber(month)))
  }));
  const years = Array.from({ length: 5 }, (_, i) => year - 4 + i).map((y) => ({ year: y, kwh: round(sum(rings.year, y)) }));
  const dayStart = localDay(now, timezone).start;
  const today: Series['today'] = [];
  for (let t = Math.floor(dayStart / BUCKET_MS) * BUCKET_MS; t <= now; t += BUCKET_MS) {
    today.push({ t: bucketLabel(t), power_w: round(sum(rings.bucket, t / BUCKET_MS), 1) });
  }
  // The bucket under way holds only the devices that have reported in it so far; the curve ends
  // at the fleet's power now instead of dipping.
  if (today.length > 0) today[today.length - 1].power_w = round(powerNow, 1);
  return { today, days, months, years };
}

/** Two series of flat points, compared field by field (a room's series are compared every second). */
export function samePoints(a: readonly object[], b: readonly object[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as Record<string, unknown>;
    const y = b[i] as Record<string, unknown>;
    for (const key in x) if (x[key] !== y[key]) return false;
  }
  return true;
}
