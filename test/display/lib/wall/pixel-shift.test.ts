import { describe, expect, it } from 'vitest';
import { PIXEL_SHIFT_STEP_MS, pixelShiftAt } from '$lib/wall/pixel-shift.ts';

const day = Array.from({ length: 24 * 60 }, (_, i) => pixelShiftAt(Date.UTC(2025, 5, 1) + i * PIXEL_SHIFT_STEP_MS));

describe('pixelShiftAt', () => {
  it('stays within a few whole pixels', () => {
    for (const s of day) {
      expect(Math.abs(s.x)).toBeLessThanOrEqual(3);
      expect(Math.abs(s.y)).toBeLessThanOrEqual(3);
      expect(Number.isInteger(s.x) && Number.isInteger(s.y)).toBe(true);
    }
    expect(Math.abs(pixelShiftAt(123_456_789, 10).x)).toBeLessThanOrEqual(4);
  });

  it('moves in small steps, so nobody sees the picture jump', () => {
    for (let i = 1; i < day.length; i++) {
      expect(Math.abs(day[i].x - day[i - 1].x)).toBeLessThanOrEqual(2);
      expect(Math.abs(day[i].y - day[i - 1].y)).toBeLessThanOrEqual(2);
    }
  });

  it('visits many positions over a day instead of sitting still', () => {
    const positions = new Set(day.map((s) => `${s.x},${s.y}`));
    expect(positions.size).toBeGreaterThanOrEqual(20);
  });

  it('holds still within a step and is the same for every tile at the same instant', () => {
    const start = Date.UTC(2025, 5, 1, 10, 7);
    expect(pixelShiftAt(start + 59_000)).toEqual(pixelShiftAt(start));
    expect(pixelShiftAt(start + 7 * PIXEL_SHIFT_STEP_MS)).toEqual(pixelShiftAt(start + 7 * PIXEL_SHIFT_STEP_MS));
  });
});
