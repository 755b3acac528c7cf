import type { StyleSpecification } from 'maplibre-gl';
import type { FeatureCollection } from 'geojson';
import type { Theme } from '$themes/schema.ts';

/**
 * A MapLibre style that needs no network: countries as one GeoJSON source, the ocean as the
 * background. No tiles, no glyphs, no sprite, so the wall draws its map behind any firewall.
 */
export function offlineStyle(countries: FeatureCollection, colors: Theme['colors']['map']): StyleSpecification {
  return {
    version: 8,
    sources: { countries: { type: 'geojson', data: countries } },
    layers: [
      { id: 'ocean', type: 'background', paint: { 'background-color': colors.ocean } },
      { id: 'land', type: 'fill', source: 'countries', paint: { 'fill-color': colors.land } },
      {
        id: 'borders',
        type: 'line',
        source: 'countries',
        paint: { 'line-color': colors.borders, 'line-width': 0.8 }
      }
    ]
  };
}
