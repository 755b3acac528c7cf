// A batch of checked telemetry records, column by column: what ingest stores, live state applies
// and the journal keeps until the batch is settled. Numbers sit in typed arrays (outside the
// garbage-collected heap) and strings in arrays of shared strings, so a batch of ten thousand
// records is a few dozen arrays, not ten thousand objects that every garbage collection must
// copy while the batch waits for the store. A missing optional figure is NaN.
import type { ReportedStatus } from '../contract.ts';
import { dayNumber } from '../live/deviceColumns.ts';

/** One record as an object: how tests and benchmarks describe records, and what `record(k)` hands out. */
export interface RecordFields {
  index: number;
  sn: string;
  tsMs: number;
  status: ReportedStatus;
  power_w: number;
  e_today_kwh: number;
  e_total_kwh: number | null;
  pv: { v: number; i: number; p: number | null }[];
  battery_soc: number | null;
  battery_power_w: number | null;
  grid_power_w: number | null;
  load_power_w: number | null;
  temperature_c: number | null;
  fault_code: string | null;
}

/** A record with what ingest adds: its plant, plant-local date and energy and power deltas. */
export interface AppliedFields extends RecordFields {
  plant_id: string;
  local_date: string;
  e_delta_kwh: number;
  p_delta_w: number;
}

type Column = Float64Array | Int32Array | unknown[];
const COLUMNS = [
  'index', 'sn', 'device', 'plantId', 'ts', 'localDate', 'day', 'status', 'power', 'eToday', 'eTotal', 'eDelta', 'pDelta', 'pvEnd',
  'batterySoc', 'batteryPower', 'gridPower', 'loadPower', 'temperature', 'faultCode'
] as const;

/** A column twice as long, with what it held. */
function grown<T extends Column>(column: T): T {
  if (Array.isArray(column)) {
    const next = new Array(column.length * 2);
    for (let k = 0; k < column.length; k++) next[k] = column[k];
    return next as T;
  }
  const next = new (column.constructor as new (n: number) => Float64Array | Int32Array)(column.length * 2);
  next.set(column);
  return next as T;
}
/** A figure of a batch's column as a record has it: NaN (none) is null. */
export const orNull = (x: number) => (Number.isNaN(x) ? null : x);
const orNaN = (x: number | null) => (x === null ? Number.NaN : x);

export class TelemetryBatch {
  length = 0;
  /** Each record's place in the request, for answers that name it. */
  index: Int32Array;
  sn: string[];
  /** The device's number in live state, -1 until it has one (ingest looks it up once). */
  device: Int32Array;
  plantId: string[];
  ts: Float64Array;
  /** Plant-local date, YYYY-MM-DD (strings shared between records of the same day and zone). */
  localDate: string[];
  /** The same date as days since 1970-01-01. */
  day: Int32Array;
  status: ReportedStatus[];
  power: Float64Array;
  eToday: Float64Array;
  eTotal: Float64Array;
  /** How far the record raises its device's day energy (ingest works it out before storing). */
  eDelta: Float64Array;
  /** How much it changes its plant's power in its 5-minute bucket. */
  pDelta: Float64Array;
  /** Record k's PV strings are pvV/pvI/pvP[pvStart(k) .. pvEnd[k]). */
  pvEnd: Int32Array;
  pvCount = 0;
  pvV: Float64Array;
  pvI: Float64Array;
  pvP: Float64Array;
  batterySoc: Float64Array;
  batteryPower: Float64Array;
  gridPower: Float64Array;
  loadPower: Float64Array;
  temperature: Float64Array;
  faultCode: (string | null)[];

  /** `capacity`: how many records it will hold (it grows past that, at a cost). */
  constructor(capacity = 16) {
    const n = Math.max(1, capacity);
    this.index = new Int32Array(n);
    this.sn = new Array<string>(n);
    this.device = new Int32Array(n);
    this.plantId = new Array<string>(n);
    this.ts = new Float64Array(n);
    this.localDate = new Array<string>(n);
    this.day = new Int32Array(n);
    this.status = new Array<ReportedStatus>(n);
    this.power = new Float64Array(n);
    this.eToday = new Float64Array(n);
    this.eTotal = new Float64Array(n);
    this.eDelta = new Float64Array(n);
    this.pDelta = new Float64Array(n);
    this.pvEnd = new Int32Array(n);
    this.pvV = new Float64Array(n);
    this.pvI = new Float64Array(n);
    this.pvP = new Float64Array(n);
    this.batterySoc = new Float64Array(n);
    this.batteryPower = new Float64Array(n);
    this.gridPower = new Float64Array(n);
    this.loadPower = new Float64Array(n);
    this.temperature = new Float64Array(n);
    this.faultCode = new Array<string | null>(n);
  }

