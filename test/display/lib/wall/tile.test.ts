import { describe, expect, it } from 'vitest';
import { cappedPixelRatio, parseWallTile, tileGeometry } from '$lib/wall/tile.ts';

describe('parseWallTile', () => {
  it('reads the wall and the tile', () => {
    expect(parseWallTile('?wall=3x2&tile=1,0')).toEqual({ cols: 3, rows: 2, col: 1, row: 0 });
    expect(parseWallTile(new URLSearchParams('wall=2X1&tile=1,0'))).toEqual({ cols: 2, rows: 1, col: 1, row: 0 });
  });

  it('takes the top-left tile when none is named', () => {
    expect(parseWallTile('?wall=2x2')).toEqual({ cols: 2, rows: 2, col: 0, row: 0 });
  });

  it('is an ordinary screen without a wall, or with one it cannot show', () => {
    expect(parseWallTile('')).toBeNull();
    expect(parseWallTile('?tile=1,0')).toBeNull();
    expect(parseWallTile('?wall=3x2&tile=3,0')).toBeNull();
    expect(parseWallTile('?wall=3x2&tile=0,2')).toBeNull();
    expect(parseWallTile('?wall=0x2')).toBeNull();
    expect(parseWallTile('?wall=30x20')).toBeNull();
    expect(parseWallTile('?wall=3x2&tile=a,b')).toBeNull();
  });
});

describe('tileGeometry', () => {
  const viewport = { width: 1920, height: 1080 };

  it('lays the wall out on the whole canvas and shows this tile of it', () => {
    expect(tileGeometry({ cols: 3, rows: 2, col: 1, row: 0 }, viewport)).toEqual({ width: 5760, height: 2160, x: -1920, y: 0 });
    expect(tileGeometry({ cols: 3, rows: 2, col: 2, row: 1 }, viewport)).toEqual({ width: 5760, height: 2160, x: -3840, y: -1080 });
  });

  it('tiles side by side cover the canvas exactly once', () => {
    const wall = { cols: 2, rows: 1 };
    const left = tileGeometry({ ...wall, col: 0, row: 0 }, viewport);
    const right = tileGeometry({ ...wall, col: 1, row: 0 }, viewport);
    expect(-left.x + viewport.width).toBe(-right.x);
    expect(-right.x + viewport.width).toBe(right.width);
  });

  it('is the viewport itself on a single screen', () => {
    expect(tileGeometry(null, viewport)).toEqual({ width: 1920, height: 1080, x: 0, y: 0 });
  });
});

describe('cappedPixelRatio', () => {
  it('keeps the screen ratio while the canvas fits', () => {
    expect(cappedPixelRatio({ width: 1920, height: 1080 }, 2)).toBe(2);
  });

  it('lowers the ratio so a big canvas stays within WebGL limits', () => {
    const canvas = { width: 11520, height: 4320 }; // 3x2 of 4K
    const ratio = cappedPixelRatio(canvas, 1);
    expect(canvas.width * ratio).toBeLessThanOrEqual(8192);
    expect(ratio).toBeCloseTo(8192 / 11520);
  });

  it('treats a nonsense ratio as 1', () => {
    expect(cappedPixelRatio({ width: 100, height: 100 }, Number.NaN)).toBe(1);
  });
});
