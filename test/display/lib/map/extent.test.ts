import { describe, expect, it } from 'vitest';
import { plantsExtent as extentOf, WORLD } from '$lib/map/extent.ts';

const plantsExtent = (plants: { lat: number; lon: number }[]) =>
  extentOf({ length: plants.length, lat: plants.map((p) => p.lat), lon: plants.map((p) => p.lon) });

describe('plantsExtent', () => {
  it('shows the world when there is no plant to place', () => {
    expect(plantsExtent([])).toEqual(WORLD);
    expect(plantsExtent([{ lat: Number.NaN, lon: 0 }])).toEqual(WORLD);
  });

  it('covers every plant of a spread-out fleet', () => {
    const [[w, s], [e, n]] = plantsExtent([
      { lat: 52.5, lon: 13.4 },
      { lat: -33.9, lon: 151.2 },
      { lat: 40.7, lon: -74 }
    ]);
    expect([w, s, e, n]).toEqual([-74, -33.9, 151.2, 52.5]);
  });

  it('does not zoom to street level on a single plant', () => {
    const [[w, s], [e, n]] = plantsExtent([{ lat: 48.1, lon: 11.6 }]);
    expect(e - w).toBeGreaterThanOrEqual(8);
    expect(n - s).toBeGreaterThanOrEqual(8);
    expect(w).toBeLessThan(11.6);
    expect(e).toBeGreaterThan(11.6);
  });

  it('stays within Web Mercator latitudes', () => {
    const [[, s], [, n]] = plantsExtent([{ lat: 84, lon: 10 }]);
    expect(n).toBeLessThanOrEqual(85);
    expect(s).toBeLessThan(84);
  });

  it('frames a Pacific fleet across the antimeridian, not across the whole world', () => {
    const [[w], [e]] = plantsExtent([
      { lat: -36.8, lon: 174.7 }, // Auckland
      { lat: 21.3, lon: -157.8 } // Honolulu
    ]);
    expect(w).toBe(174.7);
    expect(e).toBeCloseTo(202.2);
  });
});
