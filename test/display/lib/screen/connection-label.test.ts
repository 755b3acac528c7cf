import { describe, expect, it } from 'vitest';
import { connectionLabel, formatAge } from '$lib/screen/connection-label.ts';

const clock = (d: Date) => d.toISOString().slice(11, 19);
const now = new Date('2025-06-01T10:41:30Z');

describe('formatAge', () => {
  it('reads at wall precision', () => {
    expect(formatAge(12_400)).toBe('12 s');
    expect(formatAge(4 * 60_000 + 5_000)).toBe('4 min');
    expect(formatAge(125 * 60_000)).toBe('2 h 5 min');
    expect(formatAge(3 * 86_400_000)).toBe('3 d');
    expect(formatAge(-500)).toBe('0 s');
  });
});

describe('connectionLabel', () => {
  it('says live and how old the data is', () => {
    expect(connectionLabel('live', now, '2025-06-01T10:41:18Z', now, clock)).toEqual({
      text: 'Live · 12 s ago',
      stale: false
    });
  });

  it('flags live data that stopped moving', () => {
    expect(connectionLabel('live', now, '2025-06-01T10:20:00Z', now, clock).stale).toBe(true);
  });

  it('flags figures older than two heartbeats while connected', () => {
    // 10:41:30 now: 19 s old is a late beat, 21 s old is two missed ones.
    expect(connectionLabel('live', now, '2025-06-01T10:41:11Z', now, clock).stale).toBe(false);
    expect(connectionLabel('live', now, '2025-06-01T10:41:09Z', now, clock)).toEqual({ text: 'Live · 21 s ago', stale: true });
  });

  it('says since when it is reconnecting, in the given clock', () => {
    const since = new Date('2025-06-01T10:41:07Z');
    expect(connectionLabel('reconnecting', since, '2025-06-01T10:40:00Z', now, clock).text).toBe(
      'Reconnecting since 10:41:07'
    );
  });
});
