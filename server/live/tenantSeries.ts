// A large tenant subtree's energy by day, month and year and its power by 5-minute bucket, kept
// up to date record by record, so a room's series cost the same for 10 plants or 100,000. Small
// subtrees sum their plants on demand; large ones are materialized the first time they are asked
// for and then follow every record.
import type { Registry } from '../registry/registry.ts';
import type { TelemetryBatch } from '../ingest/batch.ts';
import type { LiveState, PlantLive } from './state.ts';
import { BUCKET_MS, BUCKETS_KEPT_MS } from './state.ts';

/** Subtrees with at least this many plants are kept as running sums. */
export const LARGE_SUBTREE = 64;

interface Sums {
  daily: Map<string, number>;
  monthly: Map<string, number>;
  yearly: Map<number, number>;
  buckets: Map<number, number>;
}

function add<K>(map: Map<K, number>, key: K, value: number): void {
  map.set(key, (map.get(key) ?? 0) + value);
}

export class TenantSeries {
  readonly #sums = new Map<string, Sums>();

  constructor(
    readonly registry: Registry,
    readonly live: LiveState
  ) {
    live.onApplied((batch) => this.#follow(batch));
    live.onRebuilt(() => this.#reset());
    registry.onChange(() => this.#reset());
  }

  #prunedAt = 0;

  /** What the series of a subtree read: running sums for a large one, its plants for a small one. */
  sources(tenantId: string, now: number): Pick<PlantLive, 'daily' | 'monthly' | 'yearly' | 'buckets'>[] {
    if (now - this.#prunedAt > 60_000) {
      this.prune(now);
      this.#prunedAt = now;
    }
    const plants = this.registry.tree.plantsOf(tenantId);
    if (plants.length < LARGE_SUBTREE) return plants.map((id) => this.live.plants.get(id)).filter((p) => p !== undefined);
    let sums = this.#sums.get(tenantId);
    if (!sums) {
      sums = { daily: new Map(), monthly: new Map(), yearly: new Map(), buckets: new Map() };
      for (const id of plants) {
        const p = this.live.plants.get(id);
        if (!p) continue;
        for (const [k, v] of p.daily) add(sums.daily, k, v);
        for (const [k, v] of p.monthly) add(sums.monthly, k, v);
        for (const [k, v] of p.yearly) add(sums.yearly, k, v);
        for (const [k, v] of p.buckets) add(sums.buckets, k, v);
      }
      this.#sums.set(tenantId, sums);
    }
    return [sums];
  }

  prune(now: number): void {
    const oldestBucket = Math.floor((now - BUCKETS_KEPT_MS) / BUCKET_MS);
    for (const sums of this.#sums.values()) for (const b of sums.buckets.keys()) if (b < oldestBucket) sums.buckets.delete(b);
  }

  #follow(b: TelemetryBatch): void {
    if (this.#sums.size === 0) return;
    for (let k = 0; k < b.length; k++) {
      const eDelta = b.eDelta[k];
      const pDelta = b.pDelta[k];
      if (eDelta <= 0 && pDelta === 0) continue;
      for (const tenantId of this.registry.tree.chainOf(b.plantId[k])) {
        const sums = this.#sums.get(tenantId);
        if (!sums) continue;
        if (eDelta > 0) {
          const date = b.localDate[k];
          add(sums.daily, date, eDelta);
          add(sums.monthly, date.slice(0, 7), eDelta);
          add(sums.yearly, Number(date.slice(0, 4)), eDelta);
        }
        // Ingest gives a power delta only to records recent enough for the plants' buckets.
        if (pDelta !== 0) add(sums.buckets, Math.floor(b.ts[k] / BUCKET_MS), pDelta);
      }
    }
  }

  #reset(): void {
    this.#sums.clear();
  }
}
