import { describe, expect, it } from 'vitest';
import { dayBars, hourTicks, localDayBounds, monthBars, yearBars } from '$lib/charts/chart-data.ts';

describe('localDayBounds', () => {
  it("spans the tenant's local day, not the browser's", () => {
    const { start, end } = localDayBounds(new Date('2025-06-01T20:00:00Z'), 'Australia/Sydney');
    // 06:00 on 2 June in Sydney (UTC+10): the day is 2 June local.
    expect(start.toISOString()).toBe('2025-06-01T14:00:00.000Z');
    expect(end.toISOString()).toBe('2025-06-02T14:00:00.000Z');
  });

  it('has 23 hours on the spring-forward day', () => {
    const { start, end } = localDayBounds(new Date('2025-03-30T12:00:00Z'), 'Europe/Berlin');
    expect(start.toISOString()).toBe('2025-03-29T23:00:00.000Z');
    expect((end.getTime() - start.getTime()) / 3_600_000).toBe(23);
  });
});

describe('hourTicks', () => {
  it('labels local hours every 3 h from midnight', () => {
    const { start, end } = localDayBounds(new Date('2025-06-01T12:00:00Z'), 'Asia/Kolkata');
    const ticks = hourTicks(start, end, 'Asia/Kolkata');
    expect(ticks.map((t) => t.label)).toEqual(['00', '03', '06', '09', '12', '15', '18', '21']);
    expect(ticks[0].at.toISOString()).toBe('2025-05-31T18:30:00.000Z');
  });
});

describe('bars', () => {
  it('labels days by day of month and highlights the latest', () => {
    const bars = dayBars([
      { date: '2025-05-31', kwh: 1 },
      { date: '2025-06-01', kwh: 2 }
    ]);
    expect(bars.map((b) => [b.label, b.current])).toEqual([
      ['31', false],
      ['1', true]
    ]);
  });

  it('highlights the month of the latest date and names months in the locale', () => {
    const bars = monthBars(
      [
        { month: '2025-01', kwh: 1 },
        { month: '2025-06', kwh: 2 }
      ],
      '2025-06-01',
      'en'
    );
    expect(bars.map((b) => [b.label, b.current])).toEqual([
      ['Jan', false],
      ['Jun', true]
    ]);
    expect(monthBars([{ month: '2025-10', kwh: 1 }], undefined, 'de')[0].label).toBe('Okt');
  });

  it('highlights this year', () => {
    expect(yearBars([{ year: 2024, kwh: 1 }, { year: 2025, kwh: 1 }]).map((b) => b.current)).toEqual([false, true]);
  });
});
