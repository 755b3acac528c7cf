// The fleet as it is now, in memory: each device's latest record, each plant's energy by local
// day, month and year, and 5-minute power buckets (in `EnergyRings`). Rebuilt from the rollups at
// start and kept current by ingest; rooms read it, the database is never polled for the wall.
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
import { EnergyRings } from './energyRings.ts';

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

/**
 * The plants of one apply by their number in `LiveState.plants`: each record's, and each plant
 * once. Buffers reused by the next apply: read them in the listener, keep nothing.
 */
export interface AppliedPlants {
  byRecord: Int32Array;
  touched: Int32Array;
}

const utcDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);

const orNull = (x: number) => (Number.isNaN(x) ? null : x);

export class LiveState {
  #devices = new DeviceColumns();
  /** Each plant's energy by local day, month and year and its power by 5-minute bucket. */
  readonly plants = new EnergyRings();
  readonly alarms = new AlarmLog();
  readonly offlineAfterMs: number;
  readonly #appliedListeners: ((batch: TelemetryBatch, plants: AppliedPlants) => void)[] = [];
  #byRecord = new Int32Array(1024);
  #touched = new Int32Array(1024);
  /** The apply that last touched each plant: a plant is listed once per apply. */
  #touchedIn = new Uint32Array(1024);
  #applies = 0;
  readonly #rebuiltListeners: (() => void)[] = [];
  #completeFrom: string;
  #completeFromDay: number;

  constructor(opts: { offlineAfterMs: number; now?: number }) {
    this.offlineAfterMs = opts.offlineAfterMs;
    this.#completeFrom = addDays(utcDate(opts.now ?? Date.now()), -DAY_MAX_WINDOW);
    this.#completeFromDay = dayNumber(this.#completeFrom);
  }

  /** Called after every apply with its batch and the batch's plants (caches of summaries and series follow them). */
  onApplied(listener: (batch: TelemetryBatch, plants: AppliedPlants) => void): void {
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

  /** Reads live state from the store, over whatever it held (another instance may have stored what this one missed). */
  async rebuild(client: ClickHouseClient, now = Date.now()): Promise<void> {
    if (this.#devices.size > 0 || this.plants.size > 0) {
      this.#devices = new DeviceColumns();
      this.plants.zero();
    }
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
    const p = this.plants;
    for (const r of await plantDailyEnergy(client, addDays(utcDate(now), -DAYS_KEPT))) p.day.set(p.row(r.plant_id), dayNumber(r.local_date), r.kwh);
    const lastYear = new Date(now).getUTCFullYear() - 1;
    for (const r of await plantMonthlyEnergy(client, `${lastYear}-01-01`)) p.month.set(p.row(r.plant_id), monthNumber(r.month), r.kwh);
    for (const r of await plantYearlyEnergy(client)) p.year.set(p.row(r.plant_id), r.year, r.kwh);
    for (const r of await plantPowerBuckets(client, now - BUCKETS_KEPT_MS)) p.bucket.set(p.row(r.plant_id), Math.floor(r.bucket / BUCKET_MS), r.power_w);
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
    const plants = this.plants;
    const oldestBucketTs = now - BUCKETS_KEPT_MS;
    const applied = this.#startApply(b.length);
    let touched = 0;
    for (let k = 0; k < b.length; k++) {
      let i = b.device[k];
      if (i < 0) b.device[k] = i = d.slot(b.sn[k]);
      const p = plants.row(b.plantId[k]);
      applied.byRecord[k] = p;
      if (this.#touchedIn[p] !== this.#applies) {
        this.#touchedIn[p] = this.#applies;
        applied.touched[touched++] = p;
      }
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
      const eDelta = b.eDelta[k];
      if (eDelta > 0) {
        d.energySum[i] += eDelta;
        const month = monthNumber(b.localDate[k]);
        d.addMonth(i, month, eDelta);
        plants.day.add(p, day, eDelta);
        plants.month.add(p, month, eDelta);
        plants.year.add(p, Math.floor(month / 12), eDelta);
      }
      if (ts >= oldestBucketTs) {
        const bucket = Math.floor(ts / BUCKET_MS);
        if (bucket > d.lastBucket[i] || (bucket === d.lastBucket[i] && ts >= d.lastBucketTs[i])) {
          d.lastBucket[i] = bucket;
          d.lastBucketTs[i] = ts;
          d.lastBucketPower[i] = b.power[k];
        }
        if (b.pDelta[k] !== 0) plants.bucket.add(p, bucket, b.pDelta[k]);
      }
    }
    const batch = { byRecord: applied.byRecord.subarray(0, b.length), touched: applied.touched.subarray(0, touched) };
    for (const listener of this.#appliedListeners) listener(b, batch);
  }

  /** Buffers for an apply of `n` records, and a new mark for the plants it touches. */
  #startApply(n: number): AppliedPlants {
    if (n > this.#byRecord.length) {
      this.#byRecord = new Int32Array(n);
      this.#touched = new Int32Array(n);
    }
    // Rows are numbered as records arrive; the marks follow the rings' rows.
    if (this.#touchedIn.length < this.plants.size + n) {
      const marks = new Uint32Array(Math.max(2 * this.#touchedIn.length, this.plants.size + n));
      marks.set(this.#touchedIn);
      this.#touchedIn = marks;
    }
    this.#applies++;
    return { byRecord: this.#byRecord, touched: this.#touched };
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

  /** Moves the window of dates memory answers for on; the store keeps it all. */
  prune(now = Date.now()): void {
    // Devices' and plants' periods are rings: newer dates take the place of old ones.
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

  /** The plant's energy for a plant-local date, 0 when memory has none. */
  plantDayEnergy(plantId: string, date: string): number {
    return this.plants.day.get(this.plants.indexOf(plantId), dayNumber(date));
  }
}
