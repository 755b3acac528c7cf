import { describe, expect, it } from 'vitest';
import { addDays, isTimeZone, localDate, startOfLocalDate, zoneOffsetMs } from '../../../server/time/zones.ts';

describe('plant-local dates', () => {
  it('puts one instant on different dates either side of the date line', () => {
    const instant = Date.parse('2026-11-20T12:00:00Z');
    expect(localDate(instant, 'Pacific/Kiritimati')).toBe('2026-11-21'); // UTC+14
    expect(localDate(instant, 'Pacific/Pago_Pago')).toBe('2026-11-20'); // UTC-11
    expect(localDate(instant, 'Pacific/Auckland')).toBe('2026-11-21');
    expect(localDate(instant, 'Pacific/Honolulu')).toBe('2026-11-20');
  });

  it('follows daylight saving time', () => {
    // Berlin: CET (+1) in winter, CEST (+2) in summer.
    expect(zoneOffsetMs(Date.parse('2026-01-15T12:00:00Z'), 'Europe/Berlin')).toBe(3_600_000);
    expect(zoneOffsetMs(Date.parse('2026-07-15T12:00:00Z'), 'Europe/Berlin')).toBe(7_200_000);
    // 22:30 UTC is still the 28th in Berlin in winter, already the 29th in summer.
    expect(localDate(Date.parse('2026-03-28T22:30:00Z'), 'Europe/Berlin')).toBe('2026-03-28');
    expect(localDate(Date.parse('2026-07-28T22:30:00Z'), 'Europe/Berlin')).toBe('2026-07-29');
  });

  it('finds local midnight, also on the days the clocks change', () => {
    expect(new Date(startOfLocalDate('2026-03-29', 'Europe/Berlin')).toISOString()).toBe('2026-03-28T23:00:00.000Z');
    expect(new Date(startOfLocalDate('2026-03-30', 'Europe/Berlin')).toISOString()).toBe('2026-03-29T22:00:00.000Z');
    expect(new Date(startOfLocalDate('2026-10-25', 'Europe/Berlin')).toISOString()).toBe('2026-10-24T22:00:00.000Z');
    expect(new Date(startOfLocalDate('2026-11-21', 'Pacific/Auckland')).toISOString()).toBe('2026-11-20T11:00:00.000Z');
    // Santiago skips from 00:00 to 01:00 on its spring-forward day: the day starts at 01:00.
    const santiago = startOfLocalDate('2026-09-06', 'America/Santiago');
    expect(localDate(santiago, 'America/Santiago')).toBe('2026-09-06');
    expect(localDate(santiago - 1, 'America/Santiago')).toBe('2026-09-05');
  });

  it('knows real time zones from made-up ones', () => {
    expect(isTimeZone('Asia/Shanghai')).toBe(true);
    expect(isTimeZone('Mars/Olympus_Mons')).toBe(false);
    expect(isTimeZone('')).toBe(false);
  });

  it('adds calendar days across month and year ends', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2028-03-01', -1)).toBe('2028-02-29');
  });
});
