import { describe, expect, it } from 'vitest';
import { nextTurnAt, offsetOf, pageCount, pageMs, pageOfTurn, rowsThatFit, turnAt } from '$lib/modes/paging.ts';
import { resolveSort } from '$lib/modes/screen-api.ts';
import { rotationIndex, rotationSource } from '$lib/modes/plant-rotation.ts';

describe('paging', () => {
  it('fits whole rows only', () => {
    expect(rowsThatFit(400, 40)).toBe(10);
    expect(rowsThatFit(399, 40)).toBe(9);
    expect(rowsThatFit(0, 40)).toBe(1);
  });

  it('counts pages, an empty list being one empty page', () => {
    expect(pageCount(0, 10)).toBe(1);
    expect(pageCount(10, 10)).toBe(1);
    expect(pageCount(61, 10)).toBe(7);
  });

  it('turns pages on the wall clock and cycles back to the first', () => {
    const base = 15_000 * 1_000_000;
    const turn = turnAt(base, 15);
    expect(turnAt(base + 14_999, 15)).toBe(turn);
    expect(turnAt(base + 15_000, 15)).toBe(turn + 1);
    expect(pageOfTurn(13, 7)).toBe(6);
    expect(pageOfTurn(14, 7)).toBe(0);
    expect(pageOfTurn(5, 0)).toBe(0);
    expect(offsetOf(2, 20)).toBe(40);
    expect(nextTurnAt(base + 1_000, 15)).toBe(base + 15_000);
  });

  it('never pages faster than a room can read', () => {
    expect(pageMs(1)).toBe(5_000);
    expect(pageMs(Number.NaN)).toBe(15_000);
  });

  it('sorts by today by default, by an allowed URL column otherwise', () => {
    expect(resolveSort('plants', null, null)).toEqual({ sort: 'today_kwh', order: 'desc' });
    expect(resolveSort('plants', 'name', null)).toEqual({ sort: 'name', order: 'asc' });
    expect(resolveSort('plants', 'total_kwh', null)).toEqual({ sort: 'total_kwh', order: 'desc' });
    expect(resolveSort('plants', 'sn', 'asc')).toEqual({ sort: 'today_kwh', order: 'asc' });
    expect(resolveSort('devices', 'last_update', 'asc')).toEqual({ sort: 'last_update', order: 'asc' });
  });

  it('flies through the top plants one per page interval', () => {
    expect(rotationSource(null)).toBe('largest_yield');
    expect(rotationSource({ fly_through: 'newest_faults' })).toBe('newest_faults');
    expect(rotationIndex(0, 10, 3)).toBe(0);
    expect(rotationIndex(10_000, 10, 3)).toBe(1);
    expect(rotationIndex(30_000, 10, 3)).toBe(0);
    expect(rotationIndex(30_000, 10, 0)).toBe(0);
  });
});
