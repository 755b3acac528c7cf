// A theme is data (JSON) so a tenant's branding can be stored and shipped without a build;
// this file is the shape it must have and the one way it reaches the page: CSS custom properties.

export interface StatusPalette {
  all: string;
  normal: string;
  standby: string;
  protect: string;
  fault: string;
  offline: string;
}

export interface Theme {
  name: string;
  colors: {
    background: string;
    surface: string;
    surface_raised: string;
    border: string;
    text: string;
    muted: string;
    accent: string;
    /** Accent at low alpha, for fills under a line (hex with alpha, #rrggbbaa). */
    accent_soft: string;
    status: StatusPalette;
    map: { ocean: string; land: string; borders: string };
  };
  type: {
    family: string;
    numeric_family: string;
    /** Root font size in vmin, clamped to [root_min_px, root_max_px]: the whole wall scales with it. */
    root_vmin: number;
    root_min_px: number;
    root_max_px: number;
    /** Multipliers of the root size (rem). */
    scale: { xs: number; sm: number; md: number; lg: number; xl: number; xxl: number };
  };
  /** How loudly the wall's header carries the tenant's brand. */
  brand: {
    /** Header row height, logo height and title size, in rem. */
    header_height: number;
    logo_height: number;
    title_size: number;
    title_weight: number;
    /** 'accent': the header is a band of the accent colour (lobby); anything else ('plain'): it sits on the background. */
    header_fill: string;
  };
}

const HEX = /^#(?:[0-9a-f]{3}|[0-9a-f]{6}|[0-9a-f]{8})$/i;

/** Names of the colours that are not valid hex; an empty list means the theme's colours are usable. */
export function invalidColors(theme: Theme): string[] {
  const { status, map, ...plain } = theme.colors;
  const entries: [string, string][] = [
    ...Object.entries(plain),
    ...Object.entries(status).map(([k, v]): [string, string] => [`status.${k}`, v]),
    ...Object.entries(map).map(([k, v]): [string, string] => [`map.${k}`, v])
  ];
  return entries.filter(([, v]) => !HEX.test(v)).map(([k]) => k);
}

/** The theme as CSS custom properties (`--fw-…`), e.g. `--fw-status-fault`. */
export function themeVariables(theme: Theme): Record<string, string> {
  const c = theme.colors;
  const t = theme.type;
  const vars: Record<string, string> = {
    '--fw-bg': c.background,
    '--fw-surface': c.surface,
    '--fw-surface-raised': c.surface_raised,
    '--fw-border': c.border,
    '--fw-text': c.text,
    '--fw-muted': c.muted,
    '--fw-accent': c.accent,
    '--fw-accent-soft': c.accent_soft,
    '--fw-map-ocean': c.map.ocean,
    '--fw-map-land': c.map.land,
    '--fw-map-borders': c.map.borders,
    '--fw-font': t.family,
    '--fw-font-numeric': t.numeric_family,
    '--fw-root-size': `clamp(${t.root_min_px}px, ${t.root_vmin}vmin, ${t.root_max_px}px)`,
    '--fw-header-height': `${theme.brand.header_height}rem`,
    '--fw-logo-height': `${theme.brand.logo_height}rem`,
    '--fw-title-size': `${theme.brand.title_size}rem`,
    '--fw-title-weight': String(theme.brand.title_weight),
    // Text on the accent is black or white by the accent's own lightness, so any brand colour reads.
    '--fw-on-accent': onColor(c.accent),
    '--fw-header-pad': theme.brand.header_fill === 'accent' ? '1.4rem' : '0.5rem',
    '--fw-header-bg': theme.brand.header_fill === 'accent' ? c.accent : 'transparent',
    '--fw-header-text': theme.brand.header_fill === 'accent' ? onColor(c.accent) : c.text,
    '--fw-header-muted':
      theme.brand.header_fill === 'accent' ? `color-mix(in srgb, ${onColor(c.accent)} 72%, ${c.accent})` : c.muted
  };
  for (const [status, colour] of Object.entries(c.status)) vars[`--fw-status-${status}`] = colour;
  for (const [step, factor] of Object.entries(t.scale)) vars[`--fw-text-${step}`] = `${factor}rem`;
  return vars;
}

/** Relative luminance (WCAG 2) of a '#rgb' / '#rrggbb' colour; alpha is ignored. */
export function luminance(hex: string): number {
  let h = hex.replace(/^#/, '');
  if (h.length === 3 || h.length === 4) h = [...h.slice(0, 3)].map((ch) => ch + ch).join('');
  const channel = (i: number) => {
    const v = parseInt(h.slice(i, i + 2), 16) / 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(0) + 0.7152 * channel(2) + 0.0722 * channel(4);
}

/** Near-black or white, whichever contrasts more with `hex`: text on an accent fill. */
export function onColor(hex: string): string {
  const l = luminance(hex);
  // Contrast with black is (l + 0.05) / 0.05, with white 1.05 / (l + 0.05); they cross at l ≈ 0.179.
  return l > 0.179 ? '#0b0f17' : '#ffffff';
}

/** Sets the theme's custom properties on `root` (the <html> element by default). */
export function applyTheme(theme: Theme, root: HTMLElement = document.documentElement): void {
  for (const [name, value] of Object.entries(themeVariables(theme))) root.style.setProperty(name, value);
}

/** The root font size in px the theme's clamp() gives for a viewport: lets canvas layers scale like text. */
export function rootFontPx(theme: Theme, width: number, height: number): number {
  const t = theme.type;
  return Math.min(t.root_max_px, Math.max(t.root_min_px, (Math.min(width, height) * t.root_vmin) / 100));
}

/** The theme's custom properties as an inline style, for a subtree that wears its own theme (the admin preview). */
export function themeStyle(theme: Theme): string {
  return Object.entries(themeVariables(theme))
    .map(([name, value]) => `${name}: ${value}`)
    .join('; ');
}
