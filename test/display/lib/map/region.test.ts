import { describe, expect, it } from 'vitest';
import type { RegionStats } from '$contract';
import { fetchRegionStats, regionBounds, regionUrl } from '$lib/map/region.ts';

const stats: RegionStats = {
  plants: 12,
  power_w: 1500,
  today_kwh: 30,
  days: [{ date: '2025-06-01', kwh: 10 }],
  years: [{ year: 2025, kwh: 100 }]
};

function fakeFetch(status: number, body: unknown, seen: { url?: string; init?: RequestInit } = {}): typeof fetch {
  return (async (url: string, init?: RequestInit) => {
    seen.url = url;
    seen.init = init;
    return new Response(JSON.stringify(body), { status });
  }) as typeof fetch;
}

describe('regionBounds', () => {
  it('wraps world copies back into -180..180 and clamps latitudes', () => {
    expect(regionBounds(170, -95, 200, 95)).toEqual({ west: 170, south: -90, east: -160, north: 90 });
    expect(regionBounds(-200, 10, -170, 20)).toEqual({ west: 160, south: 10, east: -170, north: 20 });
  });
  it('keeps a view ending on the antimeridian ending at 180, and a wrapped-round view whole', () => {
    expect(regionBounds(150, 0, 180, 10).east).toBe(180);
    expect(regionBounds(-300, 0, 100, 10)).toEqual({ west: -180, south: 0, east: 180, north: 10 });
  });
});

describe('regionUrl', () => {
  it('asks the screen route with the view as query parameters', () => {
    expect(regionUrl('scr 1', { west: 1.5, south: 40, east: 10, north: 50.25 })).toBe(
      '/api/v1/screens/scr%201/region?west=1.5&south=40&east=10&north=50.25'
    );
  });
});

describe('fetchRegionStats', () => {
  const signal = new AbortController().signal;
  it('sends the screen token as a Bearer token', async () => {
    const seen: { init?: RequestInit } = {};
    expect(await fetchRegionStats('/r', 'tok', signal, fakeFetch(200, stats, seen))).toEqual(stats);
    expect(seen.init?.headers).toEqual({ Authorization: 'Bearer tok' });
  });
  it('relies on the cookie without a token', async () => {
    const seen: { init?: RequestInit } = {};
    await fetchRegionStats('/r', null, signal, fakeFetch(200, stats, seen));
    expect(seen.init?.headers).toEqual({});
    expect(seen.init?.credentials).toBe('same-origin');
  });
  it('reads a missing endpoint, a server error or a foreign body as "no figures", without throwing', async () => {
    expect(await fetchRegionStats('/r', null, signal, fakeFetch(404, { message: 'Not Found' }))).toBeNull();
    expect(await fetchRegionStats('/r', null, signal, fakeFetch(500, {}))).toBeNull();
    expect(await fetchRegionStats('/r', null, signal, fakeFetch(200, { plants: 'many' }))).toBeNull();
    const broken = (async () => {
      throw new TypeError('network down');
    }) as typeof fetch;
    expect(await fetchRegionStats('/r', null, signal, broken)).toBeNull();
  });
});
