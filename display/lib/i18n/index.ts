// The wall's words, in the screen's language. One global locale per page (one wall per page):
// the screen page calls `setLanguage` with the language in force, components read `$t(key)`.
//
//   import { t } from '$lib/i18n/index.ts';
//   <span>{$t('status.fault')}</span>   <span>{$t('connection.lost_since', { time })}</span>
//
// Code outside components (pure helpers) takes a `Translate` function as a parameter, so it
// stays testable; `translate` is the same function, read once, for one-off use.
// There is deliberately no "translate in another language than the page's": svelte-i18n memoizes
// message formatters by message text only, so a message formatted outside its own locale would
// keep that locale's plural rules for good.
import { derived, get, type Readable } from 'svelte/store';
import { addMessages, init, locale as localeStore, format } from 'svelte-i18n';
import { LANGUAGES, type Language } from '$contract';
import { en } from './en.ts';
import { zhCN } from './zh-CN.ts';

export { LANGUAGES };
export type { Language };

export const CATALOGS: Record<Language, object> = { en, 'zh-CN': zhCN };

/** "status.fault", "plants.name", …: every message path of the English catalog. */
type Paths<T, P extends string = ''> = {
  [K in keyof T & string]: T[K] extends string ? `${P}${K}` : Paths<T[K], `${P}${K}.`>;
}[keyof T & string];
export type MessageKey = Paths<typeof en>;
export type MessageValues = Record<string, string | number | Date | null | undefined>;
export type Translate = (key: MessageKey, values?: MessageValues) => string;

for (const language of LANGUAGES) addMessages(language, CATALOGS[language] as Record<string, never>);
// Synchronous: the catalogs are bundled (they are small), so the first paint already has words
// and never shows a key or waits on a loader.
void init({ fallbackLocale: 'en', initialLocale: 'en' });

/** Anything else (a stale setting, a typo in the registry) reads English rather than keys. */
export function toLanguage(value: string | null | undefined): Language {
  return (LANGUAGES as readonly string[]).includes(value ?? '') ? (value as Language) : 'en';
}

/** Switches every `$t` on the page; numbers follow through `$locale` / `localeOf`. */
export function setLanguage(language: Language | string | null | undefined): void {
  const next = toLanguage(language);
  if (get(localeStore) !== next) void localeStore.set(next);
}

/** The language in force (for Intl formatters and format.ts's `locale` argument). */
export const locale: Readable<Language> = derived(localeStore, (l) => toLanguage(l));

/** `$t(key, values?)`: the message in the current language, `values` filling its placeholders. */
export const t: Readable<Translate> = derived(format, (fmt) => (key: MessageKey, values?: MessageValues) =>
  fmt(key, values ? { values } : undefined)
);

/** The current language's message, read once (not reactive): for code outside components. */
export const translate: Translate = (key, values) => get(t)(key, values);

/** "12 s", "4 min", "2 h 5 min", "3 d" in the language of `tr`: an age at wall-reading precision. */
export function formatAge(ms: number, tr: Translate): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return tr('age.seconds', { n: s });
  const min = Math.floor(s / 60);
  if (min < 60) return tr('age.minutes', { n: min });
  const h = Math.floor(min / 60);
  if (h < 48) return min % 60 ? tr('age.hours_minutes', { h, min: min % 60 }) : tr('age.hours', { n: h });
  return tr('age.days', { n: Math.floor(h / 24) });
}

/** "3 min ago" / "3 分钟前". */
export function formatAgo(ms: number, tr: Translate): string {
  return tr('age.ago', { age: formatAge(ms, tr) });
}
