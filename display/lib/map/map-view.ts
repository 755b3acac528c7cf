import type { BBox } from './plant-clusters.ts';

const MERCATOR_LAT = 85.06;

/** Where the page wants the map to look: a plant of the fly-through, or null for the whole fleet. */
export interface MapFocus {
  lon: number;
  lat: number;
  /** Defaults to FOCUS_ZOOM: close enough that the plant stands alone, with its city named. */
  zoom?: number;
}

/** Past the clusters' last level (CLUSTER_MAX_ZOOM), so the focused plant is drawn on its own. */
export const FOCUS_ZOOM = 10;
/** Above this zoom every plant is drawn on its own. */
export const CLUSTER_MAX_ZOOM = 9;

/** Same place, same zoom: a new object with the same values must not restart the flight. */
export function focusKey(focus: MapFocus | null | undefined): string | null {
  if (!focus || !Number.isFinite(focus.lon) || !Number.isFinite(focus.lat)) return null;
  return `${focus.lon},${focus.lat},${focus.zoom ?? FOCUS_ZOOM}`;
}

/**
 * The view widened by `share` of its size on every side: clusters are asked for this box, so a
 * slow pan or a flight re-asks only when it leaves it (or crosses a whole zoom level).
 */
export function padBBox([west, south, east, north]: BBox, share = 0.5): BBox {
  const dx = (east - west) * share;
  const dy = (north - south) * share;
  if (east - west + 2 * dx >= 360) return [-180, Math.max(-MERCATOR_LAT, south - dy), 180, Math.min(MERCATOR_LAT, north + dy)];
  return [west - dx, Math.max(-MERCATOR_LAT, south - dy), east + dx, Math.min(MERCATOR_LAT, north + dy)];
}

/** Whether `inner` lies wholly in `outer` (a world-wide `outer` holds any longitude). */
export function containsBBox(outer: BBox, inner: BBox): boolean {
  const lonOk = outer[2] - outer[0] >= 360 || (inner[0] >= outer[0] && inner[2] <= outer[2]);
  // Web Mercator ends at ±85.06°: a view reaching the edge is still held by a box clamped there.
  return lonOk && Math.max(inner[1], -MERCATOR_LAT) >= outer[1] && Math.min(inner[3], MERCATOR_LAT) <= outer[3];
}
