import type { PlantStatus } from '$contract';

/**
 * Status codes in order of severity, so "worst" is simply the highest code present. The order is
 * what an operator asks first: is anything broken (fault), tripped (protect), silent (offline)?
 */
export const SEVERITY: readonly PlantStatus[] = ['normal', 'offline', 'protect', 'fault'];
export const STATUS_CODE: Record<PlantStatus, number> = { normal: 0, offline: 1, protect: 2, fault: 3 };
export const STATUS_KINDS = SEVERITY.length;

/** Per-status plant counts of a cluster, indexed by STATUS_CODE. */
export type StatusTally = ArrayLike<number>;

/** The worst status with at least one plant in `tally` (read at `offset`); normal when empty. */
export function worstStatus(tally: StatusTally, offset = 0): PlantStatus {
  for (let code = STATUS_KINDS - 1; code > 0; code--) if (tally[offset + code] > 0) return SEVERITY[code];
  return 'normal';
}

export interface RadiusRange {
  minPx: number;
  maxPx: number;
}

/**
 * A cluster's radius on a log scale of its weight (plant count or capacity) against the whole
 * fleet's. Log, not square root: clusters range from 2 plants to the whole fleet (a million, in
 * issue 5), and a square root would draw every small cluster as the minimum. Against the fleet,
 * not the view, so a cluster keeps its size while the map pans.
 */
export function clusterRadius(weight: number, fleetWeight: number, range: RadiusRange): number {
  if (!(weight > 0) || !(fleetWeight > 0)) return range.minPx;
  const share = Math.log1p(Math.min(weight, fleetWeight)) / Math.log1p(fleetWeight);
  return range.minPx + (range.maxPx - range.minPx) * share;
}

const compact = new Map<string, Intl.NumberFormat>();

/** "87", "1.2K", "45K", "1.2M" (or "1.2万" in Chinese): a count that fits inside its circle. */
export function countLabel(count: number, locale = 'en'): string {
  if (count < 1000) return String(count);
  let nf = compact.get(locale);
  if (!nf) {
    nf = new Intl.NumberFormat(locale, { notation: 'compact', maximumSignificantDigits: 2 });
    compact.set(locale, nf);
  }
  return nf.format(count);
}

/**
 * The label's font size: the base size, shrunk for long labels so the text stays inside the
 * circle (0.6 em is a generous average glyph width for digits and "K").
 */
export function labelSize(label: string, radiusPx: number, basePx: number): number {
  const fits = (2 * radiusPx * 0.8) / (0.6 * Math.max(1, label.length));
  return Math.max(basePx * 0.6, Math.min(basePx, fits));
}
