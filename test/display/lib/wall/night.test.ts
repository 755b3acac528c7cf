import { describe, expect, it } from 'vitest';
import { isNight, nightDimming, parseClockTime } from '$lib/wall/night.ts';

const window = { from: '22:00', to: '06:00' };
const at = (iso: string) => new Date(iso);

describe('parseClockTime', () => {
  it('reads 24-hour times and refuses anything else', () => {
    expect(parseClockTime('22:00')).toBe(1320);
    expect(parseClockTime('6:05')).toBe(365);
    expect(parseClockTime('24:00')).toBeNull();
    expect(parseClockTime('10pm')).toBeNull();
  });
});

describe('isNight', () => {
  it('runs a window across midnight in the tenant zone, from inclusive, to exclusive', () => {
    // Berlin in June is UTC+2.
    expect(isNight(at('2025-06-01T19:59:00Z'), 'Europe/Berlin', window)).toBe(false); // 21:59
    expect(isNight(at('2025-06-01T20:00:00Z'), 'Europe/Berlin', window)).toBe(true); // 22:00
    expect(isNight(at('2025-06-01T23:30:00Z'), 'Europe/Berlin', window)).toBe(true); // 01:30
    expect(isNight(at('2025-06-02T03:59:00Z'), 'Europe/Berlin', window)).toBe(true); // 05:59
    expect(isNight(at('2025-06-02T04:00:00Z'), 'Europe/Berlin', window)).toBe(false); // 06:00
  });

  it('reads the same instant differently in another zone', () => {
    const instant = at('2025-06-01T21:00:00Z'); // 23:00 Berlin, 09:00 Auckland (NZST)
    expect(isNight(instant, 'Europe/Berlin', window)).toBe(true);
    expect(isNight(instant, 'Pacific/Auckland', window)).toBe(false);
  });

  it('handles a window within one day', () => {
    const lunch = { from: '12:00', to: '13:30' };
    expect(isNight(at('2025-06-01T12:45:00Z'), 'UTC', lunch)).toBe(true);
    expect(isNight(at('2025-06-01T13:30:00Z'), 'UTC', lunch)).toBe(false);
    expect(isNight(at('2025-06-01T11:59:00Z'), 'UTC', lunch)).toBe(false);
  });

  it('follows the local clock through the spring-forward night', () => {
    // 2025-03-30 in Berlin: 02:00 CET jumps to 03:00 CEST (01:00Z). A 22:00-06:00 window
    // ends at 06:00 CEST = 04:00Z that morning, not 05:00Z.
    expect(isNight(at('2025-03-30T00:59:00Z'), 'Europe/Berlin', window)).toBe(true); // 01:59 CET
    expect(isNight(at('2025-03-30T01:00:00Z'), 'Europe/Berlin', window)).toBe(true); // 03:00 CEST
    expect(isNight(at('2025-03-30T03:59:00Z'), 'Europe/Berlin', window)).toBe(true); // 05:59 CEST
    expect(isNight(at('2025-03-30T04:00:00Z'), 'Europe/Berlin', window)).toBe(false); // 06:00 CEST
    // A window starting in the skipped hour starts when the clocks land past it.
    const skipped = { from: '02:30', to: '04:00' };
    expect(isNight(at('2025-03-30T00:59:00Z'), 'Europe/Berlin', skipped)).toBe(false); // 01:59 CET
    expect(isNight(at('2025-03-30T01:00:00Z'), 'Europe/Berlin', skipped)).toBe(true); // 03:00 CEST
  });

  it('follows the local clock through the fall-back night', () => {
    // 2025-10-26 in Berlin: 03:00 CEST falls back to 02:00 CET (01:00Z); the night lasts an hour longer.
    expect(isNight(at('2025-10-25T20:00:00Z'), 'Europe/Berlin', window)).toBe(true); // 22:00 CEST
    expect(isNight(at('2025-10-26T04:59:00Z'), 'Europe/Berlin', window)).toBe(true); // 05:59 CET
    expect(isNight(at('2025-10-26T05:00:00Z'), 'Europe/Berlin', window)).toBe(false); // 06:00 CET
    // Both passes through 02:30 are inside a 02:00-03:00 window.
    const repeated = { from: '02:00', to: '03:00' };
    expect(isNight(at('2025-10-26T00:30:00Z'), 'Europe/Berlin', repeated)).toBe(true); // 02:30 CEST
    expect(isNight(at('2025-10-26T01:30:00Z'), 'Europe/Berlin', repeated)).toBe(true); // 02:30 CET
  });

  it('follows a southern-hemisphere DST change', () => {
    // Auckland 2025-09-28: 02:00 NZST jumps to 03:00 NZDT (14:00Z on the 27th).
    expect(isNight(at('2025-09-27T16:59:00Z'), 'Pacific/Auckland', window)).toBe(true); // 05:59 NZDT
    // 06:00 NZDT: day, although it would be 05:00 had the clocks not moved.
    expect(isNight(at('2025-09-27T17:00:00Z'), 'Pacific/Auckland', window)).toBe(false);
  });

  it('never dims for an empty or unreadable window', () => {
    expect(isNight(at('2025-06-01T23:00:00Z'), 'UTC', { from: '22:00', to: '22:00' })).toBe(false);
    expect(isNight(at('2025-06-01T23:00:00Z'), 'UTC', { from: 'late', to: '06:00' })).toBe(false);
  });

  it('falls back to the browser zone for a zone Intl does not know', () => {
    expect(() => isNight(at('2025-06-01T23:00:00Z'), 'Mars/Olympus_Mons', window)).not.toThrow();
  });
});

describe('nightDimming', () => {
  const night = { from: '22:00', to: '06:00', brightness: 0.3 };

  it('is 1 - brightness at night and 0 by day or without a schedule', () => {
    expect(nightDimming(at('2025-06-01T23:00:00Z'), 'UTC', night)).toBe(0.7);
    expect(nightDimming(at('2025-06-01T12:00:00Z'), 'UTC', night)).toBe(0);
    expect(nightDimming(at('2025-06-01T23:00:00Z'), 'UTC', null)).toBe(0);
  });

  it('never blacks the wall out', () => {
    expect(nightDimming(at('2025-06-01T23:00:00Z'), 'UTC', { ...night, brightness: 0 })).toBe(0.9);
    expect(nightDimming(at('2025-06-01T23:00:00Z'), 'UTC', { ...night, brightness: 2 })).toBe(0);
  });
});
