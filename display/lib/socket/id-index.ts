/**
 * A table's rows by plant id, hashed straight from the joined id text the columnar encoding
 * brings (`ids` with their end offsets): no string per id and no Map entry per plant, so a
 * million plants cost one Int32Array and one pass over the characters. Open addressing with
 * linear probing, at most half full. A repeated id finds its first row.
 */
export class IdIndex {
  readonly #joined: string;
  readonly #end: Uint32Array;
  readonly #slots: Int32Array;
  readonly #mask: number;

  constructor(joined: string, end: Uint32Array) {
    this.#joined = joined;
    this.#end = end;
    let size = 16;
    while (size < end.length * 2) size *= 2;
    const slots = new Int32Array(size).fill(-1);
    const mask = size - 1;
    for (let i = 0, start = 0; i < end.length; start = end[i++]) {
      let slot = hashRange(joined, start, end[i]) & mask;
      while (slots[slot] !== -1) slot = (slot + 1) & mask;
      slots[slot] = i;
    }
    this.#slots = slots;
    this.#mask = mask;
  }

  /** The row whose id is `text[start, end)`, or -1. */
  find(text: string, start = 0, end = text.length): number {
    const joined = this.#joined;
    const length = end - start;
    for (let slot = hashRange(text, start, end) & this.#mask; ; slot = (slot + 1) & this.#mask) {
      const row = this.#slots[slot];
      if (row === -1) return -1;
      const at = row ? this.#end[row - 1] : 0;
      if (this.#end[row] - at !== length) continue;
      let k = 0;
      while (k < length && joined.charCodeAt(at + k) === text.charCodeAt(start + k)) k++;
      if (k === length) return row;
    }
  }
}

/** FNV-1a over UTF-16 code units, with murmur3's finalizer so that linear probing sees spread bits. */
function hashRange(text: string, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let k = start; k < end; k++) h = Math.imul(h ^ text.charCodeAt(k), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
