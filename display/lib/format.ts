// The one place numbers become text on the wall. Each quantity climbs a ladder of units so the
// number shown stays short (3 significant figures); past the top rung it is shown as a whole
// number with grouping, because "12,300 GWh" for 12,345 GWh would be a made-up figure.

export interface Formatted {
  value: string;
  unit: string;
}

export interface Rung {
  unit: string;
  /** How many base units one of this unit is. */
  factor: number;
}

export const POWER: readonly Rung[] = [
  { unit: 'W', factor: 1 },
  { unit: 'kW', factor: 1e3 },
  { unit: 'MW', factor: 1e6 },
  { unit: 'GW', factor: 1e9 }
];
export const ENERGY: readonly Rung[] = [
  { unit: 'kWh', factor: 1 },
  { unit: 'MWh', factor: 1e3 },
  { unit: 'GWh', factor: 1e6 }
];
export const MASS: readonly Rung[] = [
  { unit: 'kg', factor: 1 },
  { unit: 't', factor: 1e3 }
];

const SIGNIFICANT = 3;
const formatters = new Map<string, Intl.NumberFormat>();

function numberFormat(locale: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let nf = formatters.get(key);
  if (!nf) {
    nf = new Intl.NumberFormat(locale, options);
    formatters.set(key, nf);
  }
  return nf;
}

/** The largest rung whose factor fits the value once rounded, so 999.6 W reads "1 kW", not "1,000 W". */
export function pickRung(base: number, ladder: readonly Rung[]): Rung {
  const magnitude = Math.abs(base);
  let chosen = ladder[0];
  for (const rung of ladder) {
    const rounded = Number((magnitude / rung.factor).toPrecision(SIGNIFICANT));
    if (rounded >= 1) chosen = rung;
  }
  return chosen;
}

/**
 * A value in `rung` units as text: 3 significant figures, whole numbers past 1000. `steady` keeps
 * trailing zeros (live figures); axis ticks turn it off, "10.0 / 20.0 / 30.0" is just noise there.
 */
export function formatIn(base: number, rung: Rung, locale = 'en', steady = true): string {
  if (!Number.isFinite(base)) return '–';
  const scaled = base / rung.factor;
  if (Math.abs(scaled) >= 10 ** SIGNIFICANT) {
    return numberFormat(locale, { maximumFractionDigits: 0 }).format(scaled);
  }
  // Trailing zeros kept ("30.0 MW", not "30 MW") so a figure does not change width, and seem to
  // change precision, as it ticks on the wall; below 1 they would only add noise ("0.500").
  const keep = steady && Math.abs(Number(scaled.toPrecision(SIGNIFICANT))) >= 1 ? SIGNIFICANT : 1;
  return numberFormat(locale, { maximumSignificantDigits: SIGNIFICANT, minimumSignificantDigits: keep }).format(scaled);
}

export function formatQuantity(base: number, ladder: readonly Rung[], locale = 'en'): Formatted {
  const rung = Number.isFinite(base) ? pickRung(base, ladder) : ladder[0];
  return { value: formatIn(base, rung, locale), unit: rung.unit };
}

export const formatPower = (watts: number, locale = 'en') => formatQuantity(watts, POWER, locale);
export const formatEnergy = (kwh: number, locale = 'en') => formatQuantity(kwh, ENERGY, locale);
export const formatMass = (kg: number, locale = 'en') => formatQuantity(kg, MASS, locale);

/** "1.23 MW": value and unit with a no-break space so they never wrap apart. */
export function asText(formatted: Formatted): string {
  return `${formatted.value}\u00a0${formatted.unit}`;
}
