import { describe, expect, it } from 'vitest';
import type { TenantHeader } from '$contract';
import { brandingBody, formFrom, inherited, isTimeZone, normalizeHex, previewTenant } from '$lib/admin/branding-form.ts';
import type { Branding, BrandingState } from '$lib/admin/types.ts';

const none: Branding = { title: null, logo_url: null, accent_color: null, theme: null, co2_factor: null, tree_co2_kg: null, coal_kg_per_kwh: null, timezone: null, language: null };

// An installer under a distributor: sets its own title and accent, inherits the rest.
const state: BrandingState = {
  own: { ...none, title: 'Bright Solar', accent_color: '#e63946' },
  effective: { ...none, title: 'Bright Solar', accent_color: '#e63946', theme: 'lobby', co2_factor: 0.4, timezone: 'Europe/Berlin', language: 'en', logo_url: '/logos/dist.png' },
  inherited_from: { theme: 'dist', co2_factor: 'dist', timezone: 'dist', language: 'dist', logo_url: 'dist' }
};

const header: TenantHeader = {
  id: 'inst', name: 'Bright Installers', title: 'Bright Solar', logo_url: '/logos/dist.png', timezone: 'Europe/Berlin',
  accent_color: '#e63946', theme: 'lobby', language: 'en'
};

describe('formFrom', () => {
  it('fills own values and marks the others inherited, showing what they inherit', () => {
    const form = formFrom(state);
    expect(form.title).toEqual({ inherit: false, value: 'Bright Solar' });
    expect(form.theme).toEqual({ inherit: true, value: 'lobby' });
    expect(form.co2_factor).toEqual({ inherit: true, value: '0.4' });
  });
});

describe('brandingBody', () => {
  it('sends null for every inherited setting and the own values as typed', () => {
    const form = formFrom(state);
    const { body, errors } = brandingBody(form);
    expect(errors).toEqual({});
    expect(body).toEqual({ title: 'Bright Solar', accent_color: '#e63946', theme: null, co2_factor: null, tree_co2_kg: null, coal_kg_per_kwh: null, timezone: null, language: null });
  });

  it('turns a setting back to inherit with null, and an inherited one into its own', () => {
    const form = formFrom(state);
    form.accent_color.inherit = true;
    form.theme = { inherit: false, value: 'daylight' };
    form.co2_factor = { inherit: false, value: '0,512' };
    form.language = { inherit: false, value: 'zh-CN' };
    const { body, errors } = brandingBody(form);
    expect(errors).toEqual({});
    expect(body).toMatchObject({ accent_color: null, theme: 'daylight', co2_factor: 0.512, language: 'zh-CN' });
  });

  it('normalizes the accent and catches what the server would refuse', () => {
    const form = formFrom(state);
    form.accent_color.value = ' #ABC ';
    expect(brandingBody(form).body.accent_color).toBe('#aabbcc');
    form.accent_color.value = 'red';
    form.title.value = '  ';
    form.co2_factor = { inherit: false, value: '-1' };
    form.timezone = { inherit: false, value: 'Mars/Olympus' };
    expect(Object.keys(brandingBody(form).errors).sort()).toEqual(['accent_color', 'co2_factor', 'timezone', 'title']);
  });
});

describe('inherited', () => {
  it('knows the inherited value and its tenant while the setting is inherited', () => {
    expect(inherited(state, 'theme')).toEqual({ value: 'lobby', known: true, from: 'dist' });
  });
  it('does not pretend to know it while the tenant has its own, unless the server said', () => {
    expect(inherited(state, 'title')).toEqual({ value: null, known: false, from: null });
    const told: BrandingState = { ...state, inherits: { values: { ...none, title: 'Parent Title' }, from: { title: 'dist' } } };
    expect(inherited(told, 'title')).toEqual({ value: 'Parent Title', known: true, from: 'dist' });
  });
  it('says "not set anywhere" for a setting nobody sets', () => {
    const root: BrandingState = { own: none, effective: none, inherited_from: {} };
    expect(inherited(root, 'accent_color')).toEqual({ value: null, known: true, from: null });
  });
});

describe('previewTenant', () => {
  it('shows the unsaved form over the wall header, with a just-picked logo', () => {
    const form = formFrom(state);
    form.title.value = 'Bright Lobby';
    form.theme = { inherit: false, value: 'daylight' };
    form.accent_color.value = '#00AA55';
    const shown = previewTenant(header, form, state, 'blob:http://x/123');
    expect(shown).toMatchObject({ title: 'Bright Lobby', theme: 'daylight', accent_color: '#00aa55', logo_url: 'blob:http://x/123', id: 'inst' });
  });

  it("falls back to the theme's accent for a half-typed colour and keeps a good time zone", () => {
    const form = formFrom(state);
    form.accent_color.value = '#00A';
    form.timezone = { inherit: false, value: 'Europe/Ber' };
    const shown = previewTenant(header, form, state, null);
    expect(shown.accent_color).toBe('#0000aa');
    expect(shown.timezone).toBe('Europe/Berlin');
    form.accent_color.value = '#00';
    expect(previewTenant(header, form, state, null).accent_color).toBeNull();
  });

  it('shows inherited settings as the server resolved them', () => {
    const form = formFrom(state);
    expect(previewTenant(header, form, state, null)).toMatchObject({ theme: 'lobby', language: 'en', timezone: 'Europe/Berlin' });
  });
});

describe('normalizeHex / isTimeZone', () => {
  it('accepts the colour spellings people type', () => {
    expect(normalizeHex('ABCDEF')).toBe('#abcdef');
    expect(normalizeHex('#fff')).toBe('#ffffff');
    expect(normalizeHex('#ggg')).toBeNull();
  });
  it('knows IANA zones', () => {
    expect(isTimeZone('Asia/Shanghai')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
    expect(isTimeZone('')).toBe(false);
  });
});
