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
    this.#chunks.push(strings([name, type]));
  }

  float64(name: string, values: readonly number[]): this {
    this.#column(name, 'Float64');
    this.#chunks.push(bytes(Float64Array.from(values)));
    return this;
  }

  nullableFloat64(name: string, values: readonly number[]): this {
    this.#column(name, 'Nullable(Float64)');
    this.#chunks.push(nullMap(values), bytes(zeroedNulls(Float64Array.from(values))));
    return this;
  }

  nullableFloat32(name: string, values: readonly number[]): this {
    this.#column(name, 'Nullable(Float32)');
    this.#chunks.push(nullMap(values), bytes(zeroedNulls(Float32Array.from(values))));
    return this;
  }

  /** Epoch milliseconds as DateTime64(3, 'UTC'). */
  dateTime64ms(name: string, values: readonly number[]): this {
    this.#column(name, "DateTime64(3, 'UTC')");
    // Int64 halves without a BigInt per value; the times are positive and far below 2^53.
    const halves = new Uint32Array(values.length * 2);
    for (let k = 0; k < values.length; k++) {
      const ms = values[k];
      halves[2 * k] = ms % 0x1_0000_0000;
      halves[2 * k + 1] = Math.floor(ms / 0x1_0000_0000);
    }
    this.#chunks.push(bytes(halves));
    return this;
  }

  /** Days since 1970-01-01 as Date. */
  date(name: string, days: readonly number[]): this {
    this.#column(name, 'Date');
    this.#chunks.push(bytes(Uint16Array.from(days)));
    return this;
  }

  string(name: string, values: readonly string[]): this {
    this.#column(name, 'String');
    this.#chunks.push(strings(values));
    return this;
  }

  /** The same string in every row. */
  repeated(name: string, value: string): this {
    this.#column(name, 'String');
    const one = strings([value]);
    const all = Buffer.allocUnsafe(one.length * this.rows);
    for (let k = 0; k < this.rows; k++) one.copy(all, k * one.length);
    this.#chunks.push(all);
    return this;
  }

  nullableString(name: string, values: readonly (string | null)[]): this {
    this.#column(name, 'Nullable(String)');
    const map = Buffer.alloc(values.length);
    const texts = new Array<string>(values.length);
    for (let k = 0; k < values.length; k++) {
      const v = values[k];
      if (v === null) map[k] = 1;
      texts[k] = v ?? '';
    }
    this.#chunks.push(map, strings(texts));
    return this;
  }

  /** Arrays of Float32 (`nullable`: Array(Nullable(Float32))), row k's elements flat[ends[k - 1] .. ends[k]). */
  float32Arrays(name: string, ends: readonly number[], flat: readonly number[], nullable = false): this {
    this.#column(name, nullable ? 'Array(Nullable(Float32))' : 'Array(Float32)');
    const offsets = new Uint32Array(ends.length * 2);
    for (let k = 0; k < ends.length; k++) offsets[2 * k] = ends[k];
    this.#chunks.push(bytes(offsets));
    if (nullable) this.#chunks.push(nullMap(flat));
    this.#chunks.push(bytes(zeroedNulls(Float32Array.from(flat))));
    return this;
  }
}

const bytes = (view: ArrayBufferView) => Buffer.from(view.buffer, view.byteOffset, view.byteLength);

function nullMap(values: readonly number[]): Buffer {
  const map = Buffer.alloc(values.length);
  for (let k = 0; k < values.length; k++) if (isNull(values[k])) map[k] = 1;
  return map;
}

/** The value under a null is not read, but a plain 0 keeps the bytes tidy. */
function zeroedNulls<T extends Float64Array | Float32Array>(values: T): T {
  for (let k = 0; k < values.length; k++) if (isNull(values[k])) values[k] = 0;
  return values;
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

/** Strings as Native writes them: each a varint byte length and its UTF-8 bytes. */
function strings(values: readonly string[]): Buffer {
  let room = 0;
  for (let k = 0; k < values.length; k++) room += values[k].length * 3 + 5;
  const buf = Buffer.allocUnsafe(room);
  let at = 0;
  for (let k = 0; k < values.length; k++) {
    const s = values[k];
    if (s.length <= SHORT) {
      const n = buf.write(s, at + 1, 'utf8');
      buf[at] = n;
      at += 1 + n;
    } else {
      at = writeVarint(buf, at, Buffer.byteLength(s));
      at += buf.write(s, at, 'utf8');
    }
  }
  return buf.subarray(0, at);
}
