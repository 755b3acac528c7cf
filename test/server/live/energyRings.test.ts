// Plants' energy and power rings: what the series read (30 days, the year's months, 5 years, a
// local day of 5-minute buckets) stays right as periods pass, rows grow and late records arrive.
import { describe, expect, it } from 'vitest';
import { dayNumber, monthNumber } from '../../../server/live/deviceColumns.ts';
import { EnergyRings } from '../../../server/live/energyRings.ts';
import { buildSeries } from '../../../server/live/series.ts';
import { BUCKET_MS } from '../../../server/live/state.ts';
import { addDays } from '../../../server/time/zones.ts';

const TODAY = '2026-11-21';
const NOW = Date.parse(`${TODAY}T22:00:00Z`);

describe('energy rings', () => {
  it('keep 30 days, 12 months and 5 years of every plant through 100 days of records', () => {
    const rings = new EnergyRings();
    const rows = ['a', 'b', 'c'].map((id) => rings.row(id));
    for (let back = 99; back >= 0; back--) {
      const date = addDays(TODAY, -back);
      for (const [k, row] of rows.entries()) {
        rings.day.add(row, dayNumber(date), k + 1);
        rings.month.add(row, monthNumber(date), k + 1);
        rings.year.add(row, Number(date.slice(0, 4)), k + 1);
      }
    }
    const series = buildSeries({ rings, rows }, TODAY, 'UTC', NOW, 0);
    expect(series.days.map((d) => d.kwh)).toEqual(Array(30).fill(6));
    // 100 days up to 21 November start on 14 August.
    expect(series.months.map((m) => m.kwh)).toEqual([0, 0, 0, 0, 0, 0, 0, 18 * 6, 30 * 6, 31 * 6, 21 * 6, 0]);
    expect(series.years.map((y) => y.kwh)).toEqual([0, 0, 0, 0, 600]);
    // A record for a date older than the ring reaches is left to the store; it never lands on a newer date.
    rings.day.add(rows[0], dayNumber(addDays(TODAY, -40)), 1000);
    expect(rings.day.get(rows[0], dayNumber(TODAY))).toBe(1);
    expect(rings.day.get(rows[0], dayNumber(addDays(TODAY, -40)))).toBe(0);
  });

  it("keep a local day of power buckets, and every plant's figures as rows grow past their room", () => {
    const rings = new EnergyRings();
    const now = Math.floor(NOW / BUCKET_MS);
    // Two days of buckets for plant 0: the older day gives its slots up to the newer one.
    const first = rings.row('p0');
    for (let b = now - 2 * 288; b <= now; b++) rings.bucket.add(first, b, b % 7);
    // 3,000 plants, each with its own energy, added after plant 0's buckets.
    for (let p = 1; p < 3000; p++) rings.day.add(rings.row(`p${p}`), dayNumber(TODAY), p);
    for (let b = now - 25 * 12; b <= now; b++) expect(rings.bucket.get(first, b)).toBe(b % 7);
    expect(rings.bucket.get(first, now - 2 * 288)).toBe(0);
    expect(rings.day.get(rings.indexOf('p2999'), dayNumber(TODAY))).toBe(2999);
    expect(rings.day.get(rings.indexOf('p1'), dayNumber(TODAY))).toBe(1);
    const today = buildSeries({ rings, rows: [first] }, TODAY, 'Pacific/Kiritimati', NOW, 42).today;
    // Kiritimati (UTC+14) is at 12:00 on 22 November: 145 buckets, the last one the power now.
    expect(today).toHaveLength(145);
    expect(today.slice(0, -1).map((p) => p.power_w)).toEqual(today.slice(0, -1).map((p) => (Date.parse(p.t) / BUCKET_MS) % 7));
    expect(today.at(-1)!.power_w).toBe(42);
  });
});
