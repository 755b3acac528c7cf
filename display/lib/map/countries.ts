import { feature } from 'topojson-client';
import type { Topology, GeometryCollection } from 'topojson-specification';
import type { Feature, FeatureCollection, Polygon, MultiPolygon, Position } from 'geojson';
// 50m rather than 110m: at 3840 px wide the 110m coastlines look like polygons drawn by hand.
import atlas from 'world-atlas/countries-50m.json';

// Antarctica: no plants, and in Web Mercator it is a white band that eats a fifth of the wall.
const LEFT_OUT = new Set(['010']);

let cached: FeatureCollection | null = null;

/** World countries as GeoJSON, converted once per page (the conversion takes tens of ms). */
export function worldCountries(): FeatureCollection {
  if (cached) return cached;
  // The JSON's inferred type is structural and too wide for topojson's; it is a Topology by contract.
  const topology = atlas as unknown as Topology<{ countries: GeometryCollection }>;
  const all = feature(topology, topology.objects.countries) as FeatureCollection;
  cached = {
    type: 'FeatureCollection',
    features: all.features.filter((f) => !LEFT_OUT.has(String(f.id))).map(unwrapAntimeridian)
  };
  return cached;
}

/**
 * Russia and Fiji cross the antimeridian: their rings jump from 180° to -180°, which a planar
 * renderer draws as a line (and a filled band) across the whole world. Shifting the points after
 * each jump by ±360° keeps every ring continuous; MapLibre draws longitudes past 180 fine.
 */
export function unwrapAntimeridian(f: Feature): Feature {
  const g = f.geometry;
  if (g.type === 'Polygon') return { ...f, geometry: { ...g, coordinates: g.coordinates.map(unwrapRing) } as Polygon };
  if (g.type === 'MultiPolygon') {
    return { ...f, geometry: { ...g, coordinates: g.coordinates.map((p) => p.map(unwrapRing)) } as MultiPolygon };
  }
  return f;
}

function unwrapRing(ring: Position[]): Position[] {
  let offset = 0;
  return ring.map((point, i) => {
    if (i > 0) {
      const step = point[0] - ring[i - 1][0];
      if (step > 180) offset -= 360;
      else if (step < -180) offset += 360;
    }
    return offset ? [point[0] + offset, point[1]] : point;
  });
}
