import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RegionStats } from '$contract';
import { RegionStatsFeed } from '$lib/map/region-stats.svelte.ts';

const stats = (plants: number): RegionStats => ({ plants, power_w: 0, today_kwh: 0, days: [], years: [] });
const europe = { west: -10, south: 35, east: 30, north: 60 };
const germany = { west: 5, south: 47, east: 15, north: 55 };

describe('RegionStatsFeed', () => {
  let urls: string[];
  let fetchImpl: typeof fetch;
  beforeEach(() => {
    vi.useFakeTimers();
    urls = [];
    fetchImpl = (async (url: string) => {
      urls.push(url);
      return new Response(JSON.stringify(stats(urls.length)), { status: 200 });
    }) as typeof fetch;
  });
  afterEach(() => vi.useRealTimers());

  it('asks once, 500 ms after the view stops moving', async () => {
    const feed = new RegionStatsFeed({ screenId: 's1', fetch: fetchImpl });
    feed.show(europe);
    await vi.advanceTimersByTimeAsync(300);
    feed.show(germany);
    await vi.advanceTimersByTimeAsync(499);
    expect(urls).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(urls).toHaveLength(1);
    expect(urls[0]).toContain('west=5&south=47&east=15&north=55');
    expect(feed.stats?.plants).toBe(1);
    feed.destroy();
  });

  it('does not ask again for the same view, but refreshes it while it stays', async () => {
    const feed = new RegionStatsFeed({ screenId: 's1', fetch: fetchImpl, refreshMs: 10_000 });
    feed.show(europe);
    await vi.advanceTimersByTimeAsync(500);
    feed.show({ ...europe });
    await vi.advanceTimersByTimeAsync(9_000);
    expect(urls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(urls).toHaveLength(2);
    expect(feed.stats?.plants).toBe(2);
    feed.destroy();
  });

  it('clears the figures and stops asking when the map zooms out', async () => {
    const feed = new RegionStatsFeed({ screenId: 's1', fetch: fetchImpl, refreshMs: 1_000 });
    feed.show(europe);
    await vi.advanceTimersByTimeAsync(500);
    expect(feed.stats).not.toBeNull();
    feed.show(null);
    expect(feed.stats).toBeNull();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(urls).toHaveLength(1);
  });

  it('stays quiet (no figures) while the server does not know the route', async () => {
    const notFound = (async () => new Response('{}', { status: 404 })) as typeof fetch;
    const feed = new RegionStatsFeed({ screenId: 's1', fetch: notFound });
    feed.show(europe);
    await vi.advanceTimersByTimeAsync(500);
    expect(feed.stats).toBeNull();
    feed.destroy();
  });
});
