// ClickHouse's Native format, written column by column: the hot insert (telemetry) goes to the
// store as binary columns, so no number is ever turned into text and read back. A block is
// its column and row counts, then per column its name, its type and its values: fixed-width
// values as little-endian bytes, strings as a varint length and UTF-8 bytes, Nullable(T) as a
// byte per row (1: null) then T's values, Array(T) as the cumulative UInt64 ends then T's values.
// https://clickhouse.com/docs/interfaces/formats/Native

/** A missing value in a numeric column of a batch: NaN, which a Nullable column stores as null. */
const isNull = Number.isNaN;

export class NativeBlock {
  readonly #chunks: Buffer[] = [];
  readonly rows: number;
  /** The columns' names, in the block's order. */
  readonly names: string[] = [];

  constructor(rows: number) {
    this.rows = rows;
  }

  /** The block, ready to follow `INSERT INTO t (…) FORMAT Native`. */
  toBuffer(): Buffer {
    const head = Buffer.allocUnsafe(20);
    const end = writeVarint(head, writeVarint(head, 0, this.names.length), this.rows);
    return Buffer.concat([head.subarray(0, end), ...this.#chunks]);
  }

  #column(name: string, type: string): void {
    this.names.push(name);
    this.#chunks.push(strings([name, type], 2));
  }

  // Each column takes its first `rows` values; typed arrays go out as they are, without a copy.

  float64(name: string, values: Float64Array): this {
    this.#column(name, 'Float64');
    this.#chunks.push(bytes(values.subarray(0, this.rows)));
    return this;
  }

  nullableFloat64(name: string, values: Float64Array): this {
    this.#column(name, 'Nullable(Float64)');
    const column = values.subarray(0, this.rows);
    // The value under a null is not read: NaN stays.
    this.#chunks.push(nullMap(column), bytes(column));
    return this;
  }

  nullableFloat32(name: string, values: Float64Array): this {
    this.#column(name, 'Nullable(Float32)');
    const column = values.subarray(0, this.rows);
    this.#chunks.push(nullMap(column), bytes(Float32Array.from(column)));
    return this;
  }

  /** Epoch milliseconds as DateTime64(3, 'UTC'). */
  dateTime64ms(name: string, values: Float64Array): this {
    this.#column(name, "DateTime64(3, 'UTC')");
    // Int64 halves without a BigInt per value; the times are positive and far below 2^53.
    const halves = new Uint32Array(this.rows * 2);
    for (let k = 0; k < this.rows; k++) {
      const ms = values[k];
      halves[2 * k] = ms % 0x1_0000_0000;
      halves[2 * k + 1] = Math.floor(ms / 0x1_0000_0000);
    }
    this.#chunks.push(bytes(halves));
    return this;
  }

  /** Days since 1970-01-01 as Date. */
  date(name: string, days: Int32Array): this {
    this.#column(name, 'Date');
    this.#chunks.push(bytes(Uint16Array.from(days.subarray(0, this.rows))));
    return this;
  }

  string(name: string, values: readonly string[]): this {
    this.#column(name, 'String');
    this.#chunks.push(strings(values, this.rows));
    return this;
  }

  /** The same string in every row. */
  repeated(name: string, value: string): this {
    this.#column(name, 'String');
    const one = strings([value], 1);
    const all = Buffer.allocUnsafe(one.length * this.rows);
    // Doubling: log2(rows) copies instead of one per row.
    let filled = one.copy(all, 0);
    while (filled < all.length) filled += all.copy(all, filled, 0, Math.min(filled, all.length - filled));
    this.#chunks.push(all);
    return this;
  }

  nullableString(name: string, values: readonly (string | null)[]): this {
    this.#column(name, 'Nullable(String)');
    const map = Buffer.alloc(this.rows);
    const texts = new Array<string>(this.rows);
    for (let k = 0; k < this.rows; k++) {
      const v = values[k];
      if (v === null) map[k] = 1;
      texts[k] = v ?? '';
    }
    this.#chunks.push(map, strings(texts, this.rows));
    return this;
  }

  /** Arrays of Float32 (`nullable`: Array(Nullable(Float32))); row k's elements are flat[ends[k - 1] .. ends[k]). */
  float32Arrays(name: string, ends: Int32Array, flat: Float64Array, nullable = false): this {
    this.#column(name, nullable ? 'Array(Nullable(Float32))' : 'Array(Float32)');
    const offsets = new Uint32Array(this.rows * 2);
    for (let k = 0; k < this.rows; k++) offsets[2 * k] = ends[k];
    const elements = flat.subarray(0, this.rows === 0 ? 0 : ends[this.rows - 1]);
    this.#chunks.push(bytes(offsets));
    if (nullable) this.#chunks.push(nullMap(elements));
    this.#chunks.push(bytes(Float32Array.from(elements)));
    return this;
  }
}

const bytes = (view: ArrayBufferView) => Buffer.from(view.buffer, view.byteOffset, view.byteLength);

function nullMap(values: Float64Array): Buffer {
  const map = Buffer.alloc(values.length);
  for (let k = 0; k < values.length; k++) if (isNull(values[k])) map[k] = 1;
  return map;
}

function writeVarint(buf: Buffer, at: number, n: number): number {
  while (n >= 0x80) {
    buf[at++] = (n & 0x7f) | 0x80;
    n = Math.floor(n / 0x80);
  }
  buf[at++] = n;
  return at;
}

// A UTF-16 code unit is at most 3 bytes of UTF-8: a string this short has a one-byte length.
const SHORT = 42;

/** The first `count` strings as Native writes them: each a varint byte length and its UTF-8 bytes. */
function strings(values: readonly string[], count: number): Buffer {
  let room = 0;
  for (let k = 0; k < count; k++) room += values[k].length * 3 + 5;
  const buf = Buffer.allocUnsafe(room);
  let at = 0;
  // Columns repeat themselves (a plant's records follow each other, statuses are few): a string
  // equal to the one before is a copy of its bytes.
  let previous: string | undefined;
  let previousAt = 0;
  for (let k = 0; k < count; k++) {
    const s = values[k];
    const start = at;
    if (s === previous) {
      // By hand: most repeats are a few bytes, far fewer than a call into the runtime costs.
      for (let j = previousAt; j < start; j++) buf[at++] = buf[j];
    } else if (s.length <= SHORT) {
      at = shortString(buf, at, s);
    } else {
      at = writeVarint(buf, at, Buffer.byteLength(s));
      at += buf.write(s, at, 'utf8');
    }
    previous = s;
    previousAt = start;
  }
  return buf.subarray(0, at);
}

/** A short string's length byte and bytes: ASCII by hand (cheaper than a call into the runtime). */
function shortString(buf: Buffer, at: number, s: string): number {
  const n = s.length;
  for (let j = 0; j < n; j++) {
    const c = s.charCodeAt(j);
    if (c >= 0x80) {
      const written = buf.write(s, at + 1, 'utf8');
      buf[at] = written;
      return at + 1 + written;
    }
    buf[at + 1 + j] = c;
  }
  buf[at] = n;
  return at + 1 + n;
}
