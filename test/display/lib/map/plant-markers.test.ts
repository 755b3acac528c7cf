import { describe, expect, it } from 'vitest';
import type { PlantPoint } from '$contract';
import { alertColumns, alertHalos, capacityRadius, hexToRgba, markerStatus, patchMarkers, plantMarkerColumns, plantMarkers } from '$lib/map/plant-markers.ts';
import { PlantTable } from '$lib/socket/plant-table.ts';
import { encodePlants } from '../../../../server/live/columnar.ts';

const palette = {
  all: '#ffffff',
  normal: '#00ff00',
  standby: '#0000ff',
  protect: '#ffaa00',
  fault: '#ff0000',
  offline: '#808080'
};
const range = { minPx: 3, maxPx: 15 };

function plant(id: string, over: Partial<PlantPoint> = {}): PlantPoint {
  return { id, name: id, lat: 48, lon: 11, status: 'normal', power_w: 0, today_kwh: 0, capacity_kw: 100, ...over };
}

describe('hexToRgba', () => {
  it('reads #rrggbb, #rgb and #rrggbbaa', () => {
    expect(hexToRgba('#ff4d5e')).toEqual([255, 77, 94, 255]);
    expect(hexToRgba('#0f0')).toEqual([0, 255, 0, 255]);
    expect(hexToRgba('#00000080')).toEqual([0, 0, 0, 128]);
  });
  it('falls back to grey for a broken colour instead of drawing black', () => {
    expect(hexToRgba('red')).toEqual([128, 128, 128, 255]);
  });
});

describe('capacityRadius', () => {
  it('gives the largest plant the max radius and scales area, not radius, with capacity', () => {
    expect(capacityRadius(1000, 1000, range)).toBe(15);
    // A quarter of the capacity is half the (radius above the minimum).
    expect(capacityRadius(250, 1000, range)).toBeCloseTo(3 + 12 * 0.5);
  });
  it('never draws a plant smaller than the minimum, even with no capacity known', () => {
    expect(capacityRadius(0, 1000, range)).toBe(3);
    expect(capacityRadius(5, 0, range)).toBe(3);
  });
});

describe('plantMarkers', () => {
  it('places each plant at [lon, lat] in its status colour', () => {
    const [m] = plantMarkers([plant('a', { lat: 52.5, lon: 13.4, status: 'fault' })], palette, range);
    expect(m.position).toEqual([13.4, 52.5]);
    expect(m.color).toEqual([255, 0, 0, 255]);
  });

  it('drops plants without a usable position rather than drawing them at 0,0', () => {
    const markers = plantMarkers(
      [plant('ok'), plant('nan', { lat: Number.NaN }), plant('far', { lon: 200 })],
      palette,
      range
    );
    expect(markers.map((m) => m.id)).toEqual(['ok']);
  });

  it('draws faults last (on top) so healthy neighbours never hide them', () => {
    const markers = plantMarkers(
      [plant('f', { status: 'fault' }), plant('n', { status: 'normal' }), plant('o', { status: 'offline' }), plant('p', { status: 'protect' })],
      palette,
      range
    );
    expect(markers.map((m) => m.id)).toEqual(['o', 'n', 'p', 'f']);
  });

  it('sizes by capacity relative to the largest plant of the fleet', () => {
    const markers = plantMarkers([plant('big', { capacity_kw: 4000 }), plant('small', { capacity_kw: 1000 })], palette, range);
    const r = Object.fromEntries(markers.map((m) => [m.id, m.radius]));
    expect(r.big).toBe(15);
    expect(r.small).toBeCloseTo(9);
  });

  it("sizes against the whole fleet's largest plant when given only the plants in view", () => {
    const [m] = plantMarkers([plant('small', { capacity_kw: 1000 })], palette, range, 4000);
    expect(m.radius).toBeCloseTo(9);
  });

  it('builds a new array on every call, so deck.gl sees changed data', () => {
    const plants = [plant('a')];
    expect(plantMarkers(plants, palette, range)).not.toBe(plantMarkers(plants, palette, range));
  });
});

describe('alertHalos', () => {
  it('rings only plants in fault or protection', () => {
    const markers = plantMarkers(
      [plant('f', { status: 'fault' }), plant('n'), plant('p', { status: 'protect' }), plant('o', { status: 'offline' })],
      palette,
      range
    );
    expect(alertHalos(markers).map((m) => m.id).sort()).toEqual(['f', 'p']);
  });
});

describe('plantMarkerColumns', () => {
  const points = [
    plant('f', { lat: 1, lon: 2, status: 'fault' }),
    plant('n', { lat: 3, lon: 4 }),
    plant('nan', { lat: Number.NaN }),
    plant('p', { lat: 5, lon: 6, status: 'protect', capacity_kw: 400 })
  ];
  const fleet = PlantTable.fromPoints(points);

  it('lays the markers out as typed columns in draw order, faults last', () => {
    const c = plantMarkerColumns(fleet, palette, range);
    expect(c.length).toBe(3);
    expect([...c.plant]).toEqual([1, 3, 0]);
    expect([...c.position]).toEqual([4, 3, 6, 5, 2, 1]);
    expect([...c.color.subarray(8, 12)]).toEqual([255, 0, 0, 255]);
    expect(markerStatus(c, 2)).toBe('fault');
  });

  it('takes only the plants asked for, by index into the fleet', () => {
    const c = plantMarkerColumns(fleet, palette, range, 400, [3, 2]);
    expect([...c.plant]).toEqual([3]);
    expect(c.radius[0]).toBe(15);
  });

  it('picks the plants in fault or protection for the halos', () => {
    const alerts = alertColumns(plantMarkerColumns(fleet, palette, range));
    expect([...alerts.plant]).toEqual([3, 0]);
    expect([...alerts.position]).toEqual([6, 5, 2, 1]);
  });

  it('writes a delta into the markers of the changed plants only, in place', () => {
    const table = PlantTable.fromPoints(points);
    const c = plantMarkerColumns(table, palette, range, 400);
    const before = c.color.slice();
    // 'n' (marker 0) turns fault; 'nan' (not drawn) changes too.
    const next = table.apply(encodePlants([{ ...points[1], status: 'fault' }, { ...points[2], power_w: 5 }]));
    expect(patchMarkers(c, next, next.changes!.rows, palette, range, 400)).toEqual([0]);
    expect([...c.color.subarray(0, 4)]).toEqual([255, 0, 0, 255]);
    expect(markerStatus(c, 0)).toBe('fault');
    expect([...c.color.subarray(4)]).toEqual([...before.subarray(4)]);
  });
});
