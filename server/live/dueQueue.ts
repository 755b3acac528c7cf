// Plants keyed by the instant something about them changes with time alone, earliest first: a
// binary min-heap, so a tick finds the plants that ran out without looking at the others.
export class DueQueue {
  readonly #at: number[] = [];
  readonly #ids: string[] = [];
  /** The earliest instant queued per plant: a later one for the same plant is not queued twice. */
  readonly #earliest = new Map<string, number>();

  get size(): number {
    return this.#at.length;
  }

  schedule(id: string, at: number): void {
    if (!Number.isFinite(at)) return;
    const queued = this.#earliest.get(id);
    if (queued !== undefined && queued <= at) return;
    this.#earliest.set(id, at);
    let i = this.#at.length;
    this.#at.push(at);
    this.#ids.push(id);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.#at[parent] <= at) break;
      this.#move(parent, i);
      i = parent;
    }
    this.#at[i] = at;
    this.#ids[i] = id;
  }

  /** Takes the earliest plant due at or before `now`, if any. */
  popUntil(now: number): string | undefined {
    if (this.#at.length === 0 || this.#at[0] > now) return undefined;
    const at = this.#at[0];
    const id = this.#ids[0];
    const lastAt = this.#at.pop()!;
    const lastId = this.#ids.pop()!;
    const n = this.#at.length;
    if (n > 0) {
      let i = 0;
      for (;;) {
        let child = 2 * i + 1;
        if (child >= n) break;
        if (child + 1 < n && this.#at[child + 1] < this.#at[child]) child++;
        if (this.#at[child] >= lastAt) break;
        this.#move(child, i);
        i = child;
      }
      this.#at[i] = lastAt;
      this.#ids[i] = lastId;
    }
    if (this.#earliest.get(id) === at) this.#earliest.delete(id);
    return id;
  }

  clear(): void {
    this.#at.length = 0;
    this.#ids.length = 0;
    this.#earliest.clear();
  }

  #move(from: number, to: number): void {
    this.#at[to] = this.#at[from];
    this.#ids[to] = this.#ids[from];
  }
}