  /** A batch of records described as objects (tests, benchmarks, a journal read back). */
  static of(records: readonly AppliedFields[], device: (sn: string) => number = () => -1): TelemetryBatch {
    const batch = new TelemetryBatch(records.length);
    for (const r of records) {
      for (const s of r.pv) batch.addPv(s.v, s.i, orNaN(s.p));
      batch.add(
        r.index, r.sn, r.tsMs, r.status, r.power_w, r.e_today_kwh, orNaN(r.e_total_kwh), orNaN(r.battery_soc), orNaN(r.battery_power_w),
        orNaN(r.grid_power_w), orNaN(r.load_power_w), orNaN(r.temperature_c), r.fault_code
      );
      batch.place(device(r.sn), r.plant_id, r.local_date, dayNumber(r.local_date));
      batch.eDelta[batch.length - 1] = r.e_delta_kwh;
      batch.pDelta[batch.length - 1] = r.p_delta_w;
    }
    return batch;
  }

  /** A PV string of the record about to be added. */
  addPv(v: number, i: number, p: number): void {
    const at = this.pvCount++;
    if (at === this.pvV.length) {
      this.pvV = grown(this.pvV);
      this.pvI = grown(this.pvI);
      this.pvP = grown(this.pvP);
    }
    this.pvV[at] = v;
    this.pvI[at] = i;
    this.pvP[at] = p;
  }

  /** Drops the PV strings added since the last record (the record turned out invalid). */
  dropPv(): void {
    this.pvCount = this.length === 0 ? 0 : this.pvEnd[this.length - 1];
  }

  /** Adds a checked record; `place` must follow with its device, plant and date. */
  add(
    index: number, sn: string, ts: number, status: ReportedStatus, power: number, eToday: number, eTotal: number,
    batterySoc: number, batteryPower: number, gridPower: number, loadPower: number, temperature: number, faultCode: string | null
  ): void {
    const k = this.length++;
    if (k === this.ts.length) this.#grow();
    this.index[k] = index;
    this.sn[k] = sn;
    this.ts[k] = ts;
    this.status[k] = status;
    this.power[k] = power;
    this.eToday[k] = eToday;
    this.eTotal[k] = eTotal;
    this.batterySoc[k] = batterySoc;
    this.batteryPower[k] = batteryPower;
    this.gridPower[k] = gridPower;
    this.loadPower[k] = loadPower;
    this.temperature[k] = temperature;
    this.faultCode[k] = faultCode;
    this.pvEnd[k] = this.pvCount;
    this.eDelta[k] = 0;
    this.pDelta[k] = 0;
  }

  /** The last added record's device number, plant and plant-local date. */
  place(device: number, plantId: string, localDate: string, day: number): void {
    const k = this.length - 1;
    this.device[k] = device;
    this.plantId[k] = plantId;
    this.localDate[k] = localDate;
    this.day[k] = day;
  }

  #grow(): void {
    for (const key of COLUMNS) (this as unknown as Record<string, Column>)[key] = grown((this as unknown as Record<string, Column>)[key]);
  }

  pvStart(k: number): number {
    return k === 0 ? 0 : this.pvEnd[k - 1];
  }

  /** Record k as an object (for the rare paths and for tests; the hot paths read the columns). */
  record(k: number): AppliedFields {
    const pv: AppliedFields['pv'] = [];
    for (let s = this.pvStart(k); s < this.pvEnd[k]; s++) pv.push({ v: this.pvV[s], i: this.pvI[s], p: orNull(this.pvP[s]) });
    return {
      index: this.index[k],
      sn: this.sn[k],
      tsMs: this.ts[k],
      status: this.status[k],
      power_w: this.power[k],
      e_today_kwh: this.eToday[k],
      e_total_kwh: orNull(this.eTotal[k]),
      pv,
      battery_soc: orNull(this.batterySoc[k]),
      battery_power_w: orNull(this.batteryPower[k]),
      grid_power_w: orNull(this.gridPower[k]),
      load_power_w: orNull(this.loadPower[k]),
      temperature_c: orNull(this.temperature[k]),
      fault_code: this.faultCode[k],
      plant_id: this.plantId[k],
      local_date: this.localDate[k],
      e_delta_kwh: this.eDelta[k],
      p_delta_w: this.pDelta[k]
    };
  }

  records(): AppliedFields[] {
    return Array.from({ length: this.length }, (_, k) => this.record(k));
  }
}
