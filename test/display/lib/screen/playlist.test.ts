import { describe, expect, it } from 'vitest';
import { cycleMs, modeAt, nextSwitchAt, playableItems, positionAt } from '$lib/screen/playlist.ts';
import type { PlaylistItem } from '$contract';

const items: PlaylistItem[] = [
  { mode: 'map', seconds: 60 },
  { mode: 'plants', seconds: 30 },
  { mode: 'alarms', seconds: 10 }
];
const cycle = 100_000;
const epochCycle = cycle * 17_000_000; // some instant that starts a cycle

describe('playlist', () => {
  it('runs one cycle as long as its items together', () => {
    expect(cycleMs(items)).toBe(cycle);
  });

  it('finds the item by the wall clock, so every browser of a wall agrees', () => {
    expect(positionAt(items, epochCycle)?.item.mode).toBe('map');
    expect(positionAt(items, epochCycle + 59_999)?.item.mode).toBe('map');
    expect(positionAt(items, epochCycle + 60_000)?.item.mode).toBe('plants');
    expect(positionAt(items, epochCycle + 89_999)?.item.mode).toBe('plants');
    expect(positionAt(items, epochCycle + 90_000)?.item.mode).toBe('alarms');
    expect(positionAt(items, epochCycle + cycle)?.item.mode).toBe('map');
    // Two browsers reading the same clock a cycle apart land on the same item.
    expect(positionAt(items, epochCycle + 65_000)?.index).toBe(positionAt(items, epochCycle + 3 * cycle + 65_000)?.index);
  });

  it('says when the current item ends, for the next switch', () => {
    const at = positionAt(items, epochCycle + 70_000);
    expect(at?.startsAt).toBe(epochCycle + 60_000);
    expect(at?.endsAt).toBe(epochCycle + 90_000);
    expect(nextSwitchAt({ playlist: items }, epochCycle + 70_000)).toBe(epochCycle + 90_000);
    expect(nextSwitchAt({ playlist: null }, epochCycle)).toBeNull();
  });

  it('drops items that cannot play and holds each for a readable minimum', () => {
    const raw = [
      { mode: 'map', seconds: 2 },
      { mode: 'nonsense', seconds: 30 },
      { mode: 'plants', seconds: Number.NaN }
    ] as unknown as PlaylistItem[];
    expect(playableItems(raw)).toEqual([{ mode: 'map', seconds: 5 }]);
    expect(positionAt([], Date.now())).toBeNull();
  });

  it('shows the URL mode, then the playlist, then the screen mode, then the map', () => {
    const settings = { mode: 'devices' as const, playlist: items };
    expect(modeAt(settings, epochCycle + 61_000, 'customers')).toBe('customers');
    expect(modeAt(settings, epochCycle + 61_000, 'bogus')).toBe('plants');
    expect(modeAt({ mode: 'devices', playlist: null }, epochCycle)).toBe('devices');
    expect(modeAt({ mode: 'devices', playlist: [] }, epochCycle)).toBe('devices');
    expect(modeAt(null, epochCycle)).toBe('map');
  });
});
