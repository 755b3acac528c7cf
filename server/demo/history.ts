// Coarse history for the wall's 30-day, 12-month and 5-year charts: one record per device and
// past plant-local day, at about 21:00 local, carrying the day's energy. Newest days first, so
// the 30-day chart fills before the 5-year one.
import type { Device, Plant, TelemetryRecord } from '../model.ts';
import { chargedKwh } from './charging.ts';
import type { DemoFleet } from './fleet.ts';
import { siteOf, type LifetimeEstimator } from './lifetime.ts';
import { daysBetween, localDate, startOfLocalDate } from '../time/zones.ts';
import { hashString, unitHash } from './random.ts';
import { siteEnergyPerKw, type PvSite } from './solar.ts';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

interface PlantCursor {
  plant: Plant;
  site: PvSite;
  devices: { device: Device; key: number }[];
  today: string;
  /** The earliest date to fill: the later of built_on and today − years. */
  from: string;
  /** The dates as UTC midnights, for cheap arithmetic in the hot loop. */
  todayUtcMs: number;
  fromUtcMs: number;
  /** Start of the day after the one being generated, and that day's UTC offset (walking backwards). */
  nextDayStartMs: number;
  nextOffsetMs: number;
}

export interface HistoryPlan {
  /** Plant-local today of each plant at the anchor instant; history ends the day before. */
  todays: Map<string, string>;
  /** Records the plan will produce: one per device and day in its window. */
  records: number;
  days: number;
  /** Earliest date of any plant's window. */
  from: string;
  cursors: PlantCursor[];
}

export function planHistory(fleet: DemoFleet, nowMs: number, years: number): HistoryPlan {
  const byPlant = new Map<string, { device: Device; key: number }[]>();
  for (const device of fleet.devices) {
    const list = byPlant.get(device.plant_id) ?? [];
    list.push({ device, key: hashString(device.sn) });
    byPlant.set(device.plant_id, list);
  }
  const cursors: PlantCursor[] = [];
  const todays = new Map<string, string>();
  let records = 0;
  let days = 0;
  let earliest = '9999-12-31';
  for (const plant of fleet.plants) {
    const devices = byPlant.get(plant.id) ?? [];
    const today = localDate(nowMs, plant.timezone);
    todays.set(plant.id, today);
    const windowStart = yearsBefore(today, years);
    const from = plant.built_on && plant.built_on > windowStart ? plant.built_on : windowStart;
    const span = Math.max(0, daysBetween(from, today));
    if (devices.length === 0 || span === 0) continue;
    records += span * devices.length;
    days = Math.max(days, span);
    if (from < earliest) earliest = from;
    const todayUtcMs = Date.parse(`${today}T00:00:00Z`);
    const nextDayStartMs = startOfLocalDate(today, plant.timezone);
    cursors.push({ plant, site: siteOf(plant), devices, today, from, todayUtcMs,
      fromUtcMs: Date.parse(`${from}T00:00:00Z`), nextDayStartMs, nextOffsetMs: todayUtcMs - nextDayStartMs });
  }
  return { todays, records, days, from: earliest, cursors };
}

/**
 * The plan's records, newest day first. `e_total_kwh` counts backwards from each device's
 * lifetime estimate at the start of its plant's today, which is where live state starts too.
 */
export function* historyRecords(plan: HistoryPlan, seed: number, lifetime: LifetimeEstimator): Generator<TelemetryRecord> {
  const totals = new Map<string, number>();
  for (const c of plan.cursors) {
    for (const { device } of c.devices) totals.set(device.sn, lifetime.atStartOf(device, c.plant, c.today));
  }
  for (let back = 1; back <= plan.days; back++) {
    for (const c of plan.cursors) {
      const dateUtcMs = c.todayUtcMs - back * DAY_MS;
      if (dateUtcMs < c.fromUtcMs) continue;
      const date = new Date(dateUtcMs).toISOString().slice(0, 10);
      const dayStartMs = startOfLocalDate(date, c.plant.timezone, c.nextOffsetMs);
      const dayEndMs = c.nextDayStartMs;
      // Local 21:00 has the offset of the coming midnight: DST changes in the small hours.
      const ts = new Date(dateUtcMs + 21 * HOUR_MS - c.nextOffsetMs).toISOString();
      c.nextDayStartMs = dayStartMs;
      c.nextOffsetMs = dateUtcMs - dayStartMs;
      const dayIndex = Math.floor(dayStartMs / DAY_MS);
      let perKw = -1; // computed once per plant-day, only if a PV device needs it
      for (const { device, key } of c.devices) {
        let kwh: number;
        if (device.kind === 'charger') {
          kwh = chargedKwh(seed, key, device.rated_power_w, c.plant.lon, dayStartMs, dayEndMs);
        } else {
          if (perKw < 0) perKw = siteEnergyPerKw(seed, c.site, dayStartMs, dayEndMs);
          kwh = (device.rated_power_w / 1000) * perKw * (0.985 + 0.03 * unitHash(seed, key, dayIndex, 51));
        }
        const total = totals.get(device.sn) ?? 0;
        totals.set(device.sn, Math.max(0, total - kwh));
        yield {
          sn: device.sn, ts, status: 'normal', power_w: 0,
          e_today_kwh: Math.round(kwh * 100) / 100,
          e_total_kwh: Math.round(Math.max(total, kwh) * 10) / 10,
        };
      }
    }
  }
}

/** The same calendar date `years` earlier (29 February becomes 1 March). */
function yearsBefore(date: string, years: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y - years, m - 1, d)).toISOString().slice(0, 10);
}
