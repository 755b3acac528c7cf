// Lifetime counters before the simulated window: what e_total_kwh a device plausibly showed at
// the start of a local date, estimated from its rating, its site's sun and its age. Live state
// starts from it and history counts backwards from it, so the two always join up.
import type { Device, Plant } from '../model.ts';
import { chargedKwh } from './charging.ts';
import { addDays, daysBetween } from '../time/zones.ts';
import { hashString } from './random.ts';
import { clearSkyFactor, type PvSite } from './solar.ts';

/** Mean of the weather factor over many days (see dayClearness in solar.ts), rounded up. */
const MEAN_WEATHER = 0.76;
/**
 * Keep the estimate above the simulated history, so counting backwards never reaches 0:
 * weather averages out over years; a charger's few sessions a day much less so.
 */
const PV_MARGIN = 1.05;
const CHARGER_MARGIN = 1.25;
/** Age assumed for a plant without built_on. */
const DEFAULT_AGE_DAYS = 730;
const DAY_MS = 86_400_000;
const REFERENCE_YEAR_START = Date.UTC(2023, 0, 1);

export function siteOf(plant: Plant): PvSite {
  return { lat: plant.lat, lon: plant.lon, key: hashString(plant.id) };
}

export class LifetimeEstimator {
  readonly #seed: number;
  readonly #monthlyKwhPerKw = new Map<string, number[]>();
  readonly #chargerDailyKwh = new Map<string, number>();

  constructor(seed: number) {
    this.#seed = seed;
  }

  /** e_total_kwh of `device` at the first instant of local date `date`. */
  atStartOf(device: Device, plant: Plant, date: string): number {
    const from = plant.built_on ?? addDays(date, -DEFAULT_AGE_DAYS);
    if (from >= date) return 0;
    return device.kind === 'charger'
      ? this.#chargerDaily(device, plant) * daysBetween(from, date) * CHARGER_MARGIN
      : (device.rated_power_w / 1000) * this.#pvKwhPerKw(plant, from, date) * PV_MARGIN;
  }

  /**
   * Expected kWh per kW from `from` to `to` (exclusive), month by month: a plant built in
   * spring has had more summer than winter, and an annual mean would undercount it.
   */
  #pvKwhPerKw(plant: Plant, from: string, to: string): number {
    const monthly = this.#monthly(plant);
    let kwh = 0;
    let cursor = from;
    while (cursor < to) {
      const [y, m] = cursor.split('-').map(Number) as [number, number];
      const nextMonth = new Date(Date.UTC(y, m, 1)).toISOString().slice(0, 10);
      const end = nextMonth < to ? nextMonth : to;
      kwh += monthly[m - 1]! * daysBetween(cursor, end);
      cursor = end;
    }
    return kwh;
  }

  /** Mean daily kWh per kW for each calendar month: the 15th, clear sky sampled hourly, times mean weather. */
  #monthly(plant: Plant): number[] {
    let monthly = this.#monthlyKwhPerKw.get(plant.id);
    if (!monthly) {
      monthly = Array.from({ length: 12 }, (_, month) => {
        const day = Date.UTC(2023, month, 15);
        let kwh = 0;
        for (let h = 0; h < 24; h++) kwh += clearSkyFactor(plant.lat, plant.lon, day + (h + 0.5) * 3_600_000);
        return kwh * MEAN_WEATHER;
      });
      this.#monthlyKwhPerKw.set(plant.id, monthly);
    }
    return monthly;
  }

  #chargerDaily(device: Device, plant: Plant): number {
    let daily = this.#chargerDailyKwh.get(device.sn);
    if (daily === undefined) {
      const key = hashString(device.sn);
      const days = 365;
      const from = REFERENCE_YEAR_START;
      daily = chargedKwh(this.#seed, key, device.rated_power_w, plant.lon, from, from + days * DAY_MS) / days;
      this.#chargerDailyKwh.set(device.sn, daily);
    }
    return daily;
  }
}
