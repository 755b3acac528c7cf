import { describe, expect, it } from 'vitest';
import { edgeFor, edgePath, flowEdges, lineWidth, MAX_WIDTH, MIN_WIDTH, NODE_AT, HUB, solarShare } from '$lib/modes/flow.ts';

describe('power flow', () => {
  it('follows the contract signs: battery + charging, grid + importing', () => {
    expect(edgeFor('battery', 2000)).toMatchObject({ direction: 'out', state: 'charging', watts: 2000 });
    expect(edgeFor('battery', -1500)).toMatchObject({ direction: 'in', state: 'discharging', watts: 1500 });
    expect(edgeFor('grid', 800)).toMatchObject({ direction: 'in', state: 'importing' });
    expect(edgeFor('grid', -3000)).toMatchObject({ direction: 'out', state: 'exporting', watts: 3000 });
    expect(edgeFor('pv', 5000)).toMatchObject({ direction: 'in', state: 'producing' });
    expect(edgeFor('home', 1200)).toMatchObject({ direction: 'out', state: 'consuming' });
  });

  it('calls a trickle or a night-time negative PV reading idle', () => {
    expect(edgeFor('grid', 4)).toMatchObject({ direction: 'idle', state: 'idle' });
    expect(edgeFor('pv', -30)).toMatchObject({ direction: 'idle', watts: 0 });
    expect(edgeFor('battery', Number.NaN)).toMatchObject({ direction: 'idle', watts: 0 });
  });

  it('draws the largest flow thickest and keeps small ones visible', () => {
    expect(lineWidth(6000, 6000)).toBe(MAX_WIDTH);
    expect(lineWidth(0, 6000)).toBe(MIN_WIDTH);
    const small = lineWidth(300, 6000);
    expect(small).toBeGreaterThan(MIN_WIDTH + 2);
    expect(small).toBeLessThan(lineWidth(3000, 6000));
  });

  it('has one edge per reading the plant reports', () => {
    const edges = flowEdges({ pv_w: 6000, battery_w: -500, battery_soc: 80, grid_w: null, load_w: 6500 });
    expect(edges.map((e) => e.node)).toEqual(['pv', 'battery', 'home']);
    expect(edges.find((e) => e.node === 'home')?.width).toBe(MAX_WIDTH);
  });

  it('draws each path from where power comes from to where it goes', () => {
    const start = (d: string) => d.slice(1).split(' ')[0].split(',').map(Number);
    const dist = (p: number[], q: { x: number; y: number }) => Math.hypot(p[0] - q.x, p[1] - q.y);
    // Exporting: from the hub out to the grid node, so the dashes start near the hub.
    const exporting = start(edgePath({ node: 'grid', direction: 'out' }));
    expect(dist(exporting, HUB)).toBeLessThan(dist(exporting, NODE_AT.grid));
    const importing = start(edgePath({ node: 'grid', direction: 'in' }));
    expect(dist(importing, NODE_AT.grid)).toBeLessThan(dist(importing, HUB));
  });

  it('says how much of the charging the sun covers', () => {
    expect(solarShare({ power_w: 7000, solar_w: 3500 })).toBe(0.5);
    expect(solarShare({ power_w: 7000, solar_w: 9000 })).toBe(1);
    expect(solarShare({ power_w: 0, solar_w: 0 })).toBeNull();
    expect(solarShare(null)).toBeNull();
  });
});
