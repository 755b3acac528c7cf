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
import type { TelemetryBatch } from '../ingest/batch.ts';
import { addDays, addMonths } from '../time/zones.ts';
import { alarmKind, AlarmLog } from './alarms.ts';
import { DeviceColumns, dayNumber, monthNumber, STATUS_CODES, statusCode } from './deviceColumns.ts';

export const BUCKET_MS = 5 * 60_000;
export const BUCKETS_KEPT_MS = 48 * 3_600_000;
const DAYS_KEPT = 40;
/** Dates this far before today (UTC) and later are complete in memory; older ones are asked of the store. */
const DAY_MAX_WINDOW = 3;

/** A device's latest figures, as read from the columns (a copy: the columns are the truth). */
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
}

export interface PlantLive {
  daily: Map<string, number>;
  monthly: Map<string, number>;
  yearly: Map<number, number>;
  buckets: Map<number, number>;
}

const utcDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);

const orNull = (x: number) => (Number.isNaN(x) ? null : x);

export class LiveState {
  readonly #devices = new DeviceColumns();
  readonly plants = new Map<string, PlantLive>();
  readonly alarms = new AlarmLog();
  readonly offlineAfterMs: number;
  readonly #appliedListeners: ((batch: TelemetryBatch) => void)[] = [];
  readonly #rebuiltListeners: (() => void)[] = [];
  #completeFrom: string;
  #completeFromDay: number;

  constructor(opts: { offlineAfterMs: number; now?: number }) {
    this.offlineAfterMs = opts.offlineAfterMs;
    this.#completeFrom = addDays(utcDate(opts.now ?? Date.now()), -DAY_MAX_WINDOW);
    this.#completeFromDay = dayNumber(this.#completeFrom);
  }

  /** Called after every apply with its batch (caches of summaries and series follow it). */
  onApplied(listener: (batch: TelemetryBatch) => void): void {
    this.#appliedListeners.push(listener);
  }

  /** Called after a rebuild from the store: caches start over. */
  onRebuilt(listener: () => void): void {
    this.#rebuiltListeners.push(listener);
  }

  /** How many devices have live state. */
  get deviceCount(): number {
    return this.#devices.size;
  }

