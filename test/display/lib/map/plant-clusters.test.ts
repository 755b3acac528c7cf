import { describe, expect, it } from 'vitest';
import type { PlantPoint } from '$contract';
import { PlantClusterIndex, type BBox } from '$lib/map/plant-clusters.ts';

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
  ix.update(plants);
  return ix;
};

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
    const next = plants.slice();
    next[10] = { ...plants[10], status: 'fault' };
    expect(ix.update(next)).toBe('patched');
    const munich = ix.query(WORLD, 1).clusters.find((c) => c.count === 50);
    expect(munich?.status).toBe('fault');
    // Same clusters (ids) as before: nothing was re-clustered.
    expect(ix.query(WORLD, 1).clusters.map((c) => c.id).sort()).toEqual(before);

    // And back: the fault clears, the cluster is green again.
    const cleared = next.slice();
    cleared[10] = { ...next[10], status: 'normal' };
    expect(ix.update(cleared)).toBe('patched');
    expect(ix.query(WORLD, 1).clusters.every((c) => c.status === 'normal')).toBe(true);
  });

  it('keeps every zoom level consistent after a patch', () => {
    const plants = fleet();
    const ix = index(plants);
    const next = plants.slice();
    next[0] = { ...plants[0], status: 'protect', capacity_kw: 1100 };
    ix.update(next);
    for (let z = 0; z <= 12; z++) {
      const view = ix.query(WORLD, z);
      const protect = view.clusters.filter((c) => c.status === 'protect').length + (view.plants.includes(0) ? 1 : 0);
      expect(protect, `zoom ${z}`).toBe(1);
      const capacity = view.clusters.reduce((s, c) => s + c.capacityKw, 0) + view.plants.reduce((s, i) => s + next[i].capacity_kw, 0);
      expect(capacity, `zoom ${z}`).toBe(1000 + 5300);
    }
    expect(ix.largestKw).toBe(1100);
  });

  it('rebuilds when a plant moves, is added or removed, and does nothing for the same array', () => {
    const plants = fleet();
    const ix = index(plants);
    expect(ix.update(plants)).toBe('unchanged');
    expect(ix.update(plants.slice())).toBe('unchanged');
    const moved = plants.slice();
    moved[0] = { ...plants[0], lat: 10, lon: 10 };
    expect(ix.update(moved)).toBe('rebuilt');
    expect(ix.query(WORLD, 1).plants).toEqual([0]);
    expect(ix.update([...moved, plant('new')])).toBe('rebuilt');
    expect(ix.update(moved.slice(1))).toBe('rebuilt');
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
