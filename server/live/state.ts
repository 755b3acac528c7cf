// The fleet as it is now, in memory: each device's latest record, each plant's energy by local
// day, month and year, and 5-minute power buckets. Rebuilt from the rollups at start and kept
// current by ingest; rooms read it, the database is never polled for the wall.
import type { ClickHouseClient } from '@clickhouse/client';
import { deviceLifetimeEnergy } from '../../aggregates/queries/deviceLifetimeEnergy.ts';
import { deviceMonthlyEnergy } from '../../aggregates/queries/deviceMonthlyEnergy.ts';
import { deviceRecentDailyMaxima } from '../../aggregates/queries/deviceRecentDailyMaxima.ts';
import { latestDeviceRecords } from '../../aggregates/queries/latestDeviceRecords.ts';
import { plantDailyEnergy } from '../../aggregates/queries/plantDailyEnergy.ts';
import { plantMonthlyEnergy } from '../../aggregates/queries/plantMonthlyEnergy.ts';
import { plantPowerBuckets } from '../../aggregates/queries/plantPowerBuckets.ts';
import { plantYearlyEnergy } from '../../aggregates/queries/plantYearlyEnergy.ts';
import type { DeviceStatus, ReportedStatus } from '../contract.ts';
import type { CheckedRecord } from '../ingest/validate.ts';
import { addDays, addMonths } from '../time/zones.ts';
import { alarmKind, AlarmLog } from './alarms.ts';

export const BUCKET_MS = 5 * 60_000;
export const BUCKETS_KEPT_MS = 48 * 3_600_000;
const DAYS_KEPT = 40;
/** Dates this far before today (UTC) and later are complete in memory; older ones are asked of the store. */
const DAY_MAX_WINDOW = 3;

export interface AppliedRecord extends CheckedRecord {
  plant_id: string;
  local_date: string;
  e_delta_kwh: number;
  p_delta_w: number;
}

export interface DeviceLive {
  ts: number;
  status: ReportedStatus | null;
  power_w: number;
  e_total: number | null;
  /** Sum of the device's day energies over its whole history. */
  energy_sum: number;
  fault_code: string | null;
  battery_soc: number | null;
  battery_power_w: number | null;
  grid_power_w: number | null;
  load_power_w: number | null;
  dayMax: Map<string, number>;
  /** Energy per plant-local month (YYYY-MM), this month and the one before. */
  monthly: Map<string, number>;
  /**
   * The device's latest 5-minute bucket and its last record there: a second report in the same
   * bucket replaces the first in the plant's curve. Older buckets are not remembered (a device
   * keeps one value, not 576 a day), so a late record for an earlier bucket adds its power.
   */
  lastBucket: number;
  lastBucketTs: number;
  lastBucketPower: number;
}

export interface PlantLive {
  daily: Map<string, number>;
  monthly: Map<string, number>;
  yearly: Map<number, number>;
  buckets: Map<number, number>;
}

const utcDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export class LiveState {
  readonly devices = new Map<string, DeviceLive>();
  readonly plants = new Map<string, PlantLive>();
  readonly alarms = new AlarmLog();
  readonly offlineAfterMs: number;
  readonly #appliedListeners: ((records: AppliedRecord[]) => void)[] = [];
  readonly #rebuiltListeners: (() => void)[] = [];
  #completeFrom: string;
  #version = 0;

  constructor(opts: { offlineAfterMs: number; now?: number }) {
    this.offlineAfterMs = opts.offlineAfterMs;
    this.#completeFrom = addDays(utcDate(opts.now ?? Date.now()), -DAY_MAX_WINDOW);
  }

  /** Called after every apply with its records (caches of summaries and series follow them). */
  onApplied(listener: (records: AppliedRecord[]) => void): void {
    this.#appliedListeners.push(listener);
  }

  /** Called after a rebuild from the store: caches start over. */
  onRebuilt(listener: () => void): void {
    this.#rebuiltListeners.push(listener);
  }

  /** Bumped by every apply: rooms skip work when nothing changed. */
  get version(): number {
    return this.#version;
  }

  async rebuild(client: ClickHouseClient, now = Date.now()): Promise<void> {
    this.#completeFrom = addDays(utcDate(now), -DAY_MAX_WINDOW);
    for (const r of await latestDeviceRecords(client)) {
      const d = this.device(r.sn);
      const { ts, status, power_w, fault_code, battery_soc, battery_power_w, grid_power_w, load_power_w } = r;
      Object.assign(d, { ts, status, power_w, fault_code, battery_soc, battery_power_w, grid_power_w, load_power_w });
      // Its latest record is, in the normal course, the one in the bucket under way.
      d.lastBucket = Math.floor(r.ts / BUCKET_MS);
      d.lastBucketTs = r.ts;
      d.lastBucketPower = r.power_w;
    }
    for (const r of await deviceLifetimeEnergy(client)) {
      const d = this.device(r.sn);
      d.energy_sum = r.energy_kwh;
      d.e_total = r.e_total_kwh;
    }
    for (const r of await deviceRecentDailyMaxima(client, this.#completeFrom)) this.device(r.sn).dayMax.set(r.local_date, r.kwh);
    for (const r of await deviceMonthlyEnergy(client, `${addMonths(utcDate(now).slice(0, 7), -1)}-01`)) this.device(r.sn).monthly.set(r.month, r.kwh);
    for (const r of await plantDailyEnergy(client, addDays(utcDate(now), -DAYS_KEPT))) this.plant(r.plant_id).daily.set(r.local_date, r.kwh);
    const lastYear = new Date(now).getUTCFullYear() - 1;
    for (const r of await plantMonthlyEnergy(client, `${lastYear}-01-01`)) this.plant(r.plant_id).monthly.set(r.month, r.kwh);
    for (const r of await plantYearlyEnergy(client)) this.plant(r.plant_id).yearly.set(r.year, r.kwh);
    for (const r of await plantPowerBuckets(client, now - BUCKETS_KEPT_MS)) {
      this.plant(r.plant_id).buckets.set(Math.floor(r.bucket / BUCKET_MS), r.power_w);
    }
    this.#version++;
    for (const listener of this.#rebuiltListeners) listener();
  }

  /** The device's largest e_today_kwh so far for a local date, or undefined when only the store knows. */
  knownDayMax(sn: string, date: string): number | undefined {
    if (date < this.#completeFrom) return undefined;
    return this.devices.get(sn)?.dayMax.get(date) ?? 0;
  }

  /** The device's last record in a 5-minute bucket, as far as memory knows. */
  knownBucket(sn: string, bucket: number): { ts: number; p: number } | undefined {
    const d = this.devices.get(sn);
    return d && d.lastBucket === bucket ? { ts: d.lastBucketTs, p: d.lastBucketPower } : undefined;
  }

  apply(records: AppliedRecord[], now = Date.now()): void {
    for (const r of records) {
      const d = this.device(r.sn);
      if (r.tsMs >= d.ts) {
        const kind = d.ts > 0 ? alarmKind(d.status, r.status) : null;
        if (kind) this.alarms.push({ at: r.tsMs, sn: r.sn, plant_id: r.plant_id, kind, fault_code: kind === 'cleared' ? d.fault_code : r.fault_code });
        d.ts = r.tsMs;
        d.status = r.status;
        d.power_w = r.power_w;
        d.fault_code = r.fault_code;
        d.battery_soc = r.battery_soc;
        d.battery_power_w = r.battery_power_w;
        d.grid_power_w = r.grid_power_w;
        d.load_power_w = r.load_power_w;
      }
      if (r.e_total_kwh !== null) d.e_total = Math.max(d.e_total ?? 0, r.e_total_kwh);
      if (r.local_date >= this.#completeFrom) d.dayMax.set(r.local_date, Math.max(d.dayMax.get(r.local_date) ?? 0, r.e_today_kwh));
      const plant = this.plant(r.plant_id);
      if (r.e_delta_kwh > 0) {
        d.energy_sum += r.e_delta_kwh;
        add(d.monthly, r.local_date.slice(0, 7), r.e_delta_kwh);
        add(plant.daily, r.local_date, r.e_delta_kwh);
        add(plant.monthly, r.local_date.slice(0, 7), r.e_delta_kwh);
        add(plant.yearly, Number(r.local_date.slice(0, 4)), r.e_delta_kwh);
      }
      if (r.tsMs >= now - BUCKETS_KEPT_MS) {
        const bucket = Math.floor(r.tsMs / BUCKET_MS);
        if (bucket > d.lastBucket || (bucket === d.lastBucket && r.tsMs >= d.lastBucketTs)) {
          d.lastBucket = bucket;
          d.lastBucketTs = r.tsMs;
          d.lastBucketPower = r.power_w;
        }
        if (r.p_delta_w !== 0) add(plant.buckets, bucket, r.p_delta_w);
      }
    }
    this.#version++;
    for (const listener of this.#appliedListeners) listener(records);
  }

  /** Forgets what no view needs any more; the store keeps it all. */
  prune(now = Date.now()): void {
    const oldestBucket = Math.floor((now - BUCKETS_KEPT_MS) / BUCKET_MS);
    const completeFrom = addDays(utcDate(now), -DAY_MAX_WINDOW);
    const oldestDay = addDays(utcDate(now), -DAYS_KEPT);
    for (const d of this.devices.values()) {
      for (const date of d.dayMax.keys()) if (date < completeFrom) d.dayMax.delete(date);
      for (const month of d.monthly.keys()) if (month < addMonths(completeFrom.slice(0, 7), -1)) d.monthly.delete(month);
    }
    for (const p of this.plants.values()) {
      for (const b of p.buckets.keys()) if (b < oldestBucket) p.buckets.delete(b);
      for (const date of p.daily.keys()) if (date < oldestDay) p.daily.delete(date);
    }
    this.#completeFrom = completeFrom;
  }

  deviceStatus(sn: string, now: number): DeviceStatus {
    const d = this.devices.get(sn);
    if (!d || d.status === null || now - d.ts > this.offlineAfterMs) return 'offline';
    return d.status;
  }

  device(sn: string): DeviceLive {
    let d = this.devices.get(sn);
    if (!d) {
      d = {
        ts: 0, status: null, power_w: 0, e_total: null, energy_sum: 0, fault_code: null, battery_soc: null,
        battery_power_w: null, grid_power_w: null, load_power_w: null, dayMax: new Map(), monthly: new Map(),
        lastBucket: -1, lastBucketTs: 0, lastBucketPower: 0
      };
      this.devices.set(sn, d);
    }
    return d;
  }

  plant(id: string): PlantLive {
    let p = this.plants.get(id);
    if (!p) {
      p = { daily: new Map(), monthly: new Map(), yearly: new Map(), buckets: new Map() };
      this.plants.set(id, p);
    }
    return p;
  }
}

function add<K>(map: Map<K, number>, key: K, value: number): void {
  map.set(key, (map.get(key) ?? 0) + value);
}
