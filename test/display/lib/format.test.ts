import { describe, expect, it } from 'vitest';
import { asText, formatEnergy, formatIn, formatMass, formatPower, POWER } from '$lib/format.ts';

describe('formatPower', () => {
  it('climbs W -> kW -> MW -> GW with 3 significant figures', () => {
    expect(formatPower(950)).toEqual({ value: '950', unit: 'W' });
    expect(formatPower(1234)).toEqual({ value: '1.23', unit: 'kW' });
    expect(formatPower(45_678)).toEqual({ value: '45.7', unit: 'kW' });
    expect(formatPower(12_345_678)).toEqual({ value: '12.3', unit: 'MW' });
    expect(formatPower(2.5e9)).toEqual({ value: '2.50', unit: 'GW' });
  });

  it('keeps 3 figures as the value ticks, so "30.0 MW" does not shrink to "30 MW"', () => {
    expect(formatPower(30_012_345)).toEqual({ value: '30.0', unit: 'MW' });
  });

  it('moves up a unit when rounding reaches 1000, never showing "1,000 W"', () => {
    expect(formatPower(999.6)).toEqual({ value: '1.00', unit: 'kW' });
    expect(formatPower(999_700)).toEqual({ value: '1.00', unit: 'MW' });
  });

  it('shows zero, small and negative (charging) power sensibly', () => {
    expect(formatPower(0)).toEqual({ value: '0', unit: 'W' });
    expect(formatPower(0.5)).toEqual({ value: '0.5', unit: 'W' });
    expect(formatPower(-2500)).toEqual({ value: '-2.50', unit: 'kW' });
  });

  it('does not pretend a non-number is zero', () => {
    expect(formatPower(Number.NaN).value).toBe('–');
  });
});

describe('formatEnergy', () => {
  it('uses kWh, MWh, GWh', () => {
    expect(formatEnergy(12.345)).toEqual({ value: '12.3', unit: 'kWh' });
    expect(formatEnergy(5_432)).toEqual({ value: '5.43', unit: 'MWh' });
    expect(formatEnergy(7_654_321)).toEqual({ value: '7.65', unit: 'GWh' });
  });

  it('shows big totals past the top unit as whole grouped numbers, not rounded to 3 figures', () => {
    expect(formatEnergy(12_345_678_901)).toEqual({ value: '12,346', unit: 'GWh' });
  });

  it('follows the locale for separators', () => {
    expect(formatEnergy(5_432, 'de')).toEqual({ value: '5,43', unit: 'MWh' });
    expect(formatEnergy(12_345_678_901, 'de').value).toBe('12.346');
  });
});

describe('formatMass', () => {
  it('uses kg then t', () => {
    expect(formatMass(850)).toEqual({ value: '850', unit: 'kg' });
    expect(formatMass(1_520)).toEqual({ value: '1.52', unit: 't' });
    expect(formatMass(2_345_678)).toEqual({ value: '2,346', unit: 't' });
  });
});

describe('asText', () => {
  it('joins value and unit with a no-break space', () => {
    expect(asText(formatPower(1234))).toBe('1.23\u00a0kW');
  });
});

describe('formatIn (axis ticks)', () => {
  it('shows ticks in a fixed unit without trailing zeros', () => {
    const mw = POWER[2];
    expect([0, 10e6, 25e6].map((w) => formatIn(w, mw, 'en', false))).toEqual(['0', '10', '25']);
  });
});
