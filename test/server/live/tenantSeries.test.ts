// A large subtree's running sums (kept record by record) against the same figures summed over its
// plants, and plant summaries that change only when something shown changes.
import type { ClickHouseClient } from '@clickhouse/client';
import { describe, expect, it } from 'vitest';
import { LiveState } from '../../../server/live/state.ts';
import { TelemetryBatch, type AppliedFields as AppliedRecord } from '../../../server/ingest/batch.ts';
import { LARGE_SUBTREE } from '../../../server/live/tenantSeries.ts';
import { buildSnapshot } from '../../../server/live/view.ts';
import { Registry } from '../../../server/registry/registry.ts';
import { localDate } from '../../../server/time/zones.ts';

const PLANTS = LARGE_SUBTREE + 6;
const NOW = Date.parse('2026-11-21T12:00:00Z');

function fleet() {
  // The registry is filled in memory only: these caches never touch the store.
  const registry = new Registry(null as unknown as ClickHouseClient);
  const tree = registry.tree;
  tree.putTenant({ id: 'd', name: 'D', parent_id: null, kind: 'distributor', timezone: 'Europe/Berlin' });
  tree.putTenant({ id: 'small', name: 'Small', parent_id: 'd', kind: 'customer' });
  for (let p = 0; p < PLANTS; p++) {
    const zone = p % 2 ? 'Pacific/Auckland' : 'America/New_York';
    tree.putPlant({ id: `p${p}`, tenant_id: p < 3 ? 'small' : 'd', name: `P${p}`, lat: 0, lon: 0, timezone: zone, capacity_kw: 10 });
    tree.putDevice({ sn: `S${p}`, plant_id: `p${p}`, kind: 'inverter', rated_power_w: 10_000 });
  }
  return { registry, live: new LiveState({ offlineAfterMs: 15 * 60_000, now: NOW }) };
}

function records(registry: Registry, at: number, energy: (p: number) => number, plants = PLANTS): AppliedRecord[] {
  return Array.from({ length: plants }, (_, p) => {
    const plant = registry.tree.plants.get(`p${p}`)!;
    return {
      index: p, sn: `S${p}`, tsMs: at, status: 'normal', power_w: 100 * p, e_today_kwh: energy(p), e_total_kwh: null, pv: [],
      battery_soc: null, battery_power_w: null, grid_power_w: null, load_power_w: null, temperature_c: null, fault_code: null,
      plant_id: plant.id, local_date: localDate(at, plant.timezone), e_delta_kwh: energy(p), p_delta_w: 100 * p
    };
  });
}

describe('series of a large subtree', () => {
  it('stay equal to the sum over its plants as records arrive', () => {
    const { registry, live } = fleet();
    live.apply(TelemetryBatch.of(records(registry, NOW - 60_000, (p) => p + 1)), NOW);
    const first = buildSnapshot(registry, live, 'd', NOW);
    const sumToday = Array.from({ length: PLANTS }, (_, p) => p + 1).reduce((a, b) => a + b, 0);
    expect(first.kpi.today_kwh).toBe(sumToday);
    // More energy arrives after the running sums exist: they must follow it.
    live.apply(TelemetryBatch.of(records(registry, NOW - 30_000, () => 0.5)), NOW);
    const second = buildSnapshot(registry, live, 'd', NOW);
    const byDate = new Map<string, number>();
    for (const plant of registry.tree.plants.values()) {
      const date = localDate(NOW, plant.timezone);
      byDate.set(date, (byDate.get(date) ?? 0) + live.plantDayEnergy(plant.id, date));
    }
    for (const day of second.series.days.filter((d) => byDate.has(d.date))) expect(day.kwh).toBeCloseTo(byDate.get(day.date)!, 6);
    expect(second.series.years.at(-1)!.kwh).toBeCloseTo(sumToday + 0.5 * PLANTS, 6);
    // The small subtree sums its own plants and agrees.
    expect(buildSnapshot(registry, live, 'small', NOW).kpi.today_kwh).toBeCloseTo(1 + 2 + 3 + 1.5, 6);
  });

  it('follow records into every large subtree that holds them, whichever was opened first', () => {
    // An installer with a large subtree of its own under the distributor: the installer's room
    // opens first, the distributor's after records have arrived, then more records come.
    const registry = new Registry(null as unknown as ClickHouseClient);
    const tree = registry.tree;
    tree.putTenant({ id: 'd', name: 'D', parent_id: null, kind: 'distributor', timezone: 'UTC' });
    tree.putTenant({ id: 'i', name: 'I', parent_id: 'd', kind: 'installer' });
    const plants = 2 * LARGE_SUBTREE;
    for (let p = 0; p < plants; p++) {
      tree.putPlant({ id: `p${p}`, tenant_id: p < LARGE_SUBTREE ? 'i' : 'd', name: `P${p}`, lat: 0, lon: 0, timezone: 'UTC', capacity_kw: 10 });
      tree.putDevice({ sn: `S${p}`, plant_id: `p${p}`, kind: 'inverter', rated_power_w: 10_000 });
    }
    const live = new LiveState({ offlineAfterMs: 15 * 60_000, now: NOW });
    const batch = (at: number, energy: (p: number) => number) => TelemetryBatch.of(records(registry, at, energy, plants));
    const today = (tenant: string, at: number) => buildSnapshot(registry, live, tenant, at).series.days.at(-1)!.kwh;
    live.apply(batch(NOW - 90_000, () => 1), NOW);
    expect(today('i', NOW)).toBeCloseTo(LARGE_SUBTREE, 6);
    live.apply(batch(NOW - 60_000, () => 2), NOW);
    expect(today('d', NOW)).toBeCloseTo(3 * plants, 6);
    live.apply(batch(NOW - 30_000, (p) => (p < LARGE_SUBTREE ? 4 : 8)), NOW);
    expect(today('i', NOW)).toBeCloseTo(7 * LARGE_SUBTREE, 6);
    expect(today('d', NOW)).toBeCloseTo(7 * LARGE_SUBTREE + 11 * LARGE_SUBTREE, 6);
  });

  it('keeps a plant point object while nothing shown changes, and replaces it when something does', () => {
    const { registry, live } = fleet();
    live.apply(TelemetryBatch.of(records(registry, NOW - 60_000, () => 1)), NOW);
    const a = buildSnapshot(registry, live, 'd', NOW).plants.find((p) => p.id === 'p5')!;
    const b = buildSnapshot(registry, live, 'd', NOW + 1000).plants.find((p) => p.id === 'p5')!;
    expect(b).toBe(a);
    // Past offline_after with no record, the plant turns offline without any ingest.
    const later = buildSnapshot(registry, live, 'd', NOW + 16 * 60_000).plants.find((p) => p.id === 'p5')!;
    expect(later).not.toBe(a);
    expect(later.status).toBe('offline');
  });
});
