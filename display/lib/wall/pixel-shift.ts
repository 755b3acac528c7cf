// Pixel shift against burn-in: the whole picture wanders a few pixels on a slow Lissajous path,
// one step a minute, so static edges (tile borders, the header) never sit on the same pixels for
// long. The offset is a function of the wall clock, not of when the page loaded, so every tile
// of a video wall shifts alike and the seams stay aligned.

export const PIXEL_SHIFT_MAX_PX = 3;
export const PIXEL_SHIFT_STEP_MS = 60_000;
// Co-prime periods (in steps): the path visits the whole square before it repeats (~3.7 h).
const PERIOD_X = 13;
const PERIOD_Y = 17;

export interface Shift {
  x: number;
  y: number;
}

/** The shift at epoch ms `at`: whole pixels (a fractional offset would blur text), |x|, |y| ≤ maxPx ≤ 4. */
export function pixelShiftAt(at: number, maxPx = PIXEL_SHIFT_MAX_PX, stepMs = PIXEL_SHIFT_STEP_MS): Shift {
  const amplitude = Math.min(4, Math.max(0, Math.floor(maxPx)));
  const step = Math.floor(at / stepMs);
  const x = Math.round(amplitude * Math.sin((2 * Math.PI * step) / PERIOD_X));
  const y = Math.round(amplitude * Math.sin((2 * Math.PI * step) / PERIOD_Y));
  // `+ 0` turns -0 into 0, so the CSS reads "0px" and tests compare plainly.
  return { x: x + 0, y: y + 0 };
}
