import { describe, expect, it } from 'vitest';
import { PLANT_STATUSES, type PlantPoint, type PlantStatus } from '$contract';
import { PlantClusterIndex, sameView, type BBox } from '$lib/map/plant-clusters.ts';
import { PlantTable } from '$lib/socket/plant-table.ts';

const WORLD: BBox = [-180, -85, 180, 85];

function plant(id: string, over: Partial<PlantPoint> = {}): PlantPoint {
  return { id, name: id, lat: 48, lon: 11, status: 'normal', power_w: 0, today_kwh: 0, capacity_kw: 100, ...over };
}

/** 50 plants around Munich and 30 around Sydney, all normal. */
function fleet(): PlantPoint[] {
  const munich = Array.from({ length: 50 }, (_, i) => plant(`m${i}`, { lat: 48.1 + (i % 7) * 0.01, lon: 11.5 + i * 0.01 }));
  const sydney = Array.from({ length: 30 }, (_, i) => plant(`s${i}`, { lat: -33.9 + (i % 5) * 0.01, lon: 151.2 + i * 0.01, capacity_kw: 10 }));
  return [...munich, ...sydney];
}

const index = (plants: PlantPoint[]) => {
  const ix = new PlantClusterIndex({ radiusPx: 40, maxZoom: 12 });
  ix.load(PlantTable.fromPoints(plants));
  return ix;
};
const code = (s: PlantStatus) => PLANT_STATUSES.indexOf(s);

describe('PlantClusterIndex', () => {
  it('groups each region into one cluster at world zoom, with its count and capacity', () => {
    const view = index(fleet()).query(WORLD, 1);
    expect(view.plants).toEqual([]);
    const byCount = view.clusters.map((c) => [c.count, c.capacityKw]).sort((a, b) => a[0] - b[0]);
    expect(byCount).toEqual([
      [30, 300],
      [50, 5000]
    ]);
  });

  it('draws every plant on its own past the cluster zoom', () => {
    const view = index(fleet()).query(WORLD, 13);
    expect(view.clusters).toEqual([]);
    expect(view.plants).toHaveLength(80);
  });

  it('returns only what lies in the view', () => {
    const view = index(fleet()).query([100, -50, 180, 0], 1);
    expect(view.clusters.map((c) => c.count)).toEqual([30]);
  });

  it('colours a cluster by the worst status inside it', () => {
    const plants = fleet();
    plants[3] = { ...plants[3], status: 'offline' };
    plants[7] = { ...plants[7], status: 'fault' };
    plants[60] = { ...plants[60], status: 'protect' };
    const statuses = index(plants)
      .query(WORLD, 1)
      .clusters.map((c) => [c.count, c.status])
      .sort((a, b) => Number(a[0]) - Number(b[0]));
    expect(statuses).toEqual([
      [30, 'protect'],
      [50, 'fault']
    ]);
  });

  it('patches a status change from a delta without rebuilding, and the cluster recolours', () => {
    const plants = fleet();
    const ix = index(plants);
    const before = ix.query(WORLD, 1).clusters.map((c) => c.id).sort();
    ix.patch([10], [code('fault')], [plants[10].capacity_kw]);
    const munich = ix.query(WORLD, 1).clusters.find((c) => c.count === 50);
    expect(munich?.status).toBe('fault');
    // Same clusters (ids) as before: nothing was re-clustered.
    expect(ix.query(WORLD, 1).clusters.map((c) => c.id).sort()).toEqual(before);

    // And back: the fault clears, the cluster is green again.
    ix.patch([10], [code('normal')], [plants[10].capacity_kw]);
    expect(ix.query(WORLD, 1).clusters.every((c) => c.status === 'normal')).toBe(true);
  });

  it('keeps every zoom level consistent after a patch', () => {
    const plants = fleet();
    const ix = index(plants);
    const next = plants.slice();
    next[0] = { ...plants[0], status: 'protect', capacity_kw: 1100 };
    ix.patch([0], [code('protect')], [1100]);
    for (let z = 0; z <= 12; z++) {
      const view = ix.query(WORLD, z);
      const protect = view.clusters.filter((c) => c.status === 'protect').length + (view.plants.includes(0) ? 1 : 0);
      expect(protect, `zoom ${z}`).toBe(1);
      const capacity = view.clusters.reduce((s, c) => s + c.capacityKw, 0) + view.plants.reduce((s, i) => s + next[i].capacity_kw, 0);
      expect(capacity, `zoom ${z}`).toBe(1000 + 5300);
    }
    expect(ix.largestKw).toBe(1100);
  });

  it('tallies every plant exactly once at every zoom level of a large fleet', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    const statuses: PlantStatus[] = ['normal', 'normal', 'normal', 'fault', 'protect', 'offline'];
    const plants = Array.from({ length: 5000 }, (_, i) =>
      plant(`r${i}`, { lat: 40 + random() * 15, lon: -5 + random() * 25, status: statuses[i % statuses.length], capacity_kw: 1 + (i % 10) })
    );
    const ix = index(plants);
    const totalKw = plants.reduce((sum, p) => sum + p.capacity_kw, 0);
    for (let z = 0; z <= 13; z++) {
      const view = ix.query(WORLD, z);
      const count = view.clusters.reduce((sum, c) => sum + c.count, 0) + view.plants.length;
      const kw = view.clusters.reduce((sum, c) => sum + c.capacityKw, 0) + view.plants.reduce((sum, i) => sum + plants[i].capacity_kw, 0);
      expect(count, `zoom ${z}`).toBe(5000);
      expect(kw, `zoom ${z}`).toBeCloseTo(totalKw, 6);
      // At the top, the whole fleet sits in a few clusters: every one of them holds a fault.
      if (z === 0) expect(view.clusters.every((c) => c.status === 'fault')).toBe(true);
    }
  });

  it('leaves out plants without a usable position', () => {
    const ix = index([plant('ok'), plant('nan', { lat: Number.NaN }), plant('far', { lon: 200 })]);
    expect(ix.placed).toBe(1);
    expect(ix.query(WORLD, 14).plants).toEqual([0]);
  });

  it('handles an empty fleet', () => {
    const ix = index([]);
    expect(ix.query(WORLD, 2)).toEqual({ clusters: [], plants: [] });
  });
});

describe('sameView', () => {
  // The map keeps its layers when a delta's view comes out the same: it must still see every change.
  it('holds after a change out of view and fails once a plant in view changes what its cluster shows', () => {
    const ix = index(fleet());
    const sydney: BBox = [100, -50, 180, 0];
    const before = ix.query(sydney, 1);
    ix.patch([3], [code('fault')], [100]);
    expect(sameView(before, ix.query(sydney, 1)), 'Munich changed, Sydney did not').toBe(true);
    expect(sameView(before, ix.query(sydney, 13)), 'another zoom').toBe(false);
    ix.patch([60], [code('protect')], [10]);
    expect(sameView(before, ix.query(sydney, 1)), 'a plant in Sydney went to protect').toBe(false);
    const protect = ix.query(sydney, 1);
    ix.patch([60], [code('protect')], [25]);
    expect(sameView(protect, ix.query(sydney, 1)), 'its capacity changed').toBe(false);
  });
});
