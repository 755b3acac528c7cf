// Each plant's figures for the wall (status, device counts, power, today, total), kept until
// something changes them: a record for the plant, a device going offline with time, the plant's
// local midnight, or a change to the registry. A room's snapshot then sums summaries instead of
// visiting every device every second.
import type { DeviceStatus, PlantPoint } from '../contract.ts';
import type { Registry } from '../registry/registry.ts';
import { localDay } from '../time/zones.ts';
import type { LiveState } from './state.ts';
import { round } from './round.ts';

export interface PlantSummary {
  /** Replaced, never mutated, when anything in it changes: deltas compare by identity. */
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
  readonly #dirty = new Set<string>();

  constructor(
    readonly registry: Registry,
    readonly live: LiveState
  ) {
    live.onApplied((records) => {
      for (const r of records) this.#dirty.add(r.plant_id);
    });
    live.onRebuilt(() => this.#cache.clear());
    registry.onChange(() => this.#cache.clear());
  }

  get(plantId: string, now: number): PlantSummary {
    const cached = this.#cache.get(plantId);
    // Three comparisons for a plant nothing happened to: the common case, every second, per room.
    if (cached && now < cached.expiresAt && now < cached.dateEnds && !this.#dirty.has(plantId)) return cached;
    const fresh = this.#compute(plantId, now, cached);
    this.#cache.set(plantId, fresh);
    this.#dirty.delete(plantId);
    return fresh;
  }

  #compute(plantId: string, now: number, previous: PlantSummary | undefined): PlantSummary {
    const tree = this.registry.tree;
    const plant = tree.plants.get(plantId)!;
    const counts: Record<DeviceStatus, number> = { normal: 0, standby: 0, protect: 0, fault: 0, offline: 0 };
    let power = 0;
    let total = 0;
    let devices = 0;
    let expiresAt = Number.POSITIVE_INFINITY;
    for (const sn of tree.devicesOf(plantId)) {
      devices++;
      const status = this.live.deviceStatus(sn, now);
      counts[status]++;
      const d = this.live.devices.get(sn);
      if (!d) continue;
      if (status !== 'offline') {
        power += d.power_w;
        expiresAt = Math.min(expiresAt, d.ts + this.live.offlineAfterMs + 1);
      }
      total += d.e_total ?? d.energy_sum;
    }
    const { date, end: dateEnds } = localDay(now, plant.timezone);
    const today = this.live.plants.get(plantId)?.daily.get(date) ?? 0;
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
    const same = previous && JSON.stringify(previous.point) === JSON.stringify(point);
    return { point: same ? previous.point : point, counts, devices, power, today, total, date, dateEnds, expiresAt };
  }
}
