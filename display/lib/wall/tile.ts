// A video wall made of several browsers: `?wall=3x2&tile=1,0` makes this browser show column 1,
// row 0 of one virtual canvas three screens wide and two high. Every tile lays the wall out at the
// canvas size and moves it so only its own part shows.

export interface WallTile {
  cols: number;
  rows: number;
  /** 0-based, from the left. */
  col: number;
  /** 0-based, from the top. */
  row: number;
}

export interface Size {
  width: number;
  height: number;
}

export interface TileGeometry extends Size {
  /** Where the canvas' top-left corner sits in this browser's viewport (≤ 0). */
  x: number;
  y: number;
}

// Beyond this a typo ("30x20") would ask for a canvas no browser could lay out.
export const MAX_TILES_PER_SIDE = 8;

const GRID = /^(\d{1,2})x(\d{1,2})$/i;
const CELL = /^(\d{1,2}),(\d{1,2})$/;

/** The tile asked for in a query string, or null for an ordinary single screen (also for a malformed one). */
export function parseWallTile(search: string | URLSearchParams): WallTile | null {
  const params = typeof search === 'string' ? new URLSearchParams(search) : search;
  const grid = GRID.exec(params.get('wall')?.trim() ?? '');
  if (!grid) return null;
  const cols = Number(grid[1]);
  const rows = Number(grid[2]);
  if (cols < 1 || rows < 1 || cols > MAX_TILES_PER_SIDE || rows > MAX_TILES_PER_SIDE) return null;
  const cell = CELL.exec(params.get('tile')?.trim() ?? '0,0');
  if (!cell) return null;
  const col = Number(cell[1]);
  const row = Number(cell[2]);
  if (col >= cols || row >= rows) return null;
  return { cols, rows, col, row };
}

/** The canvas size and this tile's offset for a viewport; no tile means the canvas is the viewport. */
export function tileGeometry(tile: WallTile | null, viewport: Size): TileGeometry {
  if (!tile) return { width: viewport.width, height: viewport.height, x: 0, y: 0 };
  return {
    width: tile.cols * viewport.width,
    height: tile.rows * viewport.height,
    // `+ 0`: -0 would print as "-0px".
    x: -tile.col * viewport.width + 0,
    y: -tile.row * viewport.height + 0
  };
}

// WebGL's drawing buffer is at most MAX_TEXTURE_SIZE / MAX_VIEWPORT_DIMS a side; 8192 is what
// integrated GPUs and SwiftShader give, and past it a canvas is silently cut, not scaled.
export const MAX_CANVAS_SIDE_PX = 8192;

/**
 * The device pixel ratio a WebGL canvas of `size` CSS pixels may use: the screen's own, lowered
 * just enough that neither side passes `maxSide` device pixels.
 */
export function cappedPixelRatio(size: Size, devicePixelRatio: number, maxSide = MAX_CANVAS_SIDE_PX): number {
  const dpr = Number.isFinite(devicePixelRatio) && devicePixelRatio > 0 ? devicePixelRatio : 1;
  const longest = Math.max(size.width, size.height, 1);
  return Math.min(dpr, maxSide / longest);
}
