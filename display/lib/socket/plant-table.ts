import { PLANT_STATUSES, type PlantColumns, type PlantPoint, type PlantStatus, type Snapshot } from '$contract';
// Pure functions shared with the server's encoder: how columns are read is defined once.
import { columnOf, encodePlants } from '../../../server/live/columnar.ts';
import { IdIndex } from './id-index.ts';

/** The fleet's plant counts and capacity, as the wall's legend and tiles show them. */
export interface PlantTotals {
  /** Plants per PLANT_STATUSES code. */
  byStatus: readonly number[];
  /** Sum of the positive capacities. */
  capacityKw: number;
}

/** What a delta changed, relative to the table it was applied to. */
export interface PlantChanges {
  previous: PlantTable;
  /** Rows whose status or figures changed (positions unchanged). */
  rows: Uint32Array;
}

interface Text {
  joined: string;
  end: Uint32Array;
  /** Rows whose text a delta changed, instead of rewriting the joined string. */
  changed: Map<number, string>;
}

const text = (joined: string, end: Uint32Array): Text => ({ joined, end, changed: new Map() });
const textAt = (t: Text, i: number) => t.changed.get(i) ?? t.joined.slice(i ? t.end[i - 1] : 0, t.end[i]);

/**
 * The wall's plants as columns, held once: what the snapshot's columnar encoding brings, kept as
 * typed arrays so that a million plants cost a few flat buffers instead of a million objects.
 *
 * A delta changes rows in place and returns a new table over the same columns, with `changes`
 * naming the rows it touched, so the map can update only those. Tables are handles: after a
 * delta, only the newest one reads true. A delta bringing a plant the table does not know, or a
 * moved plant, builds a new table without `changes` (clusters and extents must start over).
 */
export class PlantTable {
  readonly length: number;
  readonly lat: Float64Array;
  readonly lon: Float64Array;
  /** Codes of PLANT_STATUSES. */
  readonly status: Uint8Array;
  readonly power_w: Float32Array;
  readonly today_kwh: Float32Array;
  readonly capacity_kw: Float32Array;
  readonly changes: PlantChanges | null;
  /** Kept by each delta from its changed rows alone: the wall never walks the table for them. */
  readonly totals: PlantTotals;
  readonly #ids: Text;
  readonly #names: Text;
  /** Shared by every handle over these columns; built on the first lookup by id. */
  readonly #rows: { of: IdIndex | null };

  private constructor(from: PlantTable | PlantColumns, changes: PlantChanges | null, totals?: PlantTotals) {
    if (from instanceof PlantTable) {
      this.length = from.length;
      this.lat = from.lat;
      this.lon = from.lon;
      this.status = from.status;
      this.power_w = from.power_w;
      this.today_kwh = from.today_kwh;
      this.capacity_kw = from.capacity_kw;
      this.#ids = from.#ids;
      this.#names = from.#names;
      this.#rows = from.#rows;
    } else {
      this.length = from.count;
      this.lat = columnOf(from.lat, Float64Array);
      this.lon = columnOf(from.lon, Float64Array);
      this.status = columnOf(from.status, Uint8Array);
      this.power_w = columnOf(from.power_w, Float32Array);
      this.today_kwh = columnOf(from.today_kwh, Float32Array);
      this.capacity_kw = columnOf(from.capacity_kw, Float32Array);
      this.#ids = text(from.ids, columnOf(from.id_end, Uint32Array));
      this.#names = text(from.names, columnOf(from.name_end, Uint32Array));
      this.#rows = { of: null };
    }
    this.changes = changes;
    this.totals = totals ?? this.#count();
  }

  static fromColumns(columns: PlantColumns): PlantTable {
    return new PlantTable(columns, null);
  }

  static fromPoints(plants: readonly PlantPoint[]): PlantTable {
    return new PlantTable(encodePlants(plants), null);
  }

