import { describe, expect, it } from 'vitest';
import type { Translate } from '$lib/i18n/index.ts';
import type { ConnectionState } from '$lib/socket/screen-socket.svelte.ts';
import { staleBanner } from '$lib/wall/stale-banner.ts';
import { wallClock } from '$lib/wall/zoned.ts';

const since = new Date('2025-06-01T08:41:07Z');
const asOf = '2025-06-01T08:41:02Z';
// Berlin in June: UTC+2.
const clock = wallClock('en', 'Europe/Berlin');
const after = (ms: number) => new Date(since.getTime() + ms);
// The last message (a ping) came just before the drop.
const link = (state: ConnectionState, lastHeardAt = since.getTime() - 1_000, deafUntil = 0) => ({ state, since, lastHeardAt, deafUntil });

const texts: Record<string, string> = {
  'connection.lost_showing': 'Connection lost since {since} — showing figures from {as_of}',
  'connection.restarting_showing': 'Server restarting since {since} — reconnecting, showing figures from {as_of}',
  'connection.delayed_showing': 'Data delayed since {since} — showing figures from {as_of}'
};
const tr: Translate = (key, values) => (texts[key] ?? key).replace(/\{(\w+)\}/g, (_, name: string) => String(values?.[name]));

describe('staleBanner', () => {
  it('says since when the connection is lost and how old the figures are, in the tenant zone', () => {
    expect(staleBanner(link('reconnecting'), asOf, after(4_000), clock, tr)).toBe(
      'Connection lost since 10:41:07 — showing figures from 10:41:02'
    );
  });

  it('stays quiet for the first 3 seconds of a drop', () => {
    expect(staleBanner(link('reconnecting'), asOf, after(2_000), clock, tr)).toBeNull();
    expect(staleBanner(link('reconnecting'), asOf, after(3_000), clock, tr)).toBeNull();
  });

  it('goes when the wall is live and hearing from the server again', () => {
    expect(staleBanner(link('live', after(59_000).getTime()), asOf, after(60_000), clock, tr)).toBeNull();
  });

  it('speaks up when a connected socket hears no ping for a ping and a half (a link gone dark, no close)', () => {
    const last = Date.parse(asOf);
    const at = (ms: number) => new Date(last + ms);
    // A ping is due every 2 s: a little late is no news; 4 s of silence is.
    expect(staleBanner(link('live', last), asOf, at(3_000), clock, tr)).toBeNull();
    expect(staleBanner(link('live', last), asOf, at(4_000), clock, tr)).toBe('Connection lost since 10:41:02 — showing figures from 10:41:02');
  });

  it('does not count the silence of a page too busy to listen against the link', () => {
    const last = Date.parse(asOf);
    const at = (ms: number) => new Date(last + ms);
    // The page was busy for 6 s and has just ticked again: what arrived meanwhile is not read yet.
    expect(staleBanner(link('live', last, last + 6_000), asOf, at(6_000), clock, tr)).toBeNull();
    // Still nothing 4 s after it woke: the link is gone, since the last message.
    expect(staleBanner(link('live', last, last + 6_000), asOf, at(10_000), clock, tr)).toBe('Connection lost since 10:41:02 — showing figures from 10:41:02');
  });

  it('keeps dating the loss from the silence once the socket gives up too', () => {
    const last = since.getTime() - 45_000; // the ping timed out 45 s into the silence
    // The banner does not blink off for 5 s when the state changes, and the time stays put.
    expect(staleBanner(link('reconnecting', last), asOf, after(1_000), clock, tr)).toBe(
      'Connection lost since 10:40:22 — showing figures from 10:41:02'
    );
  });

  it('has nothing to say before the first figures or on a rejected token (they have their own message)', () => {
    expect(staleBanner(link('connecting'), asOf, after(60_000), clock, tr)).toBeNull();
    expect(staleBanner(link('error'), asOf, after(60_000), clock, tr)).toBeNull();
  });

  it('survives a bad time zone and a bad as_of', () => {
    const fallback = wallClock('en', 'Not/AZone');
    expect(staleBanner(link('reconnecting', since.getTime()), 'garbage', after(6_000), fallback, tr)).toMatch(
      /^Connection lost since \d\d:\d\d:\d\d — showing figures from –$/
    );
  });

  it('says the server is restarting when it said so before closing, after the same 3 seconds', () => {
    const cause = { restarting: true, delayedSince: null };
    expect(staleBanner(link('reconnecting', since.getTime()), asOf, after(2_500), clock, tr, cause)).toBeNull();
    expect(staleBanner(link('reconnecting', since.getTime()), asOf, after(3_500), clock, tr, cause)).toBe(
      'Server restarting since 10:41:07 — reconnecting, showing figures from 10:41:02'
    );
  });

  it('says at once that data is delayed while connected to a server that cannot store it, and goes when it can', () => {
    const delayed = { restarting: false, delayedSince: new Date('2025-06-01T08:40:00Z') };
    expect(staleBanner(link('live', after(0).getTime()), asOf, after(0), clock, tr, delayed)).toBe('Data delayed since 10:40:00 — showing figures from 10:41:02');
    expect(staleBanner(link('live', after(0).getTime()), asOf, after(0), clock, tr, { restarting: false, delayedSince: null })).toBeNull();
    // A link gone silent says so, delayed or not: the wall cannot know what the server says now.
    expect(staleBanner(link('live', since.getTime()), asOf, after(16_000), clock, tr, delayed)).toMatch(/^Connection lost since /);
  });
});