  async rebuild(client: ClickHouseClient, now = Date.now()): Promise<void> {
    this.#completeFrom = addDays(utcDate(now), -DAY_MAX_WINDOW);
    this.#completeFromDay = dayNumber(this.#completeFrom);
    const d = this.#devices;
    for (const r of await latestDeviceRecords(client)) {
      const i = d.slot(r.sn);
      this.#setLatest(i, r.ts, r);
      // Its latest record is, in the normal course, the one in the bucket under way.
      d.lastBucket[i] = Math.floor(r.ts / BUCKET_MS);
      d.lastBucketTs[i] = r.ts;
      d.lastBucketPower[i] = r.power_w;
    }
    for (const r of await deviceLifetimeEnergy(client)) {
      const i = d.slot(r.sn);
      d.energySum[i] = r.energy_kwh;
      d.eTotal[i] = r.e_total_kwh ?? Number.NaN;
    }
    for (const r of await deviceRecentDailyMaxima(client, this.#completeFrom)) d.raiseDayMax(d.slot(r.sn), dayNumber(r.local_date), r.kwh);
    for (const r of await deviceMonthlyEnergy(client, `${addMonths(utcDate(now).slice(0, 7), -1)}-01`)) d.addMonth(d.slot(r.sn), monthNumber(r.month), r.kwh);
    for (const r of await plantDailyEnergy(client, addDays(utcDate(now), -DAYS_KEPT))) this.plant(r.plant_id).daily.set(r.local_date, r.kwh);
    const lastYear = new Date(now).getUTCFullYear() - 1;
    for (const r of await plantMonthlyEnergy(client, `${lastYear}-01-01`)) this.plant(r.plant_id).monthly.set(r.month, r.kwh);
    for (const r of await plantYearlyEnergy(client)) this.plant(r.plant_id).yearly.set(r.year, r.kwh);
    for (const r of await plantPowerBuckets(client, now - BUCKETS_KEPT_MS)) {
      this.plant(r.plant_id).buckets.set(Math.floor(r.bucket / BUCKET_MS), r.power_w);
    }
    for (const listener of this.#rebuiltListeners) listener();
  }

  /**
   * The largest e_today_kwh so far of device number `i` (-1: none yet) for a local day (days
   * since 1970-01-01), or undefined when only the store knows.
   */
  knownDayMax(i: number, day: number): number | undefined {
    if (day < this.#completeFromDay) return undefined;
    return i < 0 ? 0 : this.#devices.dayMaxOf(i, day);
  }

  /** The time and power of device number `i`'s last record in a 5-minute bucket, if memory has it. */
  knownBucketTs(i: number, bucket: number): number | undefined {
    const d = this.#devices;
    return i >= 0 && d.lastBucket[i] === bucket ? d.lastBucketTs[i] : undefined;
  }

  knownBucketPower(i: number): number {
    return this.#devices.lastBucketPower[i];
  }

  /**
   * Applies a stored batch. Each record's device number is looked up where ingest left -1 (a
   * device new to live state), and written back to the batch.
   */
  apply(b: TelemetryBatch, now = Date.now()): void {
    const d = this.#devices;
    const oldestBucketTs = now - BUCKETS_KEPT_MS;
    for (let k = 0; k < b.length; k++) {
      let i = b.device[k];
      if (i < 0) b.device[k] = i = d.slot(b.sn[k]);
      const ts = b.ts[k];
      if (ts >= d.ts[i]) {
        const status = b.status[k];
        if (d.ts[i] > 0) {
          const previous = STATUS_CODES[d.status[i]];
          const kind = alarmKind(previous, status);
          if (kind) this.alarms.push({ at: ts, sn: b.sn[k], plant_id: b.plantId[k], kind, fault_code: kind === 'cleared' ? (d.faultCode.get(i) ?? null) : b.faultCode[k] });
        }
        d.ts[i] = ts;
        d.status[i] = statusCode(status);
        d.power[i] = b.power[k];
        const fault = b.faultCode[k];
        if (fault === null) {
          if (d.faultCode.size > 0) d.faultCode.delete(i);
        } else d.faultCode.set(i, fault);
        d.batterySoc[i] = b.batterySoc[k];
        d.batteryPower[i] = b.batteryPower[k];
        d.gridPower[i] = b.gridPower[k];
        d.loadPower[i] = b.loadPower[k];
      }
      const eTotal = b.eTotal[k];
      if (!Number.isNaN(eTotal)) d.eTotal[i] = Math.max(Number.isNaN(d.eTotal[i]) ? 0 : d.eTotal[i], eTotal);
      const day = b.day[k];
      if (day >= this.#completeFromDay) d.raiseDayMax(i, day, b.eToday[k]);
      const plant = this.plant(b.plantId[k]);
      const eDelta = b.eDelta[k];
      if (eDelta > 0) {
        const date = b.localDate[k];
        d.energySum[i] += eDelta;
        const month = date.slice(0, 7);
        d.addMonth(i, monthNumber(month), eDelta);
        add(plant.daily, date, eDelta);
        add(plant.monthly, month, eDelta);
        add(plant.yearly, Number(date.slice(0, 4)), eDelta);
      }
      if (ts >= oldestBucketTs) {
        const bucket = Math.floor(ts / BUCKET_MS);
        if (bucket > d.lastBucket[i] || (bucket === d.lastBucket[i] && ts >= d.lastBucketTs[i])) {
          d.lastBucket[i] = bucket;
          d.lastBucketTs[i] = ts;
          d.lastBucketPower[i] = b.power[k];
        }
        if (b.pDelta[k] !== 0) add(plant.buckets, bucket, b.pDelta[k]);
      }
    }
    for (const listener of this.#appliedListeners) listener(b);
  }

  #setLatest(i: number, ts: number, r: { status: ReportedStatus | null; power_w: number; fault_code: string | null; battery_soc: number | null; battery_power_w?: number | null; grid_power_w?: number | null; load_power_w?: number | null }): void {
    const d = this.#devices;
    d.ts[i] = ts;
    d.status[i] = statusCode(r.status);
    d.power[i] = r.power_w;
    if (r.fault_code === null) d.faultCode.delete(i);
    else d.faultCode.set(i, r.fault_code);
    d.batterySoc[i] = r.battery_soc ?? Number.NaN;
    d.batteryPower[i] = r.battery_power_w ?? Number.NaN;
    d.gridPower[i] = r.grid_power_w ?? Number.NaN;
    d.loadPower[i] = r.load_power_w ?? Number.NaN;
  }

  /** Forgets what no view needs any more; the store keeps it all. */
  prune(now = Date.now()): void {
    const oldestBucket = Math.floor((now - BUCKETS_KEPT_MS) / BUCKET_MS);
    const oldestDay = addDays(utcDate(now), -DAYS_KEPT);
    // Devices' day and month slots are rings: newer dates take the place of old ones.
    for (const p of this.plants.values()) {
      for (const b of p.buckets.keys()) if (b < oldestBucket) p.buckets.delete(b);
      for (const date of p.daily.keys()) if (date < oldestDay) p.daily.delete(date);
    }
    this.#completeFrom = addDays(utcDate(now), -DAY_MAX_WINDOW);
    this.#completeFromDay = dayNumber(this.#completeFrom);
  }

  /** The device's dense number in the columns, a new one for a device new to live state. */
  slot(sn: string): number {
    return this.#devices.slot(sn);
  }

  /** The device's dense number in the columns, or -1 when it has no live state. */
  indexOf(sn: string): number {
    return this.#devices.index.get(sn) ?? -1;
  }

  deviceStatus(sn: string, now: number): DeviceStatus {
    return this.statusAt(this.indexOf(sn), now);
  }

  /** The status of the device with this number at `now` (-1: never reported, offline). */
  statusAt(i: number, now: number): DeviceStatus {
    const d = this.#devices;
    if (i < 0 || d.status[i] === 0 || now - d.ts[i] > this.offlineAfterMs) return 'offline';
    return STATUS_CODES[d.status[i]]!;
  }

  tsAt(i: number): number {
    return this.#devices.ts[i];
  }

  powerAt(i: number): number {
    return this.#devices.power[i];
  }

  /** The device's lifetime energy: its latest e_total_kwh, or its energies where it reports none. */
  totalAt(i: number): number {
    const d = this.#devices;
    return Number.isNaN(d.eTotal[i]) ? d.energySum[i] : d.eTotal[i];
  }

  /** A copy of the device's latest figures, undefined when none has been applied. */
  device(sn: string): DeviceLive | undefined {
    const i = this.#devices.index.get(sn);
    if (i === undefined || this.#devices.ts[i] === 0) return undefined;
    const d = this.#devices;
    return {
      ts: d.ts[i],
      status: STATUS_CODES[d.status[i]],
      power_w: d.power[i],
      e_total: orNull(d.eTotal[i]),
      energy_sum: d.energySum[i],
      fault_code: d.faultCode.get(i) ?? null,
      battery_soc: orNull(d.batterySoc[i]),
      battery_power_w: orNull(d.batteryPower[i]),
      grid_power_w: orNull(d.gridPower[i]),
      load_power_w: orNull(d.loadPower[i])
    };
  }

  /** The device's energy for a plant-local date (its largest e_today_kwh), 0 when memory has none. */
  dayEnergy(sn: string, date: string): number {
    const i = this.#devices.index.get(sn);
    return i === undefined ? 0 : (this.#devices.dayMaxOf(i, dayNumber(date)) ?? 0);
  }

  /** The device's energy for a plant-local month (YYYY-MM), this month or the one before. */
  monthEnergy(sn: string, month: string): number {
    const i = this.#devices.index.get(sn);
    return i === undefined ? 0 : this.#devices.monthOf(i, monthNumber(month));
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
