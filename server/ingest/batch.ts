// A batch of checked telemetry records, column by column: what ingest stores, live state applies
// and the journal keeps until the batch is settled. Columns are plain arrays of numbers (held
// unboxed by V8) and of shared strings, so a batch of ten thousand records is a few dozen arrays,
// not ten thousand objects that every garbage collection must copy while the batch waits for
// the store. A missing optional figure is NaN, which JSON.stringify writes as null.
import type { ReportedStatus } from '../contract.ts';

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

const DAY_MS = 86_400_000;
const orNull = (x: number) => (Number.isNaN(x) ? null : x);
const orNaN = (x: number | null) => (x === null ? Number.NaN : x);

export class TelemetryBatch {
  length = 0;
  /** Each record's place in the request, for answers that name it. */
  readonly index: number[] = [];
  readonly sn: string[] = [];
  /** The device's number in live state, -1 until it has one (ingest looks it up once). */
  readonly device: number[] = [];
  readonly plantId: string[] = [];
  readonly ts: number[] = [];
  /** Plant-local date, YYYY-MM-DD (strings shared between records of the same day and zone). */
  readonly localDate: string[] = [];
  /** The same date as days since 1970-01-01. */
  readonly day: number[] = [];
  readonly status: ReportedStatus[] = [];
  readonly power: number[] = [];
  readonly eToday: number[] = [];
  readonly eTotal: number[] = [];
  /** How far the record raises its device's day energy (ingest works it out before storing). */
  readonly eDelta: number[] = [];
  /** How much it changes its plant's power in its 5-minute bucket. */
  readonly pDelta: number[] = [];
  /** Record k's PV strings are pvV/pvI/pvP[pvEnd[k - 1] (0 for the first) .. pvEnd[k]). */
  readonly pvEnd: number[] = [];
  readonly pvV: number[] = [];
  readonly pvI: number[] = [];
  readonly pvP: number[] = [];
  readonly batterySoc: number[] = [];
  readonly batteryPower: number[] = [];
  readonly gridPower: number[] = [];
  readonly loadPower: number[] = [];
  readonly temperature: number[] = [];
  readonly faultCode: (string | null)[] = [];

  /** A batch of records described as objects (tests, benchmarks, a journal read back). */
  static of(records: readonly AppliedFields[], device: (sn: string) => number = () => -1): TelemetryBatch {
    const batch = new TelemetryBatch();
    for (const r of records) {
      for (const s of r.pv) batch.addPv(s.v, s.i, orNaN(s.p));
      batch.add(
        r.index, r.sn, r.tsMs, r.status, r.power_w, r.e_today_kwh, orNaN(r.e_total_kwh), orNaN(r.battery_soc), orNaN(r.battery_power_w),
        orNaN(r.grid_power_w), orNaN(r.load_power_w), orNaN(r.temperature_c), r.fault_code
      );
      batch.place(device(r.sn), r.plant_id, r.local_date, Math.round(Date.parse(`${r.local_date}T00:00:00Z`) / DAY_MS));
      batch.eDelta[batch.length - 1] = r.e_delta_kwh;
      batch.pDelta[batch.length - 1] = r.p_delta_w;
    }
    return batch;
  }

  /** A PV string of the record about to be added. */
  addPv(v: number, i: number, p: number): void {
    this.pvV.push(v);
    this.pvI.push(i);
    this.pvP.push(p);
  }

  /** Drops the PV strings added since the last record (the record turned out invalid). */
  dropPv(): void {
    const kept = this.length === 0 ? 0 : this.pvEnd[this.length - 1];
    this.pvV.length = this.pvI.length = this.pvP.length = kept;
  }

  /** Adds a checked record; `place` must follow with its device, plant and date. */
  add(
    index: number, sn: string, ts: number, status: ReportedStatus, power: number, eToday: number, eTotal: number,
    batterySoc: number, batteryPower: number, gridPower: number, loadPower: number, temperature: number, faultCode: string | null
  ): void {
    this.index.push(index);
    this.sn.push(sn);
    this.ts.push(ts);
    this.status.push(status);
    this.power.push(power);
    this.eToday.push(eToday);
    this.eTotal.push(eTotal);
    this.batterySoc.push(batterySoc);
    this.batteryPower.push(batteryPower);
    this.gridPower.push(gridPower);
    this.loadPower.push(loadPower);
    this.temperature.push(temperature);
    this.faultCode.push(faultCode);
    this.pvEnd.push(this.pvV.length);
    this.eDelta.push(0);
    this.pDelta.push(0);
    this.length++;
  }

  /** The last added record's device number, plant and plant-local date. */
  place(device: number, plantId: string, localDate: string, day: number): void {
    this.device.push(device);
    this.plantId.push(plantId);
    this.localDate.push(localDate);
    this.day.push(day);
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
