// Environmental equivalents of the fleet's energy, shown next to CO₂ avoided. The server works
// them out with the tenant's factors; a tenant without factors sends none and the tiles hide.
import type { Kpi } from '$contract';
import { formatMass, type Formatted } from '$lib/format.ts';
import type { Translate } from '$lib/i18n/index.ts';

export interface EquivalentTile {
  key: 'trees_planted' | 'coal_saved_kg';
  label: string;
  figure: Formatted;
}

const counts = new Map<string, Intl.NumberFormat>();

/** A count of things at wall precision: "842", "12.3K", "1.23M" (compact, in the language's own way). */
export function formatCount(n: number, locale = 'en'): string {
  if (!Number.isFinite(n)) return '–';
  let nf = counts.get(locale);
  if (!nf) {
    nf = new Intl.NumberFormat(locale, { notation: 'compact', maximumSignificantDigits: 3 });
    counts.set(locale, nf);
  }
  return Math.abs(n) < 1000 ? Math.round(n).toLocaleString(locale) : nf.format(n);
}

/** The tiles for the equivalents the snapshot carries, in a fixed order; none when it carries none. */
export function equivalentTiles(kpi: Kpi, locale: string, tr: Translate): EquivalentTile[] {
  const tiles: EquivalentTile[] = [];
  if (typeof kpi.trees_planted === 'number' && Number.isFinite(kpi.trees_planted)) {
    tiles.push({
      key: 'trees_planted',
      label: tr('kpi.trees_planted'),
      figure: { value: formatCount(kpi.trees_planted, locale), unit: tr('kpi.trees_unit') }
    });
  }
  if (typeof kpi.coal_saved_kg === 'number' && Number.isFinite(kpi.coal_saved_kg)) {
    tiles.push({ key: 'coal_saved_kg', label: tr('kpi.coal_saved_kg'), figure: formatMass(kpi.coal_saved_kg, locale) });
  }
  return tiles;
}
