// What a batch changes in live state, worked out against live state itself: by ingest before it
// stores a batch, and by every other instance when the batch reaches it (server/live/fleetStream.ts).
// Because the figures are measured against the receiving state, applying a batch a second time
// raises nothing: its energies are no longer above the device's day maxima, and its power is
// already its device's in the bucket.
import { BUCKET_MS, BUCKETS_KEPT_MS, type LiveState } from '../live/state.ts';
import type { TelemetryBatch } from './batch.ts';

/** The largest e_today_kwh the store holds for these devices and dates. */
export type StoredMaxima = (sns: string[], dates: string[]) => Promise<{ sn: string; local_date: string; kwh: number }[]>;

/**
 * e_delta_kwh: how far each record raises its device's largest e_today_kwh for its local date.
 * p_delta_w: how much it changes its plant's power in its 5-minute bucket, where a device
 * counts with its last record in the bucket.
 * A device's records in the batch are chained (each to the one before it), so a record finds
 * the running figures of its date or bucket in the record before it that shares them, and the
 * first one asks live state; typed arrays throughout, nothing allocated per record.
 *
 * `storedMaxima`: where memory does not reach (late records for old dates), ask the store. Null
 * for a batch the store already holds (another instance's): the store would answer with the
 * batch's own records, so those records keep the energy deltas their instance worked out.
 */
export async function computeDeltas(live: LiveState, b: TelemetryBatch, now: number, marks: Marks, storedMaxima: StoredMaxima | null): Promise<void> {
  const n = b.length;
  // Every record gets its device's number in live state (a device new to it, a slot of its own).
  for (let k = 0; k < n; k++) b.device[k] = live.slot(b.sn[k]);
  const last = marks.claim(live.deviceCount);
  /** The device's record before k in the batch, -1 for its first. */
  const before = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    before[k] = last.get(b.device[k]);
    last.set(b.device[k], k);
  }
  // Day energy: the largest e_today_kwh so far of each record's device and date, from memory;
  // what memory no longer holds (late records for old days) is asked of the store in one query.
  const reached = new Float64Array(n);
  const sameDay = new Int32Array(n);
  /** 1 where neither memory nor the batch before the record knows its date's energy. */
  const unknownDay = new Uint8Array(n);
  const unknown: number[] = [];
  for (let k = 0; k < n; k++) {
    let j = before[k];
    while (j >= 0 && b.day[j] !== b.day[k]) j = before[j];
    sameDay[k] = j;
    if (j >= 0) {
      unknownDay[k] = unknownDay[j];
      continue;
    }
    const known = live.knownDayMax(b.device[k], b.day[k]);
    if (known === undefined) {
      unknown.push(k);
      unknownDay[k] = 1;
    }
    reached[k] = known ?? 0;
  }
  if (unknown.length > 0 && storedMaxima) {
    const maxima = await storedMaxima([...new Set(unknown.map((k) => b.sn[k]))], [...new Set(unknown.map((k) => b.localDate[k]))]);
    const found = new Map(maxima.map((row) => [`${row.sn}\u0000${row.local_date}`, row.kwh]));
    for (const k of unknown) reached[k] = found.get(`${b.sn[k]}\u0000${b.localDate[k]}`) ?? 0;
  }
  for (let k = 0; k < n; k++) {
    if (unknownDay[k] && !storedMaxima) continue;
    const so = sameDay[k] >= 0 ? reached[sameDay[k]] : reached[k];
    const kwh = b.eToday[k];
    b.eDelta[k] = kwh > so ? kwh - so : 0;
    reached[k] = kwh > so ? kwh : so;
  }
  // Power: each device's last record in each 5-minute bucket, as above (the time and power of
  // the last record so far, after each record).
  const oldest = now - BUCKETS_KEPT_MS;
  const runTs = new Float64Array(n);
  const runPower = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const ts = b.ts[k];
    if (ts < oldest) continue;
    const bucket = Math.floor(ts / BUCKET_MS);
    let j = before[k];
    while (j >= 0 && (b.ts[j] < oldest || Math.floor(b.ts[j] / BUCKET_MS) !== bucket)) j = before[j];
    let lastTs: number;
    let lastPower: number;
    if (j >= 0) {
      lastTs = runTs[j];
      lastPower = runPower[j];
    } else {
      const knownTs = live.knownBucketTs(b.device[k], bucket);
      lastTs = knownTs ?? -Infinity;
      lastPower = knownTs === undefined ? 0 : live.knownBucketPower(b.device[k]);
    }
    if (ts >= lastTs) {
      b.pDelta[k] = b.power[k] - lastPower;
      lastTs = ts;
      lastPower = b.power[k];
    }
    runTs[k] = lastTs;
    runPower[k] = lastPower;
  }
}

/**
 * A value per device number that reads -1 until set, cleared for each batch at no cost: a
 * generation number says which values belong to the batch at hand.
 */
export class Marks {
  #generation = 0;
  #stamp = new Int32Array(0);
  #value = new Int32Array(0);

  /** Starts a new batch over devices numbered below `size`. */
  claim(size: number): this {
    if (size > this.#stamp.length) {
      const capacity = Math.max(size, this.#stamp.length * 2, 1024);
      this.#stamp = new Int32Array(capacity);
      this.#value = new Int32Array(capacity);
      this.#generation = 0;
    }
    this.#generation++;
    return this;
  }

  get(i: number): number {
    return this.#stamp[i] === this.#generation ? this.#value[i] : -1;
  }

  set(i: number, value: number): void {
    this.#stamp[i] = this.#generation;
    this.#value[i] = value;
  }
}
