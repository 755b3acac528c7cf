import { isPosition } from './plant-markers.ts';

/** Plants' coordinates as columns (a PlantTable is one). */
export interface PlantPositions {
  length: number;
  lat: ArrayLike<number>;
  lon: ArrayLike<number>;
}

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

/**
 * The plants' extent, widened to a sensible minimum; the world when there is nothing to place.
 * Longitudes take the shorter way round: a fleet in New Zealand and Hawaii is framed across the
 * Pacific (east past 180°), not across the whole world.
 */
export function plantsExtent(plants: PlantPositions): Bounds {
  // Loops, not Math.min(...lats): a spread of a million plants' latitudes overflows the stack.
  const lons = new Float64Array(plants.length);
  let placed = 0;
  let south = Infinity;
  let north = -Infinity;
  for (let i = 0; i < plants.length; i++) {
    const lat = plants.lat[i];
    const lon = plants.lon[i];
    if (!isPosition(lat, lon)) continue;
    lons[placed++] = lon;
    if (lat < south) south = lat;
    if (lat > north) north = lat;
  }
  if (placed === 0) return WORLD;
  const [west, east] = lonSpan(lons.subarray(0, placed));
  const [w, e] = widen(west, east, -Infinity, Infinity);
  const [s, n] = widen(south, north, -85, 85);
  return [
    [w, s],
    [e, n]
  ];
}

// A world-wide fleet is shown the familiar way (Greenwich in the middle) unless crossing the
// antimeridian saves at least this much longitude.
const WRAP_ADVANTAGE_DEG = 30;

/** West and east of the smallest longitude window holding every plant: the complement of the widest empty gap. */
function lonSpan(lons: Float64Array): [number, number] {
  // A typed array sorts numerically in place, with no comparator call per pair: a million
  // longitudes in tens of milliseconds.
  const sorted = lons.sort();
  const first = sorted[0];
  const last = sorted[sorted.length - 1];
  let gap = first + 360 - last + WRAP_ADVANTAGE_DEG;
  let span: [number, number] = [first, last];
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i] - sorted[i - 1] > gap) {
      gap = sorted[i] - sorted[i - 1];
      span = [sorted[i], sorted[i - 1] + 360];
    }
  }
  return span;
}

function widen(lo: number, hi: number, min: number, max: number): [number, number] {
  const pad = Math.max(0, MIN_SPAN_DEG - (hi - lo)) / 2;
  return [Math.max(min, lo - pad), Math.min(max, hi + pad)];
}
