import { describe, expect, it } from 'vitest';
import type { Kpi } from '$contract';
import type { Translate } from '$lib/i18n/index.ts';
import { equivalentTiles, formatCount } from '$lib/wall/equivalents.ts';

const words: Record<string, string> = { 'kpi.trees_planted': 'Trees planted', 'kpi.trees_unit': 'trees', 'kpi.coal_saved_kg': 'Coal saved' };
const tr: Translate = (key) => words[key] ?? key;

const kpi: Kpi = { power_w: 1, today_kwh: 1, month_kwh: 1, year_kwh: 1, total_kwh: 1, co2_avoided_kg: 1 };

describe('equivalentTiles', () => {
  it('shows trees and coal when the tenant has factors', () => {
    const tiles = equivalentTiles({ ...kpi, trees_planted: 12_345, coal_saved_kg: 40_100 }, 'en', tr);
    expect(tiles.map((t) => [t.key, t.label, t.figure])).toEqual([
      ['trees_planted', 'Trees planted', { value: '12.3K', unit: 'trees' }],
      ['coal_saved_kg', 'Coal saved', { value: '40.1', unit: 't' }]
    ]);
  });

  it('hides what the snapshot does not carry', () => {
    expect(equivalentTiles(kpi, 'en', tr)).toEqual([]);
    expect(equivalentTiles({ ...kpi, coal_saved_kg: 800 }, 'en', tr).map((t) => t.key)).toEqual(['coal_saved_kg']);
  });
});

describe('formatCount', () => {
  it('reads at wall precision, in the language of the screen', () => {
    expect(formatCount(842.4)).toBe('842');
    expect(formatCount(1_234_567)).toBe('1.23M');
    expect(formatCount(123_456, 'zh-CN')).toBe('12.3万');
  });
});
