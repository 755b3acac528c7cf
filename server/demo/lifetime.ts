// Lifetime counters before the simulated window: what e_total_kwh a device plausibly showed at
// the start of a local date, estimated from its rating, its site's sun and its age. Live state
// starts from it and history counts backwards from it, so the two always join up.
import type { Device, Plant } from '../model.ts';
import { chargedKwh } from './charging.ts';
import { daysBetween } from './localTime.ts';
import { hashString } from './random.ts';
import { clearSkyFactor, type PvSite } from './solar.ts';

/** Mean of the weather factor over many days (see dayClearness in solar.ts), rounded up. */
const MEAN_WEATHER = 0.76;
/** Keeps the estimate above the simulated history, so counting backwards never goes below 0. */
const MARGIN = 1.05;
/** Age assumed for a plant without built_on. */
const DEFAULT_AGE_DAYS = 730;
const DAY_MS = 86_400_000;
const REFERENCE_YEAR_START = Date.UTC(2023, 0, 1);

export function siteOf(plant: Plant): PvSite {
  return { lat: plant.lat, lon: plant.lon, key: hashString(plant.id) };
}

export class LifetimeEstimator {
  readonly #seed: number;
  readonly #dailyKwhPerKw = new Map<string, number>();
  readonly #chargerDailyKwh = new Map<string, number>();

  constructor(seed: number) {
    this.#seed = seed;
  }

  /** e_total_kwh of `device` at the first instant of local date `date`. */
  atStartOf(device: Device, plant: Plant, date: string): number {
    const days = plant.built_on ? Math.max(0, daysBetween(plant.built_on, date)) : DEFAULT_AGE_DAYS;
    const daily = device.kind === 'charger'
      ? this.#chargerDaily(device, plant)
      : (device.rated_power_w / 1000) * this.#sitePerKw(plant);
    return daily * days * MARGIN;
  }

  /** Mean clear-sky-times-weather kWh per kW per day: 12 mid-month days sampled hourly. */
  #sitePerKw(plant: Plant): number {
    let perKw = this.#dailyKwhPerKw.get(plant.id);
    if (perKw === undefined) {
      let kwh = 0;
      for (let month = 0; month < 12; month++) {
        const day = Date.UTC(2023, month, 15);
        for (let h = 0; h < 24; h++) kwh += clearSkyFactor(plant.lat, plant.lon, day + (h + 0.5) * 3_600_000);
      }
      perKw = (kwh / 12) * MEAN_WEATHER;
      this.#dailyKwhPerKw.set(plant.id, perKw);
    }
    return perKw;
  }

  #chargerDaily(device: Device, plant: Plant): number {
    let daily = this.#chargerDailyKwh.get(device.sn);
    if (daily === undefined) {
      const key = hashString(device.sn);
      const days = 56;
      const from = REFERENCE_YEAR_START;
      daily = chargedKwh(this.#seed, key, device.rated_power_w, plant.lon, from, from + days * DAY_MS) / days;
      this.#chargerDailyKwh.set(device.sn, daily);
    }
    return daily;
  }
}
