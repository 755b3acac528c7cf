// The branding form as data: each setting is either the tenant's own value or "inherit" (null in
// the request), and the preview needs the value that would be in force either way. Pure, tested.
import type { Language, TenantHeader, ThemeName } from '$contract';
import { LANGUAGES, THEMES } from '$contract';
import type { BrandingBody, BrandingKey, BrandingState } from './types.ts';

export const FORM_KEYS = ['title', 'accent_color', 'theme', 'co2_factor', 'tree_co2_kg', 'coal_kg_per_kwh', 'timezone', 'language'] as const;
export type FormKey = (typeof FORM_KEYS)[number];

export interface FieldState {
  inherit: boolean;
  /** The input's text (numbers too): what the person typed, valid or not. */
  value: string;
}
export type BrandingForm = Record<FormKey, FieldState>;

/** Values an input starts from when a setting has never been set anywhere. */
const BLANK: Record<FormKey, string> = {
  title: '',
  accent_color: '#f5b82e',
  theme: 'control-room',
  co2_factor: '0.475',
  tree_co2_kg: '18.3',
  coal_kg_per_kwh: '0.4',
  timezone: 'UTC',
  language: 'en'
};

const text = (v: string | number | null | undefined) => (v === null || v === undefined ? null : String(v));

/** The form for the tenant's saved branding: own values filled in, inherited ones marked so. */
export function formFrom(state: BrandingState): BrandingForm {
  const form = {} as BrandingForm;
  for (const key of FORM_KEYS) {
    const own = text(state.own[key]);
    form[key] = { inherit: own === null, value: own ?? text(state.effective[key]) ?? BLANK[key] };
  }
  return form;
}

export interface Inherited {
  /** The value the tenant gets when it does not set its own (null: not set anywhere, or not known yet). */
  value: string | null;
  /** Whether `value` is known: it is not while the tenant has its own value (it shows after saving). */
  known: boolean;
  /** The tenant it comes from (id), or null for the platform default. */
  from: string | null;
}

/**
 * What "inherit" would give for a setting. Known when the tenant inherits it now (the server
 * resolved it); when it has its own value, the inherited one is only known after saving.
 */
export function inherited(state: BrandingState, key: BrandingKey): Inherited {
  const from = state.inherited_from[key] ?? null;
  if (state.own[key] === null) return { value: text(state.effective[key]), known: true, from };
  if (state.inherits) return { value: text(state.inherits.values[key]), known: true, from: state.inherits.from[key] ?? null };
  return { value: null, known: false, from };
}

/** Whether the browser knows `zone` as an IANA time zone (the wall's clock and charts need one). */
export function isTimeZone(zone: string): boolean {
  if (!zone) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const HEX6 = /^#?([0-9a-f]{6})$/i;
const HEX3 = /^#?([0-9a-f]{3})$/i;

/** '#RGB', 'rrggbb', '#RRGGBB' → '#rrggbb'; null when it is not a colour. */
export function normalizeHex(input: string): string | null {
  const s = input.trim();
  const six = HEX6.exec(s);
  if (six) return `#${six[1].toLowerCase()}`;
  const three = HEX3.exec(s);
  if (three) return `#${[...three[1].toLowerCase()].map((c) => c + c).join('')}`;
  return null;
}

export type FormErrors = Partial<Record<FormKey, string>>;

/** The PUT body (null = inherit) and the mistakes the page can catch before the server does. */
export function brandingBody(form: BrandingForm): { body: BrandingBody; errors: FormErrors } {
  const errors: FormErrors = {};
  const own = <K extends FormKey>(key: K) => (form[key].inherit ? null : form[key].value.trim());

  const title = own('title');
  if (title !== null && title === '') errors.title = 'Enter a title, or inherit it.';

  const accentText = own('accent_color');
  const accent = accentText === null ? null : normalizeHex(accentText);
  if (accentText !== null && accent === null) errors.accent_color = 'Use a colour like #1a7f5a.';

  const themeText = own('theme');
  const theme = themeText !== null && (THEMES as readonly string[]).includes(themeText) ? (themeText as ThemeName) : null;
  if (themeText !== null && theme === null) errors.theme = 'Pick a theme.';

  const co2Text = own('co2_factor');
  const co2 = co2Text === null || co2Text === '' ? null : Number(co2Text.replace(',', '.'));
  if (co2Text !== null && (co2 === null || !Number.isFinite(co2) || co2 < 0)) {
    errors.co2_factor = 'Enter kg of CO₂ per kWh, e.g. 0.475.';
  }

  // The environmental equivalents' factors: positive numbers, a decimal comma accepted.
  const factor = (key: 'tree_co2_kg' | 'coal_kg_per_kwh', message: string): number | null => {
    const raw = own(key);
    const value = raw === null || raw === '' ? null : Number(raw.replace(',', '.'));
    if (raw !== null && (value === null || !Number.isFinite(value) || value <= 0)) errors[key] = message;
    return value !== null && Number.isFinite(value) && value > 0 ? value : null;
  };
  const treeCo2 = factor('tree_co2_kg', 'Enter kg of CO₂ one tree takes up a year, e.g. 18.3.');
  const coal = factor('coal_kg_per_kwh', 'Enter kg of coal per kWh, e.g. 0.4.');

  const timezone = own('timezone');
  if (timezone !== null && !isTimeZone(timezone)) errors.timezone = 'Pick a time zone from the list, e.g. Europe/Berlin.';

  const languageText = own('language');
  const language =
    languageText !== null && (LANGUAGES as readonly string[]).includes(languageText) ? (languageText as Language) : null;
  if (languageText !== null && language === null) errors.language = 'Pick a language.';

  return {
    body: {
      title: title || null,
      accent_color: accent,
      theme,
      co2_factor: co2 !== null && Number.isFinite(co2) ? co2 : null,
      tree_co2_kg: treeCo2,
      coal_kg_per_kwh: coal,
      timezone: timezone || null,
      language
    },
    errors
  };
}

/**
 * The tenant header the preview wall shows for the unsaved form: own values as typed (when they
 * are valid), inherited ones as the server resolved them, and the wall's own header otherwise.
 */
export function previewTenant(
  base: TenantHeader,
  form: BrandingForm,
  state: BrandingState,
  logoUrl: string | null
): TenantHeader {
  const pick = (key: FormKey): string | null =>
    form[key].inherit ? inherited(state, key).value : form[key].value.trim() || null;
  const themeName = pick('theme');
  const language = pick('language');
  return {
    ...base,
    title: pick('title') ?? base.title,
    // An invalid or unknown accent shows the theme's own, as the wall would.
    accent_color: normalizeHex(pick('accent_color') ?? ''),
    theme: themeName && (THEMES as readonly string[]).includes(themeName) ? (themeName as ThemeName) : base.theme,
    language: language && (LANGUAGES as readonly string[]).includes(language) ? (language as Language) : base.language,
    // A half-typed zone would break the wall's clock and charts: keep the last good one.
    timezone: ((zone) => (zone && isTimeZone(zone) ? zone : base.timezone))(pick('timezone')),
    logo_url: logoUrl
  };
}
