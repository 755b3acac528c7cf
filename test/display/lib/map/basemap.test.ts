import { describe, expect, it } from 'vitest';
import type { FeatureCollection } from 'geojson';
import { offlineStyle } from '$lib/map/basemap.ts';
import { worldCountries } from '$lib/map/countries.ts';

const colors = { ocean: '#010203', land: '#0a0b0c', borders: '#111213' };

describe('offlineStyle', () => {
  it('needs no network: no tiles, glyphs or sprite, only inline GeoJSON', () => {
    const style = offlineStyle({ type: 'FeatureCollection', features: [] } as FeatureCollection, colors);
    expect(style.glyphs).toBeUndefined();
    expect(style.sprite).toBeUndefined();
    for (const source of Object.values(style.sources)) {
      expect(source.type).toBe('geojson');
      expect(JSON.stringify(source)).not.toMatch(/https?:/);
    }
  });

  it('paints ocean, land and borders in the theme colours', () => {
    const style = JSON.stringify(offlineStyle({ type: 'FeatureCollection', features: [] }, colors));
    for (const c of Object.values(colors)) expect(style).toContain(c);
  });
});

describe('worldCountries', () => {
  it('converts the bundled atlas to country polygons', () => {
    const countries = worldCountries();
    expect(countries.features.length).toBeGreaterThan(150);
    expect(countries.features[0].geometry.type).toMatch(/Polygon/);
  });
});

describe('countries across the antimeridian', () => {
  it('have no ring that jumps across the whole world (no lines across the map)', () => {
    let worst = 0;
    for (const f of worldCountries().features) {
      const g = f.geometry;
      const polygons = g.type === 'Polygon' ? [g.coordinates] : g.type === 'MultiPolygon' ? g.coordinates : [];
      for (const ring of polygons.flat()) {
        for (let i = 1; i < ring.length; i++) worst = Math.max(worst, Math.abs(ring[i][0] - ring[i - 1][0]));
      }
    }
    expect(worst).toBeLessThan(180);
  });

  it('still include Russia and Fiji', () => {
    const names = worldCountries().features.map((f) => f.properties?.name);
    expect(names).toEqual(expect.arrayContaining(['Russia', 'Fiji']));
  });
});