  id(i: number): string {
    return textAt(this.#ids, i);
  }
  name(i: number): string {
    return textAt(this.#names, i);
  }
  statusOf(i: number): PlantStatus {
    return PLANT_STATUSES[this.status[i]] ?? 'offline';
  }
  at(i: number): PlantPoint {
    return {
      id: this.id(i),
      name: this.name(i),
      lat: this.lat[i],
      lon: this.lon[i],
      status: this.statusOf(i),
      power_w: this.power_w[i],
      today_kwh: this.today_kwh[i],
      capacity_kw: this.capacity_kw[i]
    };
  }

  /** The row of a plant, or -1. */
  rowOf(id: string): number {
    return this.#index().find(id);
  }

  // Ids never change for a row (a delta finds its rows by them), so the index lives as long as the columns.
  #index(): IdIndex {
    return (this.#rows.of ??= new IdIndex(this.#ids.joined, this.#ids.end));
  }

  /** The table after a delta's changed plants (whole, as columns). Costs the changed rows, not the table. */
  apply(columns: PlantColumns): PlantTable {
    const changed = new PlantTable(columns, null);
    const index = this.#index();
    const { joined, end } = changed.#ids;
    const rows = new Uint32Array(changed.length);
    for (let k = 0; k < changed.length; k++) {
      const i = index.find(joined, k ? end[k - 1] : 0, end[k]);
      if (i < 0 || !Object.is(changed.lat[k], this.lat[i]) || !Object.is(changed.lon[k], this.lon[i])) return this.#rebuilt(changed);
      rows[k] = i;
    }
    const byStatus = this.totals.byStatus.slice();
    let capacityKw = this.totals.capacityKw;
    for (let k = 0; k < changed.length; k++) {
      const i = rows[k];
      byStatus[known(this.status[i])]--;
      byStatus[known(changed.status[k])]++;
      capacityKw += positive(changed.capacity_kw[k]) - positive(this.capacity_kw[i]);
      this.status[i] = changed.status[k];
      this.power_w[i] = changed.power_w[k];
      this.today_kwh[i] = changed.today_kwh[k];
      this.capacity_kw[i] = changed.capacity_kw[k];
      const name = changed.name(k);
      if (name !== this.name(i)) this.#names.changed.set(i, name);
    }
    return new PlantTable(this, { previous: this, rows }, { byStatus, capacityKw });
  }

  #count(): PlantTotals {
    const byStatus = new Array<number>(PLANT_STATUSES.length).fill(0);
    let capacityKw = 0;
    for (let i = 0; i < this.length; i++) {
      byStatus[known(this.status[i])]++;
      capacityKw += positive(this.capacity_kw[i]);
    }
    return { byStatus, capacityKw };
  }

  /** A new table: this one's plants with `changed` merged in by id, new plants at the end. */
  #rebuilt(changed: PlantTable): PlantTable {
    const byId = new Map<string, PlantPoint>();
    for (let k = 0; k < changed.length; k++) byId.set(changed.id(k), changed.at(k));
    const plants: PlantPoint[] = [];
    for (let i = 0; i < this.length; i++) {
      const id = this.id(i);
      plants.push(byId.get(id) ?? this.at(i));
      byId.delete(id);
    }
    for (const p of byId.values()) plants.push(p);
    return PlantTable.fromPoints(plants);
  }
}

const positive = (v: number) => (v > 0 ? v : 0);
// A status code this display does not know counts as offline, as statusOf() shows it.
const OFFLINE = PLANT_STATUSES.indexOf('offline');
const known = (code: number) => (code < PLANT_STATUSES.length ? code : OFFLINE);

/** The snapshot as the wall holds it: the contract's, with the plants as a table. */
export type WallSnapshot = Omit<Snapshot, 'plants'> & { plants: PlantTable };

/** The plants of either form of snapshot as a table (the admin preview hands the wall JSON). */
export function plantTable(plants: PlantTable | readonly PlantPoint[]): PlantTable {
  return plants instanceof PlantTable ? plants : PlantTable.fromPoints(plants);
}
