import { describe, expect, it } from 'vitest';
import { resolveLanguage, resolveThemeName, THEME_BY_NAME, wallTheme, withAccent } from '$lib/theme.ts';
import { themeVariables } from '$themes/schema.ts';

describe('resolveThemeName', () => {
  it("takes the screen's theme over the tenant's", () => {
    expect(resolveThemeName({ theme: 'lobby' }, { theme: 'daylight' })).toBe('daylight');
  });
  it("takes the tenant's when the screen leaves it to the tenant (null)", () => {
    expect(resolveThemeName({ theme: 'lobby' }, { theme: null })).toBe('lobby');
    expect(resolveThemeName({ theme: 'lobby' })).toBe('lobby');
  });
  it('falls back to the control room before the first snapshot or for an unknown name', () => {
    expect(resolveThemeName(null, null)).toBe('control-room');
    expect(resolveThemeName({ theme: 'neon' as 'lobby' })).toBe('control-room');
  });
});

describe('resolveLanguage', () => {
  it("takes the screen's language over the tenant's, English otherwise", () => {
    expect(resolveLanguage({ language: 'en' }, { language: 'zh-CN' })).toBe('zh-CN');
    expect(resolveLanguage({ language: 'zh-CN' }, { language: null })).toBe('zh-CN');
    expect(resolveLanguage(null)).toBe('en');
  });
});

describe('withAccent', () => {
  const base = THEME_BY_NAME['control-room'];

  it("puts the tenant's accent over the theme's, its soft fill at the theme's alpha", () => {
    const t = withAccent(base, '#e63946');
    expect(t.colors.accent).toBe('#e63946');
    expect(t.colors.accent_soft).toBe(`#e63946${base.colors.accent_soft.slice(7)}`);
    expect(themeVariables(t)['--fw-accent']).toBe('#e63946');
    // The theme itself is left alone: other walls share it.
    expect(base.colors.accent).toBe('#f5b82e');
  });

  it("keeps the theme's accent when the tenant has none or a broken one", () => {
    expect(withAccent(base, null)).toBe(base);
    expect(withAccent(base, 'red')).toBe(base);
  });
});

describe('wallTheme', () => {
  it('resolves the theme (screen over tenant) and then the accent', () => {
    const t = wallTheme({ theme: 'lobby', accent_color: '#00aa55' }, { theme: 'daylight' });
    expect(t.name).toBe('daylight');
    expect(t.colors.accent).toBe('#00aa55');
    expect(t.colors.background).toBe(THEME_BY_NAME.daylight.colors.background);
  });
});
