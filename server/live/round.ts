/** Figures on the wall carry 3 decimals (kWh) or 1 (W): enough, and stable to compare. */
export function round(x: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
