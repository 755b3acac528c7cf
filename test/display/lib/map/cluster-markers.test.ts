import { describe, expect, it } from 'vitest';
import { clusterMarkers } from '$lib/map/cluster-markers.ts';
import type { PlantCluster } from '$lib/map/plant-clusters.ts';

const palette = { all: '#ffffff', normal: '#3ddc84', standby: '#0000ff', protect: '#ffb020', fault: '#ff4d5e', offline: '#6b7789' };
const look = { range: { minPx: 10, maxPx: 30 }, sizeBy: 'count' as const, fleetCount: 1000, fleetKw: 100_000, labelPx: 14, locale: 'en' };
const cluster = (id: number, over: Partial<PlantCluster> = {}): PlantCluster => ({ id, position: [0, 0], count: 10, capacityKw: 100, status: 'normal', ...over });

describe('clusterMarkers', () => {
  it('colours by the worst status and labels with the count', () => {
    const [m] = clusterMarkers([cluster(1, { status: 'fault', count: 1234 })], palette, look);
    expect(m.color).toEqual([255, 77, 94, 255]);
    expect(m.label).toBe('1.2K');
  });
  it('sizes by count by default, and by capacity when asked', () => {
    const many = cluster(1, { count: 500, capacityKw: 10 });
    const big = cluster(2, { count: 5, capacityKw: 50_000 });
    const byCount = Object.fromEntries(clusterMarkers([many, big], palette, look).map((m) => [m.id, m.radius]));
    expect(byCount[1]).toBeGreaterThan(byCount[2]);
    const byCapacity = Object.fromEntries(clusterMarkers([many, big], palette, { ...look, sizeBy: 'capacity' }).map((m) => [m.id, m.radius]));
    expect(byCapacity[2]).toBeGreaterThan(byCapacity[1]);
  });
  it('draws clusters in fault on top of healthy ones', () => {
    const order = clusterMarkers([cluster(1, { status: 'fault' }), cluster(2), cluster(3, { status: 'offline' })], palette, look).map((m) => m.id);
    expect(order).toEqual([2, 3, 1]);
  });
  it('writes the count in a colour that reads on the fill', () => {
    const [green] = clusterMarkers([cluster(1)], palette, look);
    expect(green.labelColor.slice(0, 3)).toEqual([11, 15, 23]);
  });
});
