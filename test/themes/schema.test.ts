import { describe, expect, it } from 'vitest';
import controlRoom from '$themes/control-room.json';
import { invalidColors, rootFontPx, themeVariables, type Theme } from '$themes/schema.ts';

const theme: Theme = controlRoom;

describe('control-room theme', () => {
  it('has only valid colours', () => {
    expect(invalidColors(theme)).toEqual([]);
  });

  it('catches a broken colour by name', () => {
    const broken: Theme = { ...theme, colors: { ...theme.colors, status: { ...theme.colors.status, fault: 'red' } } };
    expect(invalidColors(broken)).toEqual(['status.fault']);
  });
});

describe('themeVariables', () => {
  it('exposes every status colour and the map palette as CSS custom properties', () => {
    const vars = themeVariables(theme);
    for (const status of ['all', 'normal', 'standby', 'protect', 'fault', 'offline'] as const) {
      expect(vars[`--fw-status-${status}`]).toBe(theme.colors.status[status]);
    }
    expect(vars['--fw-map-ocean']).toBe(theme.colors.map.ocean);
    expect(vars['--fw-root-size']).toMatch(/^clamp\(/);
  });
});

describe('rootFontPx', () => {
  it('doubles from 1080p to 4K so the layout is the same, only sharper', () => {
    expect(rootFontPx(theme, 3840, 2160)).toBeCloseTo(2 * rootFontPx(theme, 1920, 1080));
  });

  it('stays within the theme bounds on tiny and huge screens', () => {
    expect(rootFontPx(theme, 320, 200)).toBe(theme.type.root_min_px);
    expect(rootFontPx(theme, 15360, 8640)).toBe(theme.type.root_max_px);
  });
});
