import { describe, expect, it } from 'vitest';
import { clusterRadius, countLabel, labelSize, STATUS_CODE, worstStatus } from '$lib/map/cluster-style.ts';

function tally(counts: Partial<Record<keyof typeof STATUS_CODE, number>>): number[] {
  const t = [0, 0, 0, 0];
  for (const [status, n] of Object.entries(counts)) t[STATUS_CODE[status as keyof typeof STATUS_CODE]] = n;
  return t;
}

describe('worstStatus', () => {
  it('shows one fault among thousands of healthy plants', () => {
    expect(worstStatus(tally({ normal: 5000, offline: 20, protect: 3, fault: 1 }))).toBe('fault');
  });
  it('ranks fault over protect over offline over normal', () => {
    expect(worstStatus(tally({ normal: 9, protect: 1, offline: 4 }))).toBe('protect');
    expect(worstStatus(tally({ normal: 9, offline: 1 }))).toBe('offline');
    expect(worstStatus(tally({ normal: 9 }))).toBe('normal');
  });
  it('reads a tally at an offset in a shared array', () => {
    const shared = [...tally({ normal: 1 }), ...tally({ fault: 2 })];
    expect(worstStatus(shared, 0)).toBe('normal');
    expect(worstStatus(shared, 4)).toBe('fault');
  });
});

describe('clusterRadius', () => {
  const range = { minPx: 10, maxPx: 30 };
  it('grows with the weight and reaches the maximum for the whole fleet', () => {
    const small = clusterRadius(2, 2000, range);
    const mid = clusterRadius(200, 2000, range);
    expect(small).toBeGreaterThan(10);
    expect(mid).toBeGreaterThan(small);
    expect(clusterRadius(2000, 2000, range)).toBe(30);
  });
  it('never leaves the range, even for unknown or zero weights', () => {
    expect(clusterRadius(0, 2000, range)).toBe(10);
    expect(clusterRadius(5, 0, range)).toBe(10);
    expect(clusterRadius(5000, 2000, range)).toBe(30);
  });
  it('keeps small clusters distinguishable in a million-plant fleet (log scale)', () => {
    expect(clusterRadius(1000, 1_000_000, range) - clusterRadius(10, 1_000_000, range)).toBeGreaterThan(5);
  });
});

describe('countLabel', () => {
  it('shows small counts whole and large ones compact', () => {
    expect(countLabel(7)).toBe('7');
    expect(countLabel(999)).toBe('999');
    expect(countLabel(1234)).toBe('1.2K');
    expect(countLabel(45_600)).toBe('46K');
    expect(countLabel(1_200_000)).toBe('1.2M');
  });
  it('uses the language of the wall', () => {
    expect(countLabel(45_600, 'zh-CN')).toBe('4.6万');
  });
});

describe('labelSize', () => {
  it('keeps short labels at the base size and shrinks long ones to fit the circle', () => {
    expect(labelSize('12', 20, 14)).toBe(14);
    expect(labelSize('1.2K', 12, 14)).toBeLessThan(14);
  });
});
