import type { PlantPoint, PlantStatus } from '$contract';
import type { StatusPalette } from '$themes/schema.ts';

export type Rgba = [number, number, number, number];

export interface PlantMarker {
  id: string;
  position: [number, number];
  color: Rgba;
  /** CSS pixels. */
  radius: number;
  status: PlantStatus;
}

export interface RadiusRange {
  minPx: number;
  maxPx: number;
}

/** "#rrggbb", "#rgb" or "#rrggbbaa" as deck.gl's 0–255 RGBA; unparseable colours become grey. */
export function hexToRgba(hex: string, alpha = 255): Rgba {
  let h = hex.replace(/^#/, '');
  if (h.length === 3) h = [...h].map((c) => c + c).join('');
  if (!/^[0-9a-f]{6}([0-9a-f]{2})?$/i.test(h)) return [128, 128, 128, alpha];
  const n = (i: number) => parseInt(h.slice(i, i + 2), 16);
  return [n(0), n(2), n(4), h.length === 8 ? n(6) : alpha];
}

/**
 * Marker radius by capacity on a square-root scale, so a marker's area (what the eye compares)
 * grows with capacity. The largest plant of the fleet gets maxPx; no plant drops below minPx.
 */
export function capacityRadius(capacityKw: number, largestKw: number, range: RadiusRange): number {
  if (!(largestKw > 0) || !(capacityKw > 0)) return range.minPx;
  const share = Math.sqrt(Math.min(capacityKw, largestKw) / largestKw);
  return range.minPx + (range.maxPx - range.minPx) * share;
}

// Drawn last = drawn on top: a fault must never hide under a cluster of healthy plants.
const DRAW_ORDER: Record<PlantStatus, number> = { offline: 0, normal: 1, protect: 2, fault: 3 };

/**
 * Layer data for the plants' ScatterplotLayer: one marker per plant with a usable position.
 * `largestKw` is the fleet's largest plant when `plants` is only the part of it in view, so a
 * plant keeps its size as clusters open around it.
 */
export function plantMarkers(
  plants: readonly PlantPoint[],
  palette: StatusPalette,
  range: RadiusRange,
  largestKw?: number
): PlantMarker[] {
  const placed = plants.filter((p) => isPosition(p.lat, p.lon));
  // A loop, not Math.max(...spread): a spread of a million arguments overflows the stack.
  let largest = largestKw ?? 0;
  if (largestKw === undefined) for (const p of placed) if (p.capacity_kw > largest) largest = p.capacity_kw;
  return placed
    .map((p) => ({
      id: p.id,
      position: [p.lon, p.lat] as [number, number],
      color: hexToRgba(palette[p.status] ?? palette.offline),
      radius: capacityRadius(p.capacity_kw, largest, range),
      status: p.status
    }))
    .sort((a, b) => DRAW_ORDER[a.status] - DRAW_ORDER[b.status] || b.radius - a.radius);
}

/** Plants that need attention get a halo; the rest get none. */
export function alertHalos(markers: readonly PlantMarker[]): PlantMarker[] {
  return markers.filter((m) => m.status === 'fault' || m.status === 'protect');
}

export function isPosition(lat: number, lon: number): boolean {
  return Number.isFinite(lat) && Number.isFinite(lon) && Math.abs(lat) <= 90 && Math.abs(lon) <= 180;
}
