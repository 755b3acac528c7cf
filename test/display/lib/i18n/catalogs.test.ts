import { afterEach, describe, expect, it } from 'vitest';
import { get } from 'svelte/store';
import { en } from '$lib/i18n/en.ts';
import { zhCN } from '$lib/i18n/zh-CN.ts';
import { formatAge, formatAgo, locale, setLanguage, t, toLanguage, translate } from '$lib/i18n/index.ts';

function keys(catalog: object, prefix = ''): string[] {
  return Object.entries(catalog).flatMap(([k, v]) =>
    typeof v === 'string' ? [`${prefix}${k}`] : keys(v as object, `${prefix}${k}.`)
  );
}
function placeholders(message: string): string[] {
  // Top-level ICU arguments only ("{count, plural, one {# plant}}" -> count).
  return [...message.matchAll(/\{(\w+)(?:,|\})/g)].map((m) => m[1]).sort();
}
function at(catalog: object, key: string): string {
  return key.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], catalog) as string;
}

describe('catalogs', () => {
  afterEach(() => setLanguage('en'));

  it('has every English key in Simplified Chinese, and nothing else', () => {
    expect(keys(zhCN).sort()).toEqual(keys(en).sort());
  });

  it('keeps the placeholders of every message, so no value goes missing in translation', () => {
    for (const key of keys(en)) {
      const zh = placeholders(at(zhCN, key)).filter((p) => p !== 'one' && p !== 'other');
      const english = placeholders(at(en, key)).filter((p) => p !== 'one' && p !== 'other');
      expect(zh, key).toEqual(english);
    }
  });

  it('has no empty message', () => {
    for (const key of keys(zhCN)) expect(at(zhCN, key).trim(), key).not.toBe('');
  });
});

describe('t', () => {
  afterEach(() => setLanguage('en'));

  it('speaks English by default and switches the whole page with setLanguage', () => {
    expect(translate('status.fault')).toBe('Fault');
    expect(get(locale)).toBe('en');
    setLanguage('zh-CN');
    expect(get(t)('status.fault')).toBe('故障');
    expect(get(locale)).toBe('zh-CN');
  });

  it('fills placeholders and plurals', () => {
    expect(translate('map.plants', { count: 1 })).toBe('1 plant');
    expect(translate('list.page_of', { page: 2, pages: 7 })).toBe('Page 2 of 7');
    setLanguage('zh-CN');
    expect(translate('list.page_of', { page: 2, pages: 7 })).toBe('第 2 页，共 7 页');
  });

  it('falls back to English for an unknown language', () => {
    expect(toLanguage('fr')).toBe('en');
    expect(toLanguage(null)).toBe('en');
    setLanguage('xx');
    expect(translate('status.normal')).toBe('Normal');
  });

  it('says how long ago in the language of the wall', () => {
    expect(formatAge(12_000, translate)).toBe('12 s');
    expect(formatAgo(3 * 60_000 + 5_000, translate)).toBe('3 min ago');
    expect(formatAge((2 * 60 + 5) * 60_000, translate)).toBe('2 h 5 min');
    expect(formatAge(72 * 3_600_000, translate)).toBe('3 d');
    setLanguage('zh-CN');
    expect(formatAgo(3 * 60_000, translate)).toBe('3 分钟前');
  });
});
