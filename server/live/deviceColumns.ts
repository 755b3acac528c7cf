// Every device's latest figures in typed-array columns, indexed by a dense device number.
import type { ReportedStatus } from '../contract.ts';

export const STATUS_CODES: (ReportedStatus | null)[] = [null, 'normal', 'standby', 'protect', 'fault'];
export const statusCode = (status: ReportedStatus | null) => STATUS_CODES.indexOf(status);
/** Day energies are remembered for the last few local dates: a ring of this many per device. */
const DAY_SLOTS = 6;
/** Month energies for the month before, this one and (ahead of UTC) the next. */
const MONTH_SLOTS = 3;
const dayNumbers = new Map<string, number>();
/** YYYY-MM-DD -> days since 1970-01-01. */
export function dayNumber(date: string): number {
  let n = dayNumbers.get(date);
  if (n === undefined) {
    if (dayNumbers.size > 4096) dayNumbers.clear();
    n = Math.round(Date.parse(`${date}T00:00:00Z`) / 86_400_000);
    dayNumbers.set(date, n);
  }
  return n;
}
const digit = (s: string, at: number) => s.charCodeAt(at) - 48;
/** YYYY-MM (or a YYYY-MM-DD date) -> months since year 0; read digit by digit, as it runs once per record. */
export const monthNumber = (month: string) =>
  (digit(month, 0) * 1000 + digit(month, 1) * 100 + digit(month, 2) * 10 + digit(month, 3)) * 12 + digit(month, 5) * 10 + digit(month, 6) - 1;

/**
 * Every device's latest figures in columns of typed arrays indexed by a dense device number: a
 * million devices cost a few hundred bytes each and give the garbage collector nothing to walk,
 * where an object with two maps per device cost about 900 bytes.
 */
export class DeviceColumns {
  readonly index = new Map<string, number>();
  size = 0;
  ts = new Float64Array(0);
  status = new Uint8Array(0);
  power = new Float64Array(0);
  /** NaN where the device never reported e_total_kwh. */
  eTotal = new Float64Array(0);
  energySum = new Float64Array(0);
  batterySoc = new Float64Array(0);
  batteryPower = new Float64Array(0);
  gridPower = new Float64Array(0);
  loadPower = new Float64Array(0);
  /** Fault codes are few: kept apart, only for devices that have one. */
  readonly faultCode = new Map<number, string>();
  /** DAY_SLOTS per device: the day number each slot holds (0: none) and that day's largest e_today_kwh. */
  dayKey = new Uint16Array(0);
  dayMax = new Float64Array(0);
  monthKey = new Uint16Array(0);
  monthEnergy = new Float64Array(0);
  lastBucket = new Int32Array(0);
  lastBucketTs = new Float64Array(0);
  lastBucketPower = new Float64Array(0);

  slot(sn: string): number {
    let i = this.index.get(sn);
    if (i !== undefined) return i;
    i = this.size++;
    if (i >= this.ts.length) this.#grow(Math.max(1024, this.ts.length * 2));
    this.index.set(sn, i);
    this.eTotal[i] = this.batterySoc[i] = this.batteryPower[i] = this.gridPower[i] = this.loadPower[i] = Number.NaN;
    this.lastBucket[i] = -1;
    return i;
  }

  #grow(capacity: number): void {
    const grown = <T extends Float64Array | Uint8Array | Uint16Array | Int32Array>(old: T, per = 1): T => {
      const next = new (old.constructor as new (n: number) => T)(capacity * per);
      next.set(old);
      return next;
    };
    this.ts = grown(this.ts);
    this.status = grown(this.status);
    this.power = grown(this.power);
    this.eTotal = grown(this.eTotal);
    this.energySum = grown(this.energySum);
    this.batterySoc = grown(this.batterySoc);
    this.batteryPower = grown(this.batteryPower);
    this.gridPower = grown(this.gridPower);
    this.loadPower = grown(this.loadPower);
    this.dayKey = grown(this.dayKey, DAY_SLOTS);
    this.dayMax = grown(this.dayMax, DAY_SLOTS);
    this.monthKey = grown(this.monthKey, MONTH_SLOTS);
    this.monthEnergy = grown(this.monthEnergy, MONTH_SLOTS);
    this.lastBucket = grown(this.lastBucket);
    this.lastBucketTs = grown(this.lastBucketTs);
    this.lastBucketPower = grown(this.lastBucketPower);
  }

  /** The largest e_today_kwh of a day; undefined when a later day has taken its slot. */
  dayMaxOf(i: number, day: number): number | undefined {
    const at = i * DAY_SLOTS + (day % DAY_SLOTS);
    const held = this.dayKey[at];
    if (held === day) return this.dayMax[at];
    return held > day ? undefined : 0;
  }

  raiseDayMax(i: number, day: number, kwh: number): void {
    const at = i * DAY_SLOTS + (day % DAY_SLOTS);
    const held = this.dayKey[at];
    if (held > day) return;
    if (held !== day) {
      this.dayKey[at] = day;
      this.dayMax[at] = kwh;
    } else if (kwh > this.dayMax[at]) this.dayMax[at] = kwh;
  }

  monthOf(i: number, month: number): number {
    const at = i * MONTH_SLOTS + (month % MONTH_SLOTS);
    return this.monthKey[at] === month ? this.monthEnergy[at] : 0;
  }

  addMonth(i: number, month: number, kwh: number): void {
    const at = i * MONTH_SLOTS + (month % MONTH_SLOTS);
    const held = this.monthKey[at];
    if (held > month) return;
    if (held !== month) {
      this.monthKey[at] = month;
      this.monthEnergy[at] = 0;
    }
    this.monthEnergy[at] += kwh;
  }
}
