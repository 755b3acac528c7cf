// Each plant's figures for the wall (status, device counts, power, today, total), kept until
// something changes them: a record for the plant, a device going offline with time, the plant's
// local midnight, or a change to the registry. Records mark plants dirty; the instants at which
// a summary runs out wait in a time-ordered queue; `advance` recomputes exactly those plants and
// tells the listeners (the rooms) which ones changed.
import type { DeviceStatus, PlantPoint } from '../contract.ts';
import type { Registry } from '../registry/registry.ts';
import { localDay } from '../time/zones.ts';
import type { LiveState } from './state.ts';
import { round } from './round.ts';
import { DueQueue } from './dueQueue.ts';

export interface PlantSummary {
  /** Replaced, never mutated, when anything shown changes: deltas compare by identity. */
  point: PlantPoint;
  counts: Record<DeviceStatus, number>;
  devices: number;
  power: number;
  today: number;
  total: number;
  /** The plant-local date `today` belongs to, and the instant that date ends. */
  date: string;
  dateEnds: number;
  /** The first instant a device of the plant would turn offline with no new record. */
  expiresAt: number;
}


export function plantStatusOf(counts: Record<DeviceStatus, number>, devices: number): PlantPoint['status'] {
  if (counts.fault > 0) return 'fault';
  if (counts.protect > 0) return 'protect';
  if (counts.offline === devices) return 'offline';
  return 'normal';
}

export class PlantSummaries {
  readonly #cache = new Map<string, PlantSummary>();
  /** Each plant's devices by their number in live state (-1: no live state yet), looked up once. */
  readonly #slots = new Map<string, Int32Array>();
  readonly #dirty = new Set<string>();
  /** When each cached summary runs out (a device going offline, the local date ending). */
  readonly #due = new DueQueue();
  readonly #changeListeners: ((plantId: string) => void)[] = [];
  readonly #resetListeners: (() => void)[] = [];

  constructor(
    readonly registry: Registry,
    readonly live: LiveState
  ) {
    live.onApplied((_, plants) => {
      for (const p of plants.touched) this.#dirty.add(live.plants.ids[p]);
    });
    live.onRebuilt(() => this.#reset());
    registry.onChange(() => this.#reset());
  }

  /** Called with a plant whose summary now shows something else. */
  onChange(listener: (plantId: string) => void): void {
    this.#changeListeners.push(listener);
  }

  /** Called when every summary starts over (a registry change, a rebuild of live state). */
  onReset(listener: () => void): void {
    this.#resetListeners.push(listener);
  }

  get(plantId: string, now: number): PlantSummary {
    const cached = this.#cache.get(plantId);
    // Three comparisons for a plant nothing happened to: the common case.
    if (cached && now < cached.expiresAt && now < cached.dateEnds && !this.#dirty.has(plantId)) return cached;
    const fresh = this.#compute(plantId, now, cached);
    this.#dirty.delete(plantId);
    this.#due.schedule(plantId, Math.min(fresh.expiresAt, fresh.dateEnds));
    if (cached && sameSummary(cached, fresh)) {
      // Same figures, later deadlines: the object stays (identity means "unchanged").
      cached.dateEnds = fresh.dateEnds;
      cached.expiresAt = fresh.expiresAt;
      return cached;
    }
    this.#cache.set(plantId, fresh);
    if (cached) for (const listener of this.#changeListeners) listener(plantId);
    return fresh;
  }

  /**
   * Recomputes the plants that records touched and those whose time ran out by `now`: the work
   * of one tick is proportional to what changed, not to the fleet. Plants nobody has asked for
   * are left until they are.
   */
  advance(now: number): void {
    for (const plantId of this.#dirty) {
      if (this.#cache.has(plantId)) this.get(plantId, now);
      else this.#dirty.delete(plantId);
    }
    for (let plantId = this.#due.popUntil(now); plantId !== undefined; plantId = this.#due.popUntil(now)) {
      if (!this.#cache.has(plantId) || !this.registry.tree.plants.has(plantId)) continue;
      const summary = this.get(plantId, now);
      this.#due.schedule(plantId, Math.min(summary.expiresAt, summary.dateEnds));
    }
  }

  #reset(): void {
    this.#cache.clear();
    this.#slots.clear();
    this.#dirty.clear();
    this.#due.clear();
    for (const listener of this.#resetListeners) listener();
  }

  #slotsOf(plantId: string): Int32Array {
    const sns = this.registry.tree.devicesOf(plantId);
    let slots = this.#slots.get(plantId);
    if (!slots || slots.length !== sns.length) {
      slots = Int32Array.from(sns, (sn) => this.live.indexOf(sn));
      this.#slots.set(plantId, slots);
    } else {
      // A device that had no live state may have reported since.
      for (let k = 0; k < slots.length; k++) if (slots[k] < 0) slots[k] = this.live.indexOf(sns[k]);
    }
    return slots;
  }

  #compute(plantId: string, now: number, previous: PlantSummary | undefined): PlantSummary {
    const tree = this.registry.tree;
    const plant = tree.plants.get(plantId)!;
    const counts: Record<DeviceStatus, number> = { normal: 0, standby: 0, protect: 0, fault: 0, offline: 0 };
    let power = 0;
    let total = 0;
    let devices = 0;
    let expiresAt = Number.POSITIVE_INFINITY;
    const live = this.live;
    for (const i of this.#slotsOf(plantId)) {
      devices++;
      const status = live.statusAt(i, now);
      counts[status]++;
      if (i < 0) continue;
      if (status !== 'offline') {
        power += live.powerAt(i);
        expiresAt = Math.min(expiresAt, live.tsAt(i) + live.offlineAfterMs + 1);
      }
      total += live.totalAt(i);
    }
    const { date, end: dateEnds } = localDay(now, plant.timezone);
    const today = this.live.plantDayEnergy(plantId, date);
    const point: PlantPoint = {
      id: plant.id,
      name: plant.name,
      lat: plant.lat,
      lon: plant.lon,
      status: plantStatusOf(counts, devices),
      power_w: round(power, 1),
      today_kwh: round(today),
      capacity_kw: plant.capacity_kw
    };
    // Keep the old object when nothing shown changed, so that deltas leave the plant out.
    const same = previous && samePoint(previous.point, point);
    return { point: same ? previous.point : point, counts, devices, power, today, total, date, dateEnds, expiresAt };
  }
}

/** Two plant points show the same (points are flat). */
export function samePoint(a: PlantPoint, b: PlantPoint): boolean {
  if (a === b) return true;
  for (const key in a) if (a[key as keyof PlantPoint] !== b[key as keyof PlantPoint]) return false;
  return true;
}

function sameSummary(a: PlantSummary, b: PlantSummary): boolean {
  if (a.point !== b.point || a.devices !== b.devices || a.power !== b.power || a.today !== b.today || a.total !== b.total || a.date !== b.date) return false;
  for (const key in a.counts) if (a.counts[key as DeviceStatus] !== b.counts[key as DeviceStatus]) return false;
  return true;
}
