// Energy by day, month and year and power by 5-minute bucket for many rows (plants, or large
// subtrees' running sums), in typed arrays indexed by a dense row number: adding a record's
// figures allocates nothing and gives the garbage collector nothing to walk, where four maps per
// plant cost a boxed number per entry and 400k maps at 100k plants.

/** Days since 1970-01-01 (`dayNumber`), months since year 0 (`monthNumber`), years, 5-minute buckets since 1970. */
export type Period = 'day' | 'month' | 'year' | 'bucket';

/**
 * How many consecutive periods each ring holds. The readers look back at most 30 days (the
 * series), the months of one year, 5 years and one local day of buckets (up to 25 hours on a
 * daylight-saving day; a record may be 10 minutes ahead of the clock).
 */
const SLOTS: Record<Period, number> = { day: 48, month: 24, year: 8, bucket: 26 * 12 };

/**
 * One ring of periods shared by all rows: slot `key % slots` holds the same period for every row
 * (`keys` says which; 0 is none), and its values lie side by side, `values[slot * capacity + row]`.
 * A newer period takes its slot over for every row at once, clearing one contiguous stretch.
 */
class Ring {
  readonly keys: Int32Array;
  values: Float64Array;

  constructor(
    readonly slots: number,
    public capacity: number
  ) {
    this.keys = new Int32Array(slots);
    this.values = new Float64Array(slots * capacity);
  }

  /** The slot that holds `key` for every row, after clearing it for a newer key; -1 when a later period holds it. */
  slotFor(key: number): number {
    const s = key % this.slots;
    const held = this.keys[s];
    if (held === key) return s;
    if (held > key) return -1;
    this.keys[s] = key;
    this.values.fill(0, s * this.capacity, (s + 1) * this.capacity);
    return s;
  }

  get(row: number, key: number): number {
    const s = key % this.slots;
    return this.keys[s] === key ? this.values[s * this.capacity + row] : 0;
  }

  add(row: number, key: number, value: number): void {
    const s = this.slotFor(key);
    if (s >= 0) this.values[s * this.capacity + row] += value;
  }

  set(row: number, key: number, value: number): void {
    const s = this.slotFor(key);
    if (s >= 0) this.values[s * this.capacity + row] = value;
  }

  grow(capacity: number, rows: number): void {
    const next = new Float64Array(this.slots * capacity);
    for (let s = 0; s < this.slots; s++) next.set(this.values.subarray(s * this.capacity, s * this.capacity + rows), s * capacity);
    this.values = next;
    this.capacity = capacity;
  }
}

export class EnergyRings {
  /** The rows' ids, by number. */
  readonly ids: string[] = [];
  readonly #index = new Map<string, number>();
  readonly #rings: Record<Period, Ring>;

  constructor(capacity = 1024) {
    this.#rings = { day: new Ring(SLOTS.day, capacity), month: new Ring(SLOTS.month, capacity), year: new Ring(SLOTS.year, capacity), bucket: new Ring(SLOTS.bucket, capacity) };
  }

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
    const capacity = this.#rings.day.capacity;
    // A quarter more at a time: the bucket ring is most of the memory, and spare rows cost it too.
    if (i >= capacity) for (const ring of Object.values(this.#rings)) ring.grow(Math.ceil(capacity * 1.25), i);
    this.ids.push(id);
    this.#index.set(id, i);
    return i;
  }

  get(period: Period, row: number, key: number): number {
    return row < 0 ? 0 : this.#rings[period].get(row, key);
  }

  add(period: Period, row: number, key: number, value: number): void {
    this.#rings[period].add(row, key, value);
  }

  set(period: Period, row: number, key: number, value: number): void {
    this.#rings[period].set(row, key, value);
  }

  /** Adds every period a row of `from` holds to a row of this one (a subtree's sums from its plants). */
  addRow(row: number, from: EnergyRings, fromRow: number): void {
    for (const period of Object.keys(SLOTS) as Period[]) {
      const source = from.#rings[period];
      for (let s = 0; s < source.slots; s++) {
        const key = source.keys[s];
        const value = source.values[s * source.capacity + fromRow];
        if (key !== 0 && value !== 0) this.add(period, row, key, value);
      }
    }
  }

  /** Forgets every row and period. */
  clear(): void {
    this.ids.length = 0;
    this.#index.clear();
    for (const ring of Object.values(this.#rings)) {
      ring.keys.fill(0);
      ring.values.fill(0);
    }
  }
}
