// Statistics of the plants inside a map viewport, from a spatial index per tenant subtree, so a
// zoomed-in wall stays right (and fast) with a million plants.
import Flatbush from 'flatbush';
import type { RegionStats } from '../contract.ts';
import type { Registry } from '../registry/registry.ts';
import { addDays, localDate } from '../time/zones.ts';
import { dayNumber } from './deviceColumns.ts';
import type { PeriodRing } from './energyRings.ts';
import type { LiveState } from './state.ts';
import { round } from './round.ts';

export interface Viewport {
  west: number;
  south: number;
  east: number;
  north: number;
}


export class RegionIndex {
  readonly #cache = new Map<string, { version: number; ids: string[]; index: Flatbush | null }>();

  constructor(
    readonly registry: Registry,
    readonly live: LiveState
  ) {}

  /** Plants of the subtree inside the viewport; a viewport across the date line is two boxes. */
  plantsIn(tenantId: string, view: Viewport): string[] {
    const { ids, index } = this.#indexOf(tenantId);
    if (!index) return [];
    const boxes: [number, number, number, number][] =
      view.west <= view.east ? [[view.west, view.south, view.east, view.north]] : [[view.west, view.south, 180, view.north], [-180, view.south, view.east, view.north]];
    return boxes.flatMap(([w, s, e, n]) => index.search(w, s, e, n).map((i) => ids[i]));
  }

  stats(tenantId: string, view: Viewport, now: number, plantPower: (plantId: string) => number): RegionStats {
    const tree = this.registry.tree;
    const plants = this.plantsIn(tenantId, view);
    let power = 0;
    let today = 0;
    let latest = '';
    for (const id of plants) {
      const plant = tree.plants.get(id)!;
      const date = localDate(now, plant.timezone);
      if (date > latest) latest = date;
      power += plantPower(id);
      today += this.live.plantDayEnergy(id, date);
    }
    const end = latest || localDate(now, tree.timezoneOf(tenantId));
    const rings = this.live.plants;
    const rows = plants.map((id) => rings.indexOf(id));
    const sum = (ring: PeriodRing, key: number) => round(rows.reduce((s, row) => s + ring.get(row, key), 0));
    const year = Number(end.slice(0, 4));
    return {
      plants: plants.length,
      power_w: round(power, 1),
      today_kwh: round(today),
      days: Array.from({ length: 7 }, (_, i) => addDays(end, i - 6)).map((date) => ({ date, kwh: sum(rings.day, dayNumber(date)) })),
      years: Array.from({ length: 5 }, (_, i) => year - 4 + i).map((y) => ({ year: y, kwh: sum(rings.year, y) }))
    };
  }

  #indexOf(tenantId: string): { ids: string[]; index: Flatbush | null } {
    const cached = this.#cache.get(tenantId);
    if (cached && cached.version === this.registry.version) return cached;
    const tree = this.registry.tree;
    const ids = tree.plantsOf(tenantId);
    let index: Flatbush | null = null;
    if (ids.length > 0) {
      index = new Flatbush(ids.length);
      for (const id of ids) {
        const p = tree.plants.get(id)!;
        index.add(p.lon, p.lat, p.lon, p.lat);
      }
      index.finish();
    }
    const entry = { version: this.registry.version, ids, index };
    this.#cache.set(tenantId, entry);
    return entry;
  }
}
