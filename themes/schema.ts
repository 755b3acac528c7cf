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
    '--fw-root-size': `clamp(${t.root_min_px}px, ${t.root_vmin}vmin, ${t.root_max_px}px)`
  };
  for (const [status, colour] of Object.entries(c.status)) vars[`--fw-status-${status}`] = colour;
  for (const [step, factor] of Object.entries(t.scale)) vars[`--fw-text-${step}`] = `${factor}rem`;
  return vars;
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
