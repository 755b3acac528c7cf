import type { PlantPoint, PlantStatus } from '$contract';
import { PlantTable } from '$lib/socket/plant-table.ts';
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
const BY_DRAW_ORDER: readonly PlantStatus[] = ['offline', 'normal', 'protect', 'fault'];

/**
 * The plants' markers as columns, in draw order: what the ScatterplotLayer takes as binary
 * attributes, so deck.gl copies four typed arrays to the GPU instead of calling an accessor per
 * marker per attribute, and no object per plant is allocated.
 */
export interface PlantMarkerColumns {
  length: number;
  /** Per marker: the index of its plant in the list the columns were built from. */
  plant: Uint32Array;
  /** lon, lat per marker. Float64: deck.gl keeps positions in 64 bits (its fp64 split) anyway. */
  position: Float64Array;
  /** CSS pixels. */
  radius: Float32Array;
  /** r, g, b, a (0–255) per marker. */
  color: Uint8Array;
  /** DRAW_ORDER code per marker (see markerStatus). */
  status: Uint8Array;
}

/**
 * Layer data for the plants' ScatterplotLayer: one marker per plant with a usable position.
 * `only` picks plants by index (the ones the clusters leave on their own) without copying them
 * out of the fleet. `largestKw` is the fleet's largest plant when only part of it is drawn, so a
 * plant keeps its size as clusters open around it.
 */
export function plantMarkerColumns(
  plants: PlantTable,
  palette: StatusPalette,
  range: RadiusRange,
  largestKw?: number,
  only?: ArrayLike<number>
): PlantMarkerColumns {
  const count = only ? only.length : plants.length;
  const placed: number[] = [];
  for (let k = 0; k < count; k++) {
    const i = only ? only[k] : k;
    if (i < plants.length && isPosition(plants.lat[i], plants.lon[i])) placed.push(i);
  }
  // A loop, not Math.max(...spread): a spread of a million arguments overflows the stack.
  let largest = largestKw ?? 0;
  if (largestKw === undefined) for (const i of placed) if (plants.capacity_kw[i] > largest) largest = plants.capacity_kw[i];
  const n = placed.length;
  const radii = new Float32Array(n);
  const orders = new Uint8Array(n);
  for (let k = 0; k < n; k++) {
    const i = placed[k];
    radii[k] = capacityRadius(plants.capacity_kw[i], largest, range);
    orders[k] = DRAW_ORDER[plants.statusOf(i)] ?? DRAW_ORDER.offline;
  }
  const drawOrder = Array.from({ length: n }, (_, k) => k).sort((a, b) => orders[a] - orders[b] || radii[b] - radii[a]);
  // One colour per status, not a hex parse per plant.
  const colors = BY_DRAW_ORDER.map((s) => hexToRgba(palette[s] ?? palette.offline));
  const columns: PlantMarkerColumns = {
    length: n,
    plant: new Uint32Array(n),
    position: new Float64Array(2 * n),
    radius: new Float32Array(n),
    color: new Uint8Array(4 * n),
    status: new Uint8Array(n)
  };
  for (let j = 0; j < n; j++) {
    const k = drawOrder[j];
    const i = placed[k];
    columns.plant[j] = i;
    columns.position[2 * j] = plants.lon[i];
    columns.position[2 * j + 1] = plants.lat[i];
    columns.radius[j] = radii[k];
    columns.color.set(colors[orders[k]], 4 * j);
    columns.status[j] = orders[k];
  }
  return columns;
}

const markerOfPlant = new WeakMap<PlantMarkerColumns, Map<number, number>>();

/**
 * Writes a delta's changed plants into markers built earlier, in place: colour, status and size
 * of the markers of those plants. Returns the markers it changed, in order. A marker keeps its
 * place in the draw order (plants in fault or protection are drawn again on top by the alert
 * layers, so none hides under a healthy one).
 */
export function patchMarkers(
  columns: PlantMarkerColumns,
  plants: PlantTable,
  rows: ArrayLike<number>,
  palette: StatusPalette,
  range: RadiusRange,
  largestKw: number
): number[] {
  let of = markerOfPlant.get(columns);
  if (!of) {
    of = new Map();
    for (let j = 0; j < columns.length; j++) of.set(columns.plant[j], j);
    markerOfPlant.set(columns, of);
  }
  const changed: number[] = [];
  for (let k = 0; k < rows.length; k++) {
    const i = rows[k];
    const j = of.get(i);
    if (j === undefined) continue;
    const status = plants.statusOf(i);
    columns.status[j] = DRAW_ORDER[status] ?? DRAW_ORDER.offline;
    columns.color.set(hexToRgba(palette[status] ?? palette.offline), 4 * j);
    columns.radius[j] = capacityRadius(plants.capacity_kw[i], largestKw, range);
    changed.push(j);
  }
  return changed.sort((a, b) => a - b);
}

export function markerStatus(columns: PlantMarkerColumns, j: number): PlantStatus {
  return BY_DRAW_ORDER[columns.status[j]];
}

/** The markers of plants in fault or protection, as columns of their own (the halo layer's data). */
export function alertColumns(columns: PlantMarkerColumns): PlantMarkerColumns {
  const picked: number[] = [];
  for (let j = 0; j < columns.length; j++) if (columns.status[j] >= DRAW_ORDER.protect) picked.push(j);
  const n = picked.length;
  const out: PlantMarkerColumns = {
    length: n,
    plant: new Uint32Array(n),
    position: new Float64Array(2 * n),
    radius: new Float32Array(n),
    color: new Uint8Array(4 * n),
    status: new Uint8Array(n)
  };
  picked.forEach((j, k) => {
    out.plant[k] = columns.plant[j];
    out.position.set(columns.position.subarray(2 * j, 2 * j + 2), 2 * k);
    out.radius[k] = columns.radius[j];
    out.color.set(columns.color.subarray(4 * j, 4 * j + 4), 4 * k);
    out.status[k] = columns.status[j];
  });
  return out;
}

/** The same markers as objects, one per plant: for code that reads markers one by one. */
export function plantMarkers(
  points: readonly PlantPoint[],
  palette: StatusPalette,
  range: RadiusRange,
  largestKw?: number
): PlantMarker[] {
  const plants = PlantTable.fromPoints(points);
  const c = plantMarkerColumns(plants, palette, range, largestKw);
  return Array.from({ length: c.length }, (_, j) => ({
    id: plants.id(c.plant[j]),
    position: [c.position[2 * j], c.position[2 * j + 1]] as [number, number],
    color: [c.color[4 * j], c.color[4 * j + 1], c.color[4 * j + 2], c.color[4 * j + 3]] as Rgba,
    radius: c.radius[j],
    status: markerStatus(c, j)
  }));
}

/** Plants that need attention get a halo; the rest get none. */
export function alertHalos(markers: readonly PlantMarker[]): PlantMarker[] {
  return markers.filter((m) => m.status === 'fault' || m.status === 'protect');
}

export function isPosition(lat: number, lon: number): boolean {
  return Number.isFinite(lat) && Number.isFinite(lon) && Math.abs(lat) <= 90 && Math.abs(lon) <= 180;
}
