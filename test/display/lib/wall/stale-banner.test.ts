import { describe, expect, it } from 'vitest';
import type { Translate } from '$lib/i18n/index.ts';
import { staleBanner } from '$lib/wall/stale-banner.ts';
import { wallClock } from '$lib/wall/zoned.ts';

const since = new Date('2025-06-01T08:41:07Z');
const asOf = '2025-06-01T08:41:02Z';
// Berlin in June: UTC+2.
const clock = wallClock('en', 'Europe/Berlin');
const after = (ms: number) => new Date(since.getTime() + ms);

const texts: Record<string, string> = {
  'connection.lost_showing': 'Connection lost since {since} — showing figures from {as_of}',
  'connection.restarting_showing': 'Server restarting since {since} — reconnecting, showing figures from {as_of}',
  'connection.delayed_showing': 'Data delayed since {since} — showing figures from {as_of}'
};
const tr: Translate = (key, values) => (texts[key] ?? key).replace(/\{(\w+)\}/g, (_, name: string) => String(values?.[name]));

describe('staleBanner', () => {
  it('says since when the connection is lost and how old the figures are, in the tenant zone', () => {
    expect(staleBanner('reconnecting', since, asOf, after(6_000), clock, tr)).toBe(
      'Connection lost since 10:41:07 — showing figures from 10:41:02'
    );
  });

  it('stays quiet for the first 5 seconds of a drop', () => {
    expect(staleBanner('reconnecting', since, asOf, after(4_000), clock, tr)).toBeNull();
    expect(staleBanner('reconnecting', since, asOf, after(5_000), clock, tr)).toBeNull();
  });

  it('goes when the wall is live again', () => {
    expect(staleBanner('live', since, asOf, after(60_000), clock, tr)).toBeNull();
  });

  it('has nothing to say before the first figures or on a rejected token (they have their own message)', () => {
    expect(staleBanner('connecting', since, asOf, after(60_000), clock, tr)).toBeNull();
    expect(staleBanner('error', since, asOf, after(60_000), clock, tr)).toBeNull();
  });

  it('survives a bad time zone and a bad as_of', () => {
    const fallback = wallClock('en', 'Not/AZone');
    expect(staleBanner('reconnecting', since, 'garbage', after(6_000), fallback, tr)).toMatch(/^Connection lost since \d\d:\d\d:\d\d — showing figures from –$/);
  });

  it('says the server is restarting when it said so before closing, after the same 5 seconds', () => {
    const cause = { restarting: true, delayedSince: null };
    expect(staleBanner('reconnecting', since, asOf, after(4_000), clock, tr, cause)).toBeNull();
    expect(staleBanner('reconnecting', since, asOf, after(6_000), clock, tr, cause)).toBe(
      'Server restarting since 10:41:07 — reconnecting, showing figures from 10:41:02'
    );
  });

  it('says at once that data is delayed while connected to a server that cannot store it, and goes when it can', () => {
    const delayed = { restarting: false, delayedSince: new Date('2025-06-01T08:40:00Z') };
    expect(staleBanner('live', since, asOf, after(0), clock, tr, delayed)).toBe('Data delayed since 10:40:00 — showing figures from 10:41:02');
    expect(staleBanner('live', since, asOf, after(0), clock, tr, { restarting: false, delayedSince: null })).toBeNull();
  });
});
