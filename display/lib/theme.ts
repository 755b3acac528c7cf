// Which theme a wall wears and in which accent: the screen's own setting wins over the tenant's
// branding, the tenant's accent colour over the theme's. Pure, so the admin preview and the wall
// resolve exactly alike.
import controlRoom from '$themes/control-room.json';
import lobby from '$themes/lobby.json';
import daylight from '$themes/daylight.json';
import type { Theme } from '$themes/schema.ts';
import type { Language, ScreenSettings, TenantHeader, ThemeName } from '$contract';

export const THEME_BY_NAME: Record<ThemeName, Theme> = {
  'control-room': controlRoom,
  lobby,
  daylight
};

/** The default theme: pages that show no tenant (messages, the home page) wear it. */
export const theme: Theme = controlRoom;

const ACCENT = /^#[0-9a-f]{6}$/i;

/** The theme name in force: the screen's setting when it has one, else the tenant's, else the default. */
export function resolveThemeName(
  tenant: Pick<TenantHeader, 'theme'> | null | undefined,
  settings?: Pick<ScreenSettings, 'theme'> | null
): ThemeName {
  const name = settings?.theme ?? tenant?.theme;
  return name && name in THEME_BY_NAME ? name : 'control-room';
}

/** The language in force for numbers: the screen's, else the tenant's, else English. */
export function resolveLanguage(
  tenant: Pick<TenantHeader, 'language'> | null | undefined,
  settings?: Pick<ScreenSettings, 'language'> | null
): Language {
  return settings?.language ?? tenant?.language ?? 'en';
}

/** The theme with the tenant's accent ('#rrggbb') in place of its own; anything else keeps the theme's. */
export function withAccent(base: Theme, accent: string | null | undefined): Theme {
  if (!accent || !ACCENT.test(accent)) return base;
  const alpha = base.colors.accent_soft.length === 9 ? base.colors.accent_soft.slice(7) : '33';
  return { ...base, colors: { ...base.colors, accent, accent_soft: `${accent}${alpha}` } };
}

/** The whole resolution: theme by name (screen over tenant), then the tenant's accent over it. */
export function wallTheme(
  tenant: Pick<TenantHeader, 'theme' | 'accent_color'> | null | undefined,
  settings?: Pick<ScreenSettings, 'theme'> | null
): Theme {
  return withAccent(THEME_BY_NAME[resolveThemeName(tenant, settings)], tenant?.accent_color);
}
