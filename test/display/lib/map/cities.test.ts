import { describe, expect, it } from 'vitest';
import { cityPopulationThreshold, cityTable, placeCityLabels, type CityTable, type SourceCity } from '$lib/map/cities.ts';

const source = (name: string, population: number, lon = 0, lat = 0): SourceCity => ({ name, population, loc: { coordinates: [lon, lat] } });

describe('cityTable (the build step)', () => {
  it('keeps cities of 100,000 or more, largest first, as columns', () => {
    const table = cityTable([source('Town', 99_999), source('Lyon', 500_000, 4.8357, 45.7485), source('Paris', 2_100_000, 2.3488, 48.8534)]);
    expect(table.name).toEqual(['Paris', 'Lyon']);
    expect(table.population).toEqual([2_100_000, 500_000]);
    expect([table.lon[0], table.lat[0]]).toEqual([2.349, 48.853]);
  });
});

describe('cityPopulationThreshold', () => {
  it('names no city at continent scale', () => {
    expect(cityPopulationThreshold(2)).toBeNull();
    expect(cityPopulationThreshold(4.9)).toBeNull();
  });
  it('names more, smaller cities as the map zooms in', () => {
    const thresholds = [5, 6, 7, 8, 12].map((z) => cityPopulationThreshold(z)!);
    expect(thresholds[0]).toBe(1_000_000);
    for (let i = 1; i < thresholds.length; i++) expect(thresholds[i]).toBeLessThanOrEqual(thresholds[i - 1]);
    expect(thresholds.at(-1)).toBe(100_000);
  });
});

describe('placeCityLabels', () => {
  // A flat projection: 10 px per degree, origin at 0,0 top-left (y grows southward).
  const project = (lon: number, lat: number): [number, number] => [lon * 10, -lat * 10];
  const table: CityTable = {
    name: ['Big', 'Near Big', 'Far', 'Small', 'Offscreen'],
    lon: [50, 51, 80, 20, 500],
    lat: [-50, -50, -20, -20, -50],
    population: [3_000_000, 1_500_000, 1_200_000, 150_000, 2_000_000]
  };
  const place = { project, width: 1000, height: 1000, fontPx: 16, max: 10 };

  it('drops a smaller city whose name would overlap a bigger one', () => {
    expect(placeCityLabels(table, 5, place).map((c) => c.name)).toEqual(['Big', 'Far']);
  });
  it('adds smaller cities as the zoom passes their threshold', () => {
    expect(placeCityLabels(table, 9, place).map((c) => c.name)).toContain('Small');
  });
  it('names nothing when zoomed out, and never more than the cap', () => {
    expect(placeCityLabels(table, 3, place)).toEqual([]);
    expect(placeCityLabels(table, 9, { ...place, max: 1 }).map((c) => c.name)).toEqual(['Big']);
  });

  it('moves a name to another side of its dot rather than over a plant', () => {
    const above = placeCityLabels(table, 5, place).find((c) => c.name === 'Far');
    expect(above?.side).toBe('above');
    // A cluster just above Far's dot (800, 200).
    const moved = placeCityLabels(table, 5, { ...place, obstacles: [[770, 170, 830, 195]] }).find((c) => c.name === 'Far');
    expect(moved?.side).toBe('below');
  });
  it('leaves a city unnamed when a marker covers its dot', () => {
    const names = placeCityLabels(table, 5, { ...place, obstacles: [[790, 190, 810, 210]] }).map((c) => c.name);
    expect(names).not.toContain('Far');
  });
});
