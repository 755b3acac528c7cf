import type { PlantPoint } from '$contract';
import { isPosition } from './plant-markers.ts';

/** [[west, south], [east, north]] in degrees, as MapLibre's fitBounds takes it. */
export type Bounds = [[number, number], [number, number]];

/** The whole inhabited world (Web Mercator cannot show the poles anyway). */
export const WORLD: Bounds = [
  [-170, -58],
  [190, 78]
];

// One plant, or plants a few metres apart, would otherwise zoom to street level on a wall
// that has no street map: keep at least this many degrees in view.
const MIN_SPAN_DEG = 8;

/** The plants' extent, widened to a sensible minimum; the world when there is nothing to place. */
export function plantsExtent(plants: readonly Pick<PlantPoint, 'lat' | 'lon'>[]): Bounds {
  const placed = plants.filter((p) => isPosition(p.lat, p.lon));
  if (placed.length === 0) return WORLD;
  let west = Infinity;
  let east = -Infinity;
  let south = Infinity;
  let north = -Infinity;
  for (const { lat, lon } of placed) {
    west = Math.min(west, lon);
    east = Math.max(east, lon);
    south = Math.min(south, lat);
    north = Math.max(north, lat);
  }
  const widen = (lo: number, hi: number, limit: number): [number, number] => {
    const pad = Math.max(0, MIN_SPAN_DEG - (hi - lo)) / 2;
    return [Math.max(-limit, lo - pad), Math.min(limit, hi + pad)];
  };
  [west, east] = widen(west, east, 180);
  [south, north] = widen(south, north, 85);
  return [
    [west, south],
    [east, north]
  ];
}
