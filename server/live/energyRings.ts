// Energy by day, month and year and power by 5-minute bucket for many rows (plants, or large
// subtrees' running sums), in typed arrays indexed by a dense row number: adding a record's
// figures allocates nothing and gives the garbage collector nothing to walk, where four maps per
// plant cost a boxed number per entry and 400k maps at 100k plants.

/** Rows come in chunks of this many: the rings grow without copying, and spare rows are few. */
const CHUNK_BITS = 10;
const CHUNK = 1 << CHUNK_BITS;
const IN_CHUNK = CHUNK - 1;

/**
 * One ring of consecutive periods shared by all rows: slot `key % slots` holds the same period
 * for every row (`keys` says which; 0 is none), and in each chunk of rows its values lie side by
 * side. A newer period takes its slot over for every row at once, clearing one stretch per
 * chunk; a value for a period older than the one its slot holds is left to the store.
 */
export class PeriodRing {
  readonly keys: Int32Array;
  readonly chunks: Float64Array[] = [];

  constructor(readonly slots: number) {
    this.keys = new Int32Array(slots);
  }

  /** The row's value for the period (0 when the ring holds none; row -1 is a row that does not exist). */
  get(row: number, key: number): number {
    const s = key % this.slots;
    return row >= 0 && this.keys[s] === key ? this.chunks[row >> CHUNK_BITS][s * CHUNK + (row & IN_CHUNK)] : 0;
  }

  add(row: number, key: number, value: number): void {
    const s = this.#slotFor(key);
    if (s >= 0) this.chunks[row >> CHUNK_BITS][s * CHUNK + (row & IN_CHUNK)] += value;
  }

  set(row: number, key: number, value: number): void {
    const s = this.#slotFor(key);
    if (s >= 0) this.chunks[row >> CHUNK_BITS][s * CHUNK + (row & IN_CHUNK)] = value;
  }

  /** Adds every period a row of `from` holds to a row of this ring. */
  addRow(row: number, from: PeriodRing, fromRow: number): void {
    for (let s = 0; s < from.slots; s++) {
      const key = from.keys[s];
      const value = key === 0 ? 0 : from.get(fromRow, key);
      if (value !== 0) this.add(row, key, value);
    }
  }

  /** Room for row `row` (rows are numbered in order). */
  reach(row: number): void {
    if (row >> CHUNK_BITS >= this.chunks.length) this.chunks.push(new Float64Array(this.slots * CHUNK));
  }

  clear(): void {
    this.keys.fill(0);
    this.chunks.length = 0;
  }

  /** Forgets every period, keeping the rows. */
  zero(): void {
    this.keys.fill(0);
    for (const chunk of this.chunks) chunk.fill(0);
  }

  /** The slot that holds `key` for every row, cleared first for a newer key; -1 when a later period holds it. */
  #slotFor(key: number): number {
    const s = key % this.slots;
    const held = this.keys[s];
    if (held === key) return s;
    if (held > key) return -1;
    this.keys[s] = key;
    for (const chunk of this.chunks) chunk.fill(0, s * CHUNK, (s + 1) * CHUNK);
    return s;
  }
}

/**
 * Rows of energy by day (`dayNumber`), month (`monthNumber`) and year, and of power by 5-minute
 * bucket (since 1970). Each ring holds what the readers look back at: 30 days of the series (a
 * plant-local date runs up to a day ahead of UTC), the months of one year, 5 years, and one local
 * day of buckets (up to 25 hours on a daylight-saving day; a record may be 10 minutes ahead).
 */
export class EnergyRings {
  readonly day = new PeriodRing(40);
  readonly month = new PeriodRing(16);
  readonly year = new PeriodRing(6);
  readonly bucket = new PeriodRing(25 * 12 + 4);
  /** The rows' ids, by number. */
  readonly ids: string[] = [];
  readonly #index = new Map<string, number>();

  get size(): number {
    return this.ids.length;
  }

  /** The row's number, -1 when it has none. */
  indexOf(id: string): number {
    return this.#index.get(id) ?? -1;
  }

  /** The row's number, a new one for an id not seen before. */
  row(id: string): number {
    let i = this.#index.get(id);
    if (i !== undefined) return i;
    i = this.ids.length;
    for (const ring of this.#rings()) ring.reach(i);
    this.ids.push(id);
    this.#index.set(id, i);
    return i;
  }

  /** Adds everything a row of `from` holds to a row of these rings (a subtree's sums from its plants). */
  addRow(row: number, from: EnergyRings, fromRow: number): void {
    this.day.addRow(row, from.day, fromRow);
    this.month.addRow(row, from.month, fromRow);
    this.year.addRow(row, from.year, fromRow);
    this.bucket.addRow(row, from.bucket, fromRow);
  }

  /** Forgets every period; rows keep their numbers. */
  zero(): void {
    for (const ring of this.#rings()) ring.zero();
  }

  /** Forgets every row and period. */
  clear(): void {
    this.ids.length = 0;
    this.#index.clear();
    for (const ring of this.#rings()) ring.clear();
  }

  #rings(): PeriodRing[] {
    return [this.day, this.month, this.year, this.bucket];
  }
}
