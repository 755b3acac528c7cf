import { describe, expect, it } from 'vitest';
import { containsBBox, FOCUS_ZOOM, CLUSTER_MAX_ZOOM, focusKey, padBBox } from '$lib/map/map-view.ts';

describe('focusKey', () => {
  it('is the same for equal foci, so a re-render does not restart a flight', () => {
    expect(focusKey({ lon: 11, lat: 48 })).toBe(focusKey({ lon: 11, lat: 48, zoom: FOCUS_ZOOM }));
    expect(focusKey({ lon: 11, lat: 48, zoom: 6 })).not.toBe(focusKey({ lon: 11, lat: 48 }));
  });
  it('treats a missing or unusable focus as the fleet view', () => {
    expect(focusKey(null)).toBeNull();
    expect(focusKey({ lon: Number.NaN, lat: 1 })).toBeNull();
  });
  it('lands past the last cluster level, so the focused plant stands alone', () => {
    expect(FOCUS_ZOOM).toBeGreaterThan(CLUSTER_MAX_ZOOM);
  });
});

describe('padBBox / containsBBox', () => {
  it('asks for a wider box than the view, which then holds small pans', () => {
    const padded = padBBox([0, 40, 10, 50]);
    expect(padded).toEqual([-5, 35, 15, 55]);
    expect(containsBBox(padded, [3, 42, 13, 52])).toBe(true);
    expect(containsBBox(padded, [8, 42, 18, 52])).toBe(false);
  });
  it('becomes the whole world when the padding would wrap around', () => {
    const padded = padBBox([-170, -60, 170, 80]);
    expect(padded[0]).toBe(-180);
    expect(padded[2]).toBe(180);
    expect(containsBBox(padded, [-200, -70, 160, 85.5])).toBe(true);
  });
});
