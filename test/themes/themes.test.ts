import { describe, expect, it } from 'vitest';
import controlRoom from '$themes/control-room.json';
import lobby from '$themes/lobby.json';
import daylight from '$themes/daylight.json';
import { invalidColors, luminance, onColor, themeVariables, type Theme } from '$themes/schema.ts';
import { THEMES } from '$contract';

const themes: Record<string, Theme> = { 'control-room': controlRoom, lobby, daylight };

/** WCAG contrast ratio of two colours. */
const contrast = (a: string, b: string) => {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
};

describe('every theme', () => {
  it('exists for each name the contract allows, under its own name', () => {
    for (const name of THEMES) expect(themes[name]?.name).toBe(name);
  });

  for (const [name, theme] of Object.entries(themes)) {
    it(`${name}: valid colours, readable text, and the same keys as the control room`, () => {
      expect(invalidColors(theme)).toEqual([]);
      expect(Object.keys(themeVariables(theme)).sort()).toEqual(Object.keys(themeVariables(controlRoom)).sort());
      // Text on panels is read across a room: at least WCAG AA for large text, AA for body text.
      expect(contrast(theme.colors.text, theme.colors.surface)).toBeGreaterThan(7);
      expect(contrast(theme.colors.muted, theme.colors.surface)).toBeGreaterThan(4.5);
      // The same root size at 1080p: the layout, and the admin preview at 16px, match every theme.
      expect(theme.type.root_vmin).toBe(controlRoom.type.root_vmin);
    });
  }

  it('daylight is light and high contrast; status colours stay readable on white', () => {
    expect(luminance(daylight.colors.background)).toBeGreaterThan(0.8);
    for (const status of ['normal', 'protect', 'fault', 'offline'] as const) {
      expect(contrast(daylight.colors.status[status], daylight.colors.surface), status).toBeGreaterThan(4.5);
    }
  });

  it('lobby carries the brand: accent header band, larger logo and title', () => {
    expect(lobby.brand.header_fill).toBe('accent');
    expect(lobby.brand.logo_height).toBeGreaterThan(controlRoom.brand.logo_height);
    expect(lobby.brand.title_size).toBeGreaterThan(controlRoom.brand.title_size);
    expect(themeVariables(lobby)['--fw-header-bg']).toBe(lobby.colors.accent);
  });
});

describe('onColor', () => {
  it('writes dark on light accents and white on dark ones', () => {
    expect(onColor('#f5b82e')).toBe('#0b0f17');
    expect(onColor('#1d3557')).toBe('#ffffff');
    expect(onColor('#fff')).toBe('#0b0f17');
  });
});
