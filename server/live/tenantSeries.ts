// A large tenant subtree's energy by day, month and year and its power by 5-minute bucket, kept
// up to date record by record, so a room's series cost the same for 10 plants or 100,000. Small
// subtrees sum their plants on demand; large ones are materialized the first time they are asked
// for and then follow every record.
import type { Registry } from '../registry/registry.ts';
import type { TelemetryBatch } from '../ingest/batch.ts';
import { monthNumber } from './deviceColumns.ts';
import { EnergyRings } from './energyRings.ts';
import type { SeriesSource } from './series.ts';
import type { AppliedPlants, LiveState } from './state.ts';
import { BUCKET_MS } from './state.ts';

/** Subtrees with at least this many plants are kept as running sums. */
export const LARGE_SUBTREE = 64;

export class TenantSeries {
  /** One row per materialized subtree, by tenant id. */
  readonly #sums = new EnergyRings();
  /**
   * The rows of `#sums` a plant's records add to (its materialized ancestors): lists shared by the
   * plants of one tenant, and each plant's list number by its number in live state (0: not yet known).
   */
  #lists: Int32Array[] = [];
  readonly #listOfTenant = new Map<string, number>();
  #listOfPlant = new Int32Array(0);

  constructor(
    readonly registry: Registry,
    readonly live: LiveState
  ) {
    live.onApplied((batch, plants) => this.#follow(batch, plants));
    live.onRebuilt(() => this.#reset());
    registry.onChange(() => this.#reset());
  }

  /** What the series of a subtree read: its running sums for a large one, its plants for a small one. */
  sources(tenantId: string): SeriesSource {
    const plants = this.registry.tree.plantsOf(tenantId);
    const live = this.live.plants;
    if (plants.length < LARGE_SUBTREE) return { rings: live, rows: plants.map((id) => live.indexOf(id)) };
    let row = this.#sums.indexOf(tenantId);
    if (row < 0) {
      row = this.#sums.row(tenantId);
      for (const id of plants) {
        const p = live.indexOf(id);
        if (p >= 0) this.#sums.addRow(row, live, p);
      }
      this.#follows(tenantId, row);
    }
    return { rings: this.#sums, rows: [row] };
  }

  /**
   * Records of the subtree's plants add to `row` from now on: the list of every tenant in it gets
   * the row, made now if the tenant had none, so that ingest never builds one (a screen opening a
   * large room would otherwise cost the next second of telemetry a list per tenant it touches).
   */
  #follows(subtreeId: string, row: number): void {
    for (const tenantId of this.registry.tree.subtree(subtreeId)) {
      const list = this.#listOfTenant.get(tenantId);
      if (list === undefined) {
        this.#listOfTenant.set(tenantId, this.#lists.push(this.#rowsAbove(tenantId)));
        continue;
      }
      // The row is new: no list holds it yet.
      const rows = this.#lists[list - 1];
      const grown = new Int32Array(rows.length + 1);
      grown.set(rows);
      grown[rows.length] = row;
      this.#lists[list - 1] = grown;
    }
  }

  /** The rows of the tenant's materialized subtrees: its own and its ancestors'. */
  #rowsAbove(tenantId: string): Int32Array {
    return Int32Array.from(
      this.registry.tree
        .ancestors(tenantId)
        .map((t) => this.#sums.indexOf(t.id))
        .filter((row) => row >= 0)
    );
  }

  #follow(b: TelemetryBatch, plants: AppliedPlants): void {
    if (this.#sums.size === 0) return;
    const sums = this.#sums;
    for (let k = 0; k < b.length; k++) {
      const eDelta = b.eDelta[k];
      const pDelta = b.pDelta[k];
      if (eDelta <= 0 && pDelta === 0) continue;
      const rows = this.#sumsOf(plants.byRecord[k], b.plantId[k]);
      if (rows.length === 0) continue;
      const day = b.day[k];
      const month = eDelta > 0 ? monthNumber(b.localDate[k]) : 0;
      for (const row of rows) {
        if (eDelta > 0) {
          sums.day.add(row, day, eDelta);
          sums.month.add(row, month, eDelta);
          sums.year.add(row, Math.floor(month / 12), eDelta);
        }
        // Ingest gives a power delta only to records recent enough for the plants' buckets.
        if (pDelta !== 0) sums.bucket.add(row, Math.floor(b.ts[k] / BUCKET_MS), pDelta);
      }
    }
  }

  #sumsOf(plant: number, plantId: string): Int32Array {
    if (plant >= this.#listOfPlant.length) {
      const grown = new Int32Array(Math.max(1024, 2 * plant));
      grown.set(this.#listOfPlant);
      this.#listOfPlant = grown;
    }
    const known = this.#listOfPlant[plant];
    if (known > 0) return this.#lists[known - 1];
    const tenantId = this.registry.tree.plants.get(plantId)?.tenant_id ?? '';
    let list = this.#listOfTenant.get(tenantId);
    if (list === undefined) {
      // A tenant under no materialized subtree (every other tenant got its list with the row).
      list = this.#lists.push(this.#rowsAbove(tenantId));
      this.#listOfTenant.set(tenantId, list);
    }
    this.#listOfPlant[plant] = list;
    return this.#lists[list - 1];
  }

  #reset(): void {
    this.#sums.clear();
    this.#lists = [];
    this.#listOfTenant.clear();
    this.#listOfPlant.fill(0);
  }
}
